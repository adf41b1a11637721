package storm_test

import (
	"fmt"
	"strings"

	"github.com/galeproject/gale/storm"
)

// SentenceSpout emits a fixed list of sentences, reliably.
type SentenceSpout struct {
	storm.BaseSpout
	out  storm.SpoutOutputCollector
	next int
}

var sentences = []string{"the cow jumped over the moon", "an apple a day keeps the doctor away"}

func (s *SentenceSpout) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("sentence") }

func (s *SentenceSpout) Open(_ storm.Conf, _ *storm.TopologyContext, out storm.SpoutOutputCollector) error {
	s.out = out
	return nil
}

func (s *SentenceSpout) NextTuple() {
	i := s.next % len(sentences)
	s.out.Emit(storm.Values{sentences[i]}, i)
	s.next++
}

// SplitBolt splits sentences into words; as a BasicBolt its emits are anchored and its input acked
// for it.
type SplitBolt struct{ storm.BaseBasicBolt }

func (SplitBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("word") }

func (SplitBolt) Execute(t *storm.Tuple, out storm.BasicOutputCollector) error {
	s, _ := t.String(0)
	for _, w := range strings.Fields(s) {
		out.Emit(storm.Values{w})
	}
	return nil
}

// CountBolt counts words.
type CountBolt struct {
	storm.BaseBolt
	out    storm.OutputCollector
	counts map[string]int64
}

func (c *CountBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("word", "count") }

func (c *CountBolt) Prepare(_ storm.Conf, _ *storm.TopologyContext, out storm.OutputCollector) error {
	c.out, c.counts = out, map[string]int64{}
	return nil
}

func (c *CountBolt) Execute(t *storm.Tuple) {
	w, _ := t.String(0)
	c.counts[w]++
	c.out.Emit(storm.Values{w, c.counts[w]}, t)
	c.out.Ack(t)
}

func Example() {
	app := storm.NewApp()
	app.RegisterSpout("sentences", func() storm.Spout { return &SentenceSpout{} })
	app.RegisterBasicBolt("split", func() storm.BasicBolt { return SplitBolt{} })
	app.RegisterBolt("count", func() storm.Bolt { return &CountBolt{} })

	b := storm.NewTopologyBuilder(app)
	b.SetSpout("spout", "sentences", 5)
	b.SetBolt("split", "split", 8).ShuffleGrouping("spout")
	b.SetBolt("count", "count", 12).FieldsGrouping("split", "word")
	topology, err := b.CreateTopology()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(topology.Spouts["spout"].SpoutObject.JavaObject.FullClassName,
		topology.Bolts["count"].Common.Streams["default"].OutputFields)
	// Output: sentences [word count]
}
