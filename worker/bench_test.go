package worker

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/storm"
)

// benchSpout emits n tuples with message ids once go is closed and records complete latencies.
type benchSpout struct {
	storm.BaseSpout
	b    *benchRun
	out  storm.SpoutOutputCollector
	next int
	sent []int64 // emit time (ns since b.t0) by id
	lat  []time.Duration
}

type benchRun struct {
	n      int
	start  chan struct{}
	done   chan struct{}
	mu     sync.Mutex
	lat    []time.Duration
	acked  int
	failed int
	t0     time.Time
	opened chan struct{}
}

func (s *benchSpout) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("n", "payload") }

func (s *benchSpout) Open(_ storm.Conf, _ *storm.TopologyContext, out storm.SpoutOutputCollector) error {
	s.out = out
	s.sent = make([]int64, s.b.n)
	close(s.b.opened)
	return nil
}

func (s *benchSpout) NextTuple() {
	select {
	case <-s.b.start:
	default:
		return
	}
	if s.next >= s.b.n {
		return
	}
	id := s.next
	s.next++
	s.sent[id] = int64(time.Since(s.b.t0))
	s.out.Emit(storm.Values{int64(id), "some payload of a few bytes"}, id)
}

func (s *benchSpout) Ack(msgID any) {
	id := msgID.(int)
	s.lat = append(s.lat, time.Since(s.b.t0)-time.Duration(s.sent[id]))
	if len(s.lat) == s.b.n {
		s.b.mu.Lock()
		s.b.lat = s.lat
		s.b.mu.Unlock()
		close(s.b.done)
	}
}

func (s *benchSpout) Fail(any) {
	s.b.mu.Lock()
	s.b.failed++
	s.b.mu.Unlock()
}

// ackBolt acks every input.
type ackBolt struct {
	storm.BaseBolt
	out storm.OutputCollector
}

func (b *ackBolt) DeclareOutputFields(storm.OutputFieldsDeclarer) {}
func (b *ackBolt) Prepare(_ storm.Conf, _ *storm.TopologyContext, out storm.OutputCollector) error {
	b.out = out
	return nil
}
func (b *ackBolt) Execute(t *storm.Tuple) { b.out.Ack(t) }

// benchAcked runs spout → bolt (shuffle) with one acker, placed on one or two workers, and
// reports tuples/s and the p50/p99 complete latency.
func benchAcked(b *testing.B, slots int, place map[string]int, maxPending int64) {
	run := &benchRun{n: b.N, start: make(chan struct{}), done: make(chan struct{}), opened: make(chan struct{})}
	app := storm.NewApp()
	app.RegisterSpout("bench.spout", func() storm.Spout { return &benchSpout{b: run} })
	app.RegisterBolt("bench.ack", func() storm.Bolt { return &ackBolt{} })
	tb := newTopoBuilder(b, app)
	tb.spout("spout", "bench.spout", 1)
	tb.bolt("bolt", "bench.ack", 1, nil, shuffle("spout"))
	c := newTestClusterPlaced(b, newMemState(b), app, tb.top, conf.Conf{
		conf.TopologyAckerExecutors:  int64(1),
		conf.TopologyMaxSpoutPending: maxPending,
	}, slots, place)
	c.startAll()
	select {
	case <-run.opened:
	case <-time.After(30 * time.Second):
		b.Fatal("spout not opened")
	}
	run.t0 = time.Now()
	b.ResetTimer()
	close(run.start)
	select {
	case <-run.done:
	case <-time.After(5 * time.Minute):
		b.Fatal("not all tuples acked")
	}
	elapsed := time.Since(run.t0)
	b.StopTimer()
	run.mu.Lock()
	lat := run.lat
	run.mu.Unlock()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tuples/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkAckedOneWorker: spout, acker and bolt in one worker. pending=1 measures the round trip
// of one tree; pending=1000 throughput.
func BenchmarkAckedOneWorker(b *testing.B) {
	for _, p := range []int64{1, 1000} {
		b.Run(fmt.Sprintf("pending=%d", p), func(b *testing.B) { benchAcked(b, 1, nil, p) })
	}
}

// BenchmarkAckedTwoWorkers: the bolt in another worker, over TCP loopback.
func BenchmarkAckedTwoWorkers(b *testing.B) {
	for _, p := range []int64{1, 1000} {
		b.Run(fmt.Sprintf("pending=%d", p), func(b *testing.B) {
			benchAcked(b, 2, map[string]int{"spout": 0, "__acker": 0, "bolt": 1}, p)
		})
	}
}
