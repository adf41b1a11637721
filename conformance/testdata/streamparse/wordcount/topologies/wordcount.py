"""The word count of the streamparse-wordcount conformance case, in
streamparse's topology DSL: `sparse submit` turns it into a Thrift
StormTopology whose components are ShellComponents running
`streamparse_run <module>.<class>`."""

from streamparse import Grouping, Topology

from counter import WordCountBolt
from words import WordSpout


class WordCount(Topology):
    word_spout = WordSpout.spec(par=1)
    count_bolt = WordCountBolt.spec(inputs={word_spout: Grouping.fields("word")}, par=2)
