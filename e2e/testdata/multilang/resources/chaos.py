"""Records each id, then acks it (pystorm's auto-ack); at id gale.test.trip,
the first time any process of this topology sees it, misbehaves as
gale.test.mode says (other modes are the spout's):

  exit        exits with code 3 (a message on stderr first)
  hang        stops answering (no heartbeat replies, no acks)
  garbage     writes a message that is not JSON
  huge        writes a 65 MiB message
  unknown     sends a command that does not exist, then goes on
  undeclared  emits on a stream the bolt did not declare, then goes on

Appends "<id> <pid>" to <gale.test.out>/processed before each ack.
"""
import os
import sys
import time

import pystorm

MODES = ("exit", "hang", "garbage", "huge", "unknown", "undeclared")


class Chaos(pystorm.Bolt):
    def initialize(self, conf, context):
        self.dir = conf["gale.test.out"]
        self.mode = conf["gale.test.mode"]
        self.trip = int(conf["gale.test.trip"])

    def first_time(self):
        try:
            os.close(os.open(os.path.join(self.dir, "tripped"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return True
        except OSError:
            return False

    def raw(self, text):
        out = self.serializer.output_stream
        out.write(text)
        out.flush()

    def misbehave(self):
        if self.mode == "exit":
            sys.stderr.write("chaos: exiting on purpose\n")
            sys.stderr.flush()
            os._exit(3)
        elif self.mode == "hang":
            time.sleep(3600)
        elif self.mode == "garbage":
            self.raw("{this is not json\nend\n")
            time.sleep(3600)
        elif self.mode == "huge":
            self.raw('{"command": "log", "msg": "' + "x" * (65 << 20) + '"}\nend\n')
            time.sleep(3600)
        elif self.mode == "unknown":
            self.send_message({"command": "gale-bogus-command"})
        elif self.mode == "undeclared":
            self.emit([self.trip], stream="gale-undeclared-stream")

    def process(self, tup):
        i = tup.values[0]
        if i == self.trip and self.mode in MODES and self.first_time():
            self.misbehave()
        with open(os.path.join(self.dir, "processed"), "a") as f:
            f.write("%d %d\n" % (i, os.getpid()))


if __name__ == "__main__":
    Chaos().run()
