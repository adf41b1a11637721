"""Appends "!" to each word, on pystorm (anchoring and acking are pystorm's)."""
import pystorm


class ShoutBolt(pystorm.Bolt):
    def process(self, tup):
        self.emit([tup.values[0] + "!"])


if __name__ == "__main__":
    ShoutBolt().run()
