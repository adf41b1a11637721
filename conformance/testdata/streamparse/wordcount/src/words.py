"""A reliable spout: the same eight words over and over, each tuple with
an id so that Storm tracks and acks its tuple tree."""

import itertools
import time

from streamparse import Spout

WORDS = ("storm", "gale", "nimbus", "supervisor", "worker", "spout", "bolt", "tuple")


class WordSpout(Spout):
    outputs = ["word"]

    def initialize(self, stormconf, context):
        self.words = itertools.cycle(WORDS)
        self.next_id = 0
        self.acked = 0

    def next_tuple(self):
        time.sleep(0.005)
        self.next_id += 1
        self.emit([next(self.words)], tup_id=self.next_id)

    def ack(self, tup_id):
        self.acked += 1

    def fail(self, tup_id):
        self.logger.warning("tuple %s failed", tup_id)
