"""A reliable spout of ids 0..n-1 (n = gale.test.n) whose acks are durable.

Like a queue consumer that commits on ack: every ack is appended to
<gale.test.out>/acked, and a spout that starts (again, in a restarted
worker) emits exactly the ids not acked yet. Failed ids are emitted again.
It also appends "<id> <pid>" to emitted for every emit and "<pid> <ppid>"
(its worker's pid) to starts once. With gale.test.mode "spout-exit" it
exits with code 3 right after it emitted id gale.test.trip, the first time
any process of this topology does.
"""
import os
import sys
import time

import pystorm


def append(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


class Source(pystorm.Spout):
    def initialize(self, conf, context):
        self.dir = conf["gale.test.out"]
        n = int(conf["gale.test.n"])
        self.mode = conf["gale.test.mode"]
        self.trip = int(conf["gale.test.trip"])
        acked = set()
        try:
            with open(os.path.join(self.dir, "acked")) as f:
                for line in f:
                    if line.endswith("\n"):
                        acked.add(int(line.split()[0]))
        except IOError:
            pass
        self.queue = [i for i in range(n) if i not in acked]
        append(os.path.join(self.dir, "starts"), "%d %d" % (os.getpid(), os.getppid()))

    def next_tuple(self):
        if not self.queue:
            time.sleep(0.05)
            return
        i = self.queue.pop(0)
        append(os.path.join(self.dir, "emitted"), "%d %d" % (i, os.getpid()))
        self.emit([i], tup_id=i)
        if self.mode == "spout-exit" and i == self.trip and self.first_time():
            sys.stderr.write("source: exiting on purpose\n")
            sys.stderr.flush()
            os._exit(3)

    def first_time(self):
        try:
            os.close(os.open(os.path.join(self.dir, "spout-tripped"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return True
        except OSError:
            return False

    def ack(self, tup_id):
        append(os.path.join(self.dir, "acked"), "%d %d" % (int(tup_id), os.getpid()))

    def fail(self, tup_id):
        self.queue.append(int(tup_id))


if __name__ == "__main__":
    Source().run()
