// Command exclamation is Storm's exclamation topology written with Gale's
// Go SDK: a spout of words feeds a bolt that appends "!!!", whose output
// feeds a second one that appends "!!!" again.
//
//	exclamation dev              # run it here and print what comes out
//	exclamation submit NAME      # submit to the cluster of nimbus.seeds
//
// The spout emits each of its words exclamation.repeat times (default 10;
// 0 = forever), reliably. In dev mode the program prints the distinct
// outputs once all of them arrived, and exits.
package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/storm/cli"
	"github.com/galeproject/gale/stormthrift"
)

const confRepeat = "exclamation.repeat"

// words are what the spout emits.
func words() []string { return []string{"gale", "storm", "nimbus", "supervisor", "worker"} }

func main() { cli.Main(exclamation(newSink())) }

func exclamation(out *sink) cli.Topology {
	app := storm.NewApp()
	app.RegisterSpout("words", func() storm.Spout { return &WordSpout{words: words()} })
	app.RegisterBasicBolt("exclaim", func() storm.BasicBolt { return ExclamationBolt{} })
	app.RegisterBasicBolt("exclaim-last", func() storm.BasicBolt { return ExclamationBolt{sink: out} })
	return cli.Topology{
		Name: "exclamation",
		App:  app,
		Build: func(storm.Conf) (*stormthrift.StormTopology, storm.Config, error) {
			b := storm.NewTopologyBuilder(app)
			b.SetSpout("word", "words", 2)
			b.SetBolt("exclaim1", "exclaim", 3).ShuffleGrouping("word")
			b.SetBolt("exclaim2", "exclaim-last", 2).ShuffleGrouping("exclaim1")
			topo, err := b.CreateTopology()
			c := storm.Config{}
			c.SetNumWorkers(2)
			return topo, c, err
		},
		Dev: func(ctx context.Context, l *cli.Local, stdout io.Writer) error {
			return report(ctx, l, stdout, out)
		},
	}
}

// WordSpout emits its words, each repeat times, spread over its tasks.
type WordSpout struct {
	storm.BaseSpout
	words []string

	out        storm.SpoutOutputCollector
	next, step int64
	end        int64 // -1 = forever
	replay     []int64
}

func (s *WordSpout) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("word") }

func (s *WordSpout) Open(c storm.Conf, ctx *storm.TopologyContext, out storm.SpoutOutputCollector) error {
	s.out = out
	s.next = int64(ctx.ThisTaskIndex())
	s.step = int64(len(ctx.ComponentTasks(ctx.ThisComponentID())))
	s.end = -1
	if r := c.IntOr(confRepeat, 10); r > 0 {
		s.end = r * int64(len(s.words))
	}
	return nil
}

func (s *WordSpout) NextTuple() {
	var k int64
	switch {
	case len(s.replay) > 0:
		k, s.replay = s.replay[0], s.replay[1:]
	case s.end < 0 || s.next < s.end:
		k = s.next
		s.next += s.step
	default:
		return
	}
	s.out.Emit(storm.Values{s.words[k%int64(len(s.words))]}, k)
}

func (s *WordSpout) Fail(id any) {
	if k, ok := id.(int64); ok {
		s.replay = append(s.replay, k)
	}
}

// ExclamationBolt appends "!!!" to its input (a BasicBolt: anchored and
// acked for it). With a sink it also hands its output to the sink.
type ExclamationBolt struct {
	storm.BaseBasicBolt
	sink *sink
}

func (ExclamationBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("word") }

func (b ExclamationBolt) Execute(t *storm.Tuple, out storm.BasicOutputCollector) error {
	w, _ := t.String(0)
	w += "!!!"
	out.Emit(storm.Values{w})
	if b.sink != nil {
		b.sink.add(w)
	}
	return nil
}

// sink counts the outputs of the last bolt's tasks in this process (dev
// mode). Safe for concurrent use.
type sink struct {
	mu   sync.Mutex
	seen map[string]int
}

func newSink() *sink { return &sink{seen: map[string]int{}} }

func (s *sink) add(w string) {
	s.mu.Lock()
	s.seen[w]++
	s.mu.Unlock()
}

func (s *sink) snapshot() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.seen)
}

// report waits for every output (repeat × each word) and prints them.
func report(ctx context.Context, l *cli.Local, stdout io.Writer, out *sink) error {
	repeat := l.Conf.IntOr(confRepeat, 10)
	want := int(repeat) * len(words())
	deadline := time.After(2 * time.Minute)
	for {
		got := out.snapshot()
		n := 0
		for _, c := range got {
			n += c
		}
		if repeat > 0 && n >= want {
			for _, w := range slices.Sorted(maps.Keys(got)) {
				fmt.Fprintf(stdout, "%-20s × %d\n", w, got[w])
			}
			fmt.Fprintf(stdout, "%d tuples went through both bolts.\n", n)
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-deadline:
			if repeat > 0 {
				return fmt.Errorf("%d of %d outputs after 2 minutes", n, want)
			}
		case <-time.After(200 * time.Millisecond):
		}
	}
}
