# Gale perf: a multilang relay bolt on Storm's own storm.py (multilang-python 1.0.0, Python 2).
# Emits each input's values, anchored on it (BasicBolt anchors emits on the current tuple), and
# acks it (BasicBolt acks after process returns): one anchored emit and one ack per input, like
# relay.js.
import storm


class RelayBolt(storm.BasicBolt):
    def process(self, tup):
        storm.emit(tup.values)


RelayBolt().run()
