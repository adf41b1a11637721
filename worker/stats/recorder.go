package stats

// Recorder collects the events of one executor for the goroutine that runs it, without locking,
// and adds them to its Executor in one locked step when flushed. Events of the same kind and key
// between two flushes are summed and stamped with the latest time; the executor flushes whenever
// its clock moves on and before it blocks, so the heartbeat's Render sees them within a
// millisecond or so of the event, and a bucket boundary shifts no event by more than that.
//
// A latency argument below zero means the event's latency was not measured (Storm samples
// latencies at topology.stats.sample.rate): the event is counted, its latency left out of the
// average (which is 0 while nothing was measured).
type Recorder struct {
	e   *Executor
	acc []entry
	// last is, per kind, the index in acc of its last entry: one comparison finds it when an
	// executor records one key of a kind after another (the common case).
	last [numEventKinds]int
}

type eventKind uint8

const (
	evEmitted eventKind = iota
	evTransferred
	evSpoutAcked
	evSpoutFailed
	evComplete
	evBoltAcked
	evBoltFailed
	evExecuted
	evProcess
	evExecute
	numEventKinds
)

// entry is the sum of one kind of event on one key: a is a count or a latency sum, b the number
// of latencies.
type entry struct {
	kind         eventKind
	comp, stream string
	a, b, now    int64
}

// NewRecorder returns a Recorder that flushes into e.
func NewRecorder(e *Executor) *Recorder { return &Recorder{e: e} }

// Executor returns the statistics the Recorder flushes into.
func (r *Recorder) Executor() *Executor { return r.e }

func (r *Recorder) add(k eventKind, comp, stream string, a, b, now int64) {
	if i := r.last[k]; i < len(r.acc) && r.acc[i].is(k, comp, stream) {
		r.acc[i].plus(a, b, now)
		return
	}
	for i := range r.acc {
		if r.acc[i].is(k, comp, stream) {
			r.acc[i].plus(a, b, now)
			r.last[k] = i
			return
		}
	}
	r.last[k] = len(r.acc)
	r.acc = append(r.acc, entry{kind: k, comp: comp, stream: stream, a: a, b: b, now: now})
}

func (e *entry) is(k eventKind, comp, stream string) bool {
	return e.kind == k && e.stream == stream && e.comp == comp
}

func (e *entry) plus(a, b, now int64) {
	e.a += a
	e.b += b
	e.now = max(e.now, now)
}

// latency records a latency; an unmeasured one (< 0) adds nothing to the average but still makes
// its key exist, as every counted key has a latency in Storm's stats (Nimbus and the UI aggregate
// counts by the latency maps' keys).
func (r *Recorder) latency(k eventKind, comp, stream string, latencyMs, now int64) {
	if latencyMs >= 0 {
		r.add(k, comp, stream, latencyMs, 1, now)
		return
	}
	r.add(k, comp, stream, 0, 0, now)
}

// Emitted counts one tuple emitted on stream (once per emit, whatever the number of targets).
func (r *Recorder) Emitted(stream string, nowMs int64) { r.add(evEmitted, "", stream, 1, 0, nowMs) }

// Transferred counts n tuples sent to target tasks for one emit on stream.
func (r *Recorder) Transferred(stream string, n int, nowMs int64) {
	r.add(evTransferred, "", stream, int64(n), 0, nowMs)
}

// SpoutAcked counts a completed tuple tree rooted on stream, with its complete latency.
func (r *Recorder) SpoutAcked(stream string, latencyMs, nowMs int64) {
	r.add(evSpoutAcked, "", stream, 1, 0, nowMs)
	r.latency(evComplete, "", stream, latencyMs, nowMs)
}

// SpoutFailed counts a failed (or timed out) tuple tree rooted on stream.
func (r *Recorder) SpoutFailed(stream string, nowMs int64) {
	r.add(evSpoutFailed, "", stream, 1, 0, nowMs)
}

// BoltExecuted counts one input tuple from id executed, with its execute latency.
func (r *Recorder) BoltExecuted(id StreamID, latencyMs, nowMs int64) {
	r.add(evExecuted, id.Component, id.Stream, 1, 0, nowMs)
	r.latency(evExecute, id.Component, id.Stream, latencyMs, nowMs)
}

// BoltAcked counts one input tuple from id acked, with its process latency (receipt to ack).
func (r *Recorder) BoltAcked(id StreamID, latencyMs, nowMs int64) {
	r.add(evBoltAcked, id.Component, id.Stream, 1, 0, nowMs)
	r.latency(evProcess, id.Component, id.Stream, latencyMs, nowMs)
}

// BoltFailed counts one input tuple from id failed.
func (r *Recorder) BoltFailed(id StreamID, nowMs int64) {
	r.add(evBoltFailed, id.Component, id.Stream, 1, 0, nowMs)
}

// Pending reports whether events wait for a Flush.
func (r *Recorder) Pending() bool { return len(r.acc) > 0 }

// Flush adds the collected events to the Executor.
func (r *Recorder) Flush() {
	if len(r.acc) == 0 {
		return
	}
	e := r.e
	e.mu.Lock()
	for _, a := range r.acc {
		id := StreamID{Component: a.comp, Stream: a.stream}
		switch a.kind {
		case evEmitted:
			get(e.emitted, a.stream).add(a.now, a.a, a.b)
		case evTransferred:
			get(e.transferred, a.stream).add(a.now, a.a, a.b)
		case evSpoutAcked:
			get(e.spoutAcked, a.stream).add(a.now, a.a, a.b)
		case evSpoutFailed:
			get(e.spoutFailed, a.stream).add(a.now, a.a, a.b)
		case evComplete:
			get(e.complete, a.stream).add(a.now, a.a, a.b)
		case evBoltAcked:
			get(e.boltAcked, id).add(a.now, a.a, a.b)
		case evBoltFailed:
			get(e.boltFailed, id).add(a.now, a.a, a.b)
		case evExecuted:
			get(e.executed, id).add(a.now, a.a, a.b)
		case evProcess:
			get(e.process, id).add(a.now, a.a, a.b)
		case evExecute:
			get(e.execute, id).add(a.now, a.a, a.b)
		}
	}
	e.mu.Unlock()
	clear(r.acc)
	r.acc = r.acc[:0]
}
