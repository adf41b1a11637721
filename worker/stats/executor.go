package stats

import (
	"sync"

	"github.com/galeproject/gale/stormthrift"
)

// StreamID is a GlobalStreamId: the source component and stream of a bolt's input.
type StreamID struct {
	Component string
	Stream    string
}

// Rate returns the value Storm reports as ExecutorStats.rate for topology.stats.sample.rate:
// int(1/sampleRate), or 1 when sampleRate is not in (0, 1].
func Rate(sampleRate float64) float64 {
	if !(sampleRate > 0 && sampleRate <= 1) {
		return 1
	}
	return float64(int64(1 / sampleRate))
}

// Executor holds the statistics of one executor (a spout or a bolt). Times are milliseconds.
type Executor struct {
	mu    sync.Mutex
	spout bool
	rate  float64

	emitted, transferred map[string]*series

	// spout
	spoutAcked, spoutFailed, complete map[string]*series
	// bolt
	boltAcked, boltFailed, executed, process, execute map[StreamID]*series
}

// NewSpout returns the statistics of a spout executor; rate is what Rate returns for the
// topology's sample rate.
func NewSpout(rate float64) *Executor { return newExecutor(true, rate) }

// NewBolt returns the statistics of a bolt executor. (Recording spout statistics on a bolt, or
// the reverse, is harmless: they are not rendered.)
func NewBolt(rate float64) *Executor { return newExecutor(false, rate) }

func newExecutor(spout bool, rate float64) *Executor {
	return &Executor{spout: spout, rate: rate, emitted: map[string]*series{}, transferred: map[string]*series{},
		spoutAcked: map[string]*series{}, spoutFailed: map[string]*series{}, complete: map[string]*series{},
		boltAcked: map[StreamID]*series{}, boltFailed: map[StreamID]*series{}, executed: map[StreamID]*series{},
		process: map[StreamID]*series{}, execute: map[StreamID]*series{}}
}

// IsSpout reports whether these are spout statistics.
func (e *Executor) IsSpout() bool { return e.spout }

func get[K comparable](m map[K]*series, k K) *series {
	s := m[k]
	if s == nil {
		s = newSeries()
		m[k] = s
	}
	return s
}

// Emitted counts one tuple emitted on stream (once per emit, whatever the number of targets).
func (e *Executor) Emitted(stream string, nowMs int64) {
	e.mu.Lock()
	get(e.emitted, stream).add(nowMs, 1, 0)
	e.mu.Unlock()
}

// Transferred counts n tuples sent to target tasks for one emit on stream.
func (e *Executor) Transferred(stream string, n int, nowMs int64) {
	e.mu.Lock()
	get(e.transferred, stream).add(nowMs, int64(n), 0)
	e.mu.Unlock()
}

// SpoutAcked counts a completed tuple tree rooted on stream, with its complete latency.
func (e *Executor) SpoutAcked(stream string, latencyMs, nowMs int64) {
	e.mu.Lock()
	get(e.spoutAcked, stream).add(nowMs, 1, 0)
	get(e.complete, stream).add(nowMs, latencyMs, 1)
	e.mu.Unlock()
}

// SpoutFailed counts a failed (or timed out) tuple tree rooted on stream.
func (e *Executor) SpoutFailed(stream string, nowMs int64) {
	e.mu.Lock()
	get(e.spoutFailed, stream).add(nowMs, 1, 0)
	e.mu.Unlock()
}

// BoltExecuted counts one input tuple from id executed, with its execute latency.
func (e *Executor) BoltExecuted(id StreamID, latencyMs, nowMs int64) {
	e.mu.Lock()
	get(e.executed, id).add(nowMs, 1, 0)
	get(e.execute, id).add(nowMs, latencyMs, 1)
	e.mu.Unlock()
}

// BoltAcked counts one input tuple from id acked, with its process latency (receipt to ack).
func (e *Executor) BoltAcked(id StreamID, latencyMs, nowMs int64) {
	e.mu.Lock()
	get(e.boltAcked, id).add(nowMs, 1, 0)
	get(e.process, id).add(nowMs, latencyMs, 1)
	e.mu.Unlock()
}

// BoltFailed counts one input tuple from id failed.
func (e *Executor) BoltFailed(id StreamID, nowMs int64) {
	e.mu.Lock()
	get(e.boltFailed, id).add(nowMs, 1, 0)
	e.mu.Unlock()
}

// Render returns the statistics as of nowMs in Storm's heartbeat form: window → key → value, where
// every window appears once a key has been counted, and a key appears in every window.
func (e *Executor) Render(nowMs int64) *stormthrift.ExecutorStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := &stormthrift.ExecutorStats{
		Emitted:     counts(e.emitted, nowMs, ident),
		Transferred: counts(e.transferred, nowMs, ident),
		Specific:    &stormthrift.ExecutorSpecificStats{},
		Rate:        e.rate,
	}
	if e.spout {
		out.Specific.Spout = &stormthrift.SpoutStats{
			Acked:         counts(e.spoutAcked, nowMs, ident),
			Failed:        counts(e.spoutFailed, nowMs, ident),
			CompleteMsAvg: averages(e.complete, nowMs, ident),
		}
		return out
	}
	ids := map[StreamID]*stormthrift.GlobalStreamId{}
	gsid := func(id StreamID) *stormthrift.GlobalStreamId {
		g := ids[id]
		if g == nil {
			g = &stormthrift.GlobalStreamId{ComponentId: id.Component, StreamId: id.Stream}
			ids[id] = g
		}
		return g
	}
	out.Specific.Bolt = &stormthrift.BoltStats{
		Acked:        counts(e.boltAcked, nowMs, gsid),
		Failed:       counts(e.boltFailed, nowMs, gsid),
		ProcessMsAvg: averages(e.process, nowMs, gsid),
		Executed:     counts(e.executed, nowMs, gsid),
		ExecuteMsAvg: averages(e.execute, nowMs, gsid),
	}
	return out
}

func ident(s string) string { return s }

// counts renders m as window → key → count. Like Storm, a map with no keys has no windows.
func counts[K comparable, W comparable](m map[K]*series, now int64, key func(K) W) map[string]map[W]int64 {
	out := make(map[string]map[W]int64, len(windowKeys()))
	if len(m) == 0 {
		return out
	}
	for _, w := range windowKeys() {
		out[w] = make(map[W]int64, len(m))
	}
	for k, s := range m {
		c := s.counts(now)
		for i, w := range windowKeys() {
			out[w][key(k)] = c[i]
		}
	}
	return out
}

// averages renders m as window → key → average latency in ms.
func averages[K comparable, W comparable](m map[K]*series, now int64, key func(K) W) map[string]map[W]float64 {
	out := make(map[string]map[W]float64, len(windowKeys()))
	if len(m) == 0 {
		return out
	}
	for _, w := range windowKeys() {
		out[w] = make(map[W]float64, len(m))
	}
	for k, s := range m {
		a := s.averages(now)
		for i, w := range windowKeys() {
			out[w][key(k)] = a[i]
		}
	}
	return out
}
