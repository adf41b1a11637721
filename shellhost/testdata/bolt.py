# A bolt on Storm 1.0.0's storm.py (Python 2) exercising every command.
import os
import time
import storm


class TestBolt(storm.Bolt):
    def initialize(self, conf, context):
        self.conf = conf
        self.context = context

    def process(self, tup):
        cmd, arg = tup.values[0], tup.values[1]
        if cmd == "split":
            for word in arg.split(" "):
                ids = storm.emit([word], anchors=[tup])
                storm.emit(["ids", ids], stream="taskids", anchors=[tup])
            storm.ack(tup)
        elif cmd == "direct":
            storm.emitDirect(arg, ["d"], stream="direct", anchors=[tup])
            storm.ack(tup)
        elif cmd == "fail":
            storm.fail(tup)
        elif cmd == "log":
            for level in range(5):
                storm.log("level %d" % level, level)
            storm.ack(tup)
        elif cmd == "error":
            storm.reportError("oops")
            storm.ack(tup)
        elif cmd == "metric":
            storm.rpcMetrics("m1", {"x": 1})
            storm.ack(tup)
        elif cmd == "context":
            storm.emit([self.context["componentid"], self.context["taskid"], self.conf["topology.name"],
                        os.getcwd(), os.environ.get("GALE_TEST_ENV")], anchors=[tup])
            storm.ack(tup)
        elif cmd == "exit":
            os._exit(3)
        elif cmd == "hang":
            time.sleep(3600)


TestBolt().run()
