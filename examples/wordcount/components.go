package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/galeproject/gale/storm"
)

// Topology settings of this example (see the package comment).
const (
	confRepeat    = "wordcount.repeat"
	confRate      = "wordcount.rate"
	confOutputDir = "wordcount.output.dir"
)

// SentenceSpout emits the input lines reliably. Its tasks share the work:
// task i of n emits the lines whose sequence number k (over all
// repetitions) has k mod n == i, with k as the message id.
type SentenceSpout struct {
	storm.BaseSpout
	lines []string

	out    storm.SpoutOutputCollector
	next   int64 // next fresh sequence number of this task
	step   int64 // the number of spout tasks
	end    int64 // one past the last sequence number; -1 = forever
	replay []int64
	rate   float64 // lines per second, 0 = unlimited
	start  time.Time
	sent   int64
}

func (s *SentenceSpout) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("sentence") }

func (s *SentenceSpout) Open(c storm.Conf, ctx *storm.TopologyContext, out storm.SpoutOutputCollector) error {
	s.out = out
	s.next = int64(ctx.ThisTaskIndex())
	s.step = int64(len(ctx.ComponentTasks(ctx.ThisComponentID())))
	s.end = -1
	if r := c.IntOr(confRepeat, 20); r > 0 {
		s.end = r * int64(len(s.lines))
	}
	s.rate = c.FloatOr(confRate, 0)
	s.start = time.Now()
	return nil
}

func (s *SentenceSpout) NextTuple() {
	if s.rate > 0 && float64(s.sent) >= s.rate*time.Since(s.start).Seconds() {
		return
	}
	var k int64
	switch {
	case len(s.replay) > 0:
		k, s.replay = s.replay[0], s.replay[1:]
	case s.end < 0 || s.next < s.end:
		k = s.next
		s.next += s.step
	default:
		return // everything emitted; waiting for acks or replays
	}
	s.out.Emit(storm.Values{s.lines[k%int64(len(s.lines))]}, k)
	s.sent++
}

// Fail replays the line: its words will be counted again, so totals stay
// exact only when no tree fails (none does unless a worker dies or
// topology.message.timeout.secs passes).
func (s *SentenceSpout) Fail(id any) {
	if k, ok := id.(int64); ok {
		s.replay = append(s.replay, k)
	}
}

// SplitBolt splits a line into words. As a BasicBolt, its emits are
// anchored on the line and the line is acked when Execute returns.
type SplitBolt struct{ storm.BaseBasicBolt }

func (SplitBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("word") }

func (SplitBolt) Execute(t *storm.Tuple, out storm.BasicOutputCollector) error {
	line, ok := t.String(0)
	if !ok {
		return fmt.Errorf("sentence is a %T, not a string", t.Value(0))
	}
	for _, w := range strings.Fields(line) {
		out.Emit(storm.Values{w})
	}
	return nil
}

// CountBolt keeps a total per word and emits (word, count). Once a second
// (a tick tuple) it publishes its totals when they changed: to the
// in-process Totals (dev mode) and, with wordcount.output.dir, to the file
// counts-<task>.json there.
type CountBolt struct {
	storm.BaseBolt
	totals *Totals // may be nil

	out    storm.OutputCollector
	task   int32
	dir    string
	counts map[string]int64
	dirty  bool
}

func (b *CountBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("word", "count") }

// ComponentConfiguration asks for a tick tuple every second.
func (b *CountBolt) ComponentConfiguration() map[string]any {
	return map[string]any{"topology.tick.tuple.freq.secs": 1}
}

func (b *CountBolt) Prepare(c storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	b.out, b.task, b.counts = out, ctx.ThisTaskID(), map[string]int64{}
	b.dir = c.StringOr(confOutputDir, "")
	if b.dir != "" {
		if err := os.MkdirAll(b.dir, 0o755); err != nil {
			return fmt.Errorf("output dir: %w", err)
		}
	}
	return nil
}

func (b *CountBolt) Execute(t *storm.Tuple) {
	if t.IsTick() {
		b.publish()
		b.out.Ack(t)
		return
	}
	w, _ := t.String(0)
	b.counts[w]++
	b.dirty = true
	b.out.Emit(storm.Values{w, b.counts[w]}, t)
	b.out.Ack(t)
}

func (b *CountBolt) Cleanup() { b.publish() }

func (b *CountBolt) publish() {
	if !b.dirty {
		return
	}
	b.dirty = false
	if b.totals != nil {
		b.totals.Set(b.task, maps.Clone(b.counts))
	}
	if b.dir == "" {
		return
	}
	if err := writeCounts(b.dir, b.task, b.counts); err != nil {
		b.out.ReportError(err)
	}
}

// writeCounts replaces <dir>/counts-<task>.json atomically.
func writeCounts(dir string, task int32, counts map[string]int64) error {
	js, err := json.Marshal(counts)
	if err != nil {
		return err
	}
	final := filepath.Join(dir, fmt.Sprintf("counts-%d.json", task))
	tmp := final + ".tmp"
	if err := os.WriteFile(tmp, js, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, final)
}
