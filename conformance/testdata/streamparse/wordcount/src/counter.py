"""Counts words; every half second each task writes its counts to
<gale.streamparse.counts>/task-<task id>.json (the directory comes with
the topology's configuration), where the case reads them."""

import json
import os
import time
from collections import Counter

from streamparse import Bolt


class WordCountBolt(Bolt):
    outputs = ["word", "count"]

    def initialize(self, conf, context):
        self.counts = Counter()
        out = conf["gale.streamparse.counts"]
        os.makedirs(out, exist_ok=True)
        self.path = os.path.join(out, "task-%d.json" % context["taskid"])
        self.written = 0.0

    def process(self, tup):
        word = tup.values[0]
        self.counts[word] += 1
        self.emit([word, self.counts[word]])
        now = time.time()
        if now - self.written >= 0.5:
            self.written = now
            tmp = self.path + ".tmp"
            with open(tmp, "w") as f:
                json.dump({"component": self.component_name, "counts": self.counts}, f)
            os.replace(tmp, self.path)
