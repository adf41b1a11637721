package galeperf

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/galeproject/gale/perf/internal/metrics"
	"github.com/galeproject/gale/storm"
)

// Sentences are the word-count spout's sentences (the same as PerfSpout.SENTENCES).
var Sentences = []string{
	"the cow jumped over the moon",
	"an apple a day keeps the doctor away",
	"four score and seven years ago",
	"snow white and the seven dwarfs",
	"i am at two with nature",
}

// Constant is the constant spout's value (PerfSpout.CONSTANT).
const Constant = "gale-perf-constant-value"

// perfSpout mirrors PerfSpout.java: reliable emits (message id = emit time), at most one tuple
// per NextTuple, optionally rate-limited to perf.rate tuples/s, acks and complete latencies
// reported every perf.report.ms.
type perfSpout struct {
	storm.BaseSpout
	sentence bool

	out        storm.SpoutOutputCollector
	file       *os.File
	report     *metrics.Writer
	epoch      time.Time // monotonic base of the message ids
	rate       float64
	every      time.Duration
	start      time.Duration
	nextReport time.Duration
	credit     int64
	next       int
}

func (s *perfSpout) DeclareOutputFields(d storm.OutputFieldsDeclarer) {
	if s.sentence {
		d.Declare("sentence")
	} else {
		d.Declare("value")
	}
}

func (s *perfSpout) Open(conf storm.Conf, ctx *storm.TopologyContext, out storm.SpoutOutputCollector) error {
	s.out = out
	s.epoch = time.Now()
	s.rate = conf.FloatOr("perf.rate", 0)
	s.every = time.Duration(conf.IntOr("perf.report.ms", 1000)) * time.Millisecond
	task := int(ctx.ThisTaskID())
	if dir, ok := conf.String("perf.metrics.dir"); ok {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("perf spout: %w", err)
		}
		f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("spout-%d.jsonl", task)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("perf spout: %w", err)
		}
		s.file = f
		s.report = metrics.NewWriter(f, task, os.Getpid())
	} else {
		s.report = metrics.NewWriter(discard{}, task, os.Getpid())
	}
	return ready(conf, ctx)
}

func (s *perfSpout) NextTuple() {
	now := time.Since(s.epoch)
	if s.start == 0 {
		s.start = now
		s.nextReport = now + s.every
	}
	s.maybeReport(now)
	if s.rate > 0 {
		due := int64((now - s.start).Seconds() * s.rate)
		cap := max(1, int64(s.rate/10))
		if due-s.credit > cap {
			s.credit = due - cap
		}
		if s.credit >= due {
			return
		}
		s.credit++
	}
	var v storm.Values
	if s.sentence {
		v = storm.Values{Sentences[s.next%len(Sentences)]}
		s.next++
	} else {
		v = storm.Values{Constant}
	}
	s.out.Emit(v, int64(time.Since(s.epoch)))
	s.report.Emitted++
}

func (s *perfSpout) Ack(msgID any) {
	now := time.Since(s.epoch)
	if id, ok := msgID.(int64); ok {
		s.report.Ack(now-time.Duration(id), time.Now())
	}
	s.maybeReport(now)
}

func (s *perfSpout) Fail(any) {
	s.report.Failed++
	s.maybeReport(time.Since(s.epoch))
}

func (s *perfSpout) maybeReport(now time.Duration) {
	if now < s.nextReport {
		return
	}
	s.nextReport = now + s.every
	if err := s.report.Flush(time.Now()); err != nil {
		s.out.ReportError(err)
	}
}

func (s *perfSpout) Close() {
	if s.file != nil {
		s.file.Close()
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// noopBolt acks and drops every input.
type noopBolt struct {
	storm.BaseBolt
	out storm.OutputCollector
}

func (b *noopBolt) DeclareOutputFields(storm.OutputFieldsDeclarer) {}
func (b *noopBolt) Prepare(conf storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	b.out = out
	return ready(conf, ctx)
}
func (b *noopBolt) Execute(t *storm.Tuple) { b.out.Ack(t) }

// identityBolt emits every input's values, anchored, and acks it.
type identityBolt struct {
	storm.BaseBolt
	out storm.OutputCollector
}

func (b *identityBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("value") }
func (b *identityBolt) Prepare(conf storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	b.out = out
	return ready(conf, ctx)
}
func (b *identityBolt) Execute(t *storm.Tuple) {
	b.out.Emit(append(storm.Values(nil), t.Values...), t)
	b.out.Ack(t)
}

// splitBolt emits each space-separated word of field 0, anchored.
type splitBolt struct {
	storm.BaseBolt
	out storm.OutputCollector
}

func (b *splitBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("word") }
func (b *splitBolt) Prepare(conf storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	b.out = out
	return ready(conf, ctx)
}
func (b *splitBolt) Execute(t *storm.Tuple) {
	s, _ := t.String(0)
	for _, w := range strings.Split(s, " ") {
		b.out.Emit(storm.Values{w}, t)
	}
	b.out.Ack(t)
}

// countBolt counts words and acks; it emits nothing.
type countBolt struct {
	storm.BaseBolt
	out    storm.OutputCollector
	counts map[string]int64
}

func (b *countBolt) DeclareOutputFields(storm.OutputFieldsDeclarer) {}
func (b *countBolt) Prepare(conf storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	b.out = out
	b.counts = map[string]int64{}
	return ready(conf, ctx)
}
func (b *countBolt) Execute(t *storm.Tuple) {
	w, _ := t.String(0)
	b.counts[w]++
	b.out.Ack(t)
}

func ready(conf storm.Conf, ctx *storm.TopologyContext) error {
	dir, ok := conf.String("perf.metrics.dir")
	if !ok {
		return nil
	}
	if err := metrics.WriteReady(dir, ctx.ThisComponentID(), int(ctx.ThisTaskID()), os.Getpid(), time.Now()); err != nil {
		return fmt.Errorf("perf: %w", err)
	}
	return nil
}

// ErrNoMultilangDir is returned for the multilang topologies when no directory with
// relay.js and storm.js (or relay.py and storm.py) was given (the Java twin ships them
// in its jar's resources/).
var ErrNoMultilangDir = errors.New("galeperf: the multilang topologies need perf.multilang.dir (relay.js and storm.js, or relay.py and storm.py)")

// ErrNoPython is returned for the multilang-py topology when no Python 2 interpreter
// was given (perf.python).
var ErrNoPython = errors.New("galeperf: the multilang-py topology needs perf.python (a Python 2 interpreter)")
