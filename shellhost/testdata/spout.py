# A spout on Storm 1.0.0's storm.py (Python 2) exercising every command.
import storm


class TestSpout(storm.Spout):
    def initialize(self, conf, context):
        self.n = 0

    def nextTuple(self):
        self.n += 1
        if self.n <= 2:
            ids = storm.emit(["w%d" % self.n], id="m%d" % self.n)
            storm.emit(["ids", ids], stream="taskids")
        elif self.n == 3:
            storm.emitDirect(5, ["direct"], stream="direct")
            storm.log("third", 3)
            storm.rpcMetrics("m2", [1, 2])

    def ack(self, id):
        storm.emit(["acked", id], stream="acks")

    def fail(self, id):
        storm.reportError("failed " + str(id))


TestSpout().run()
