package pending

import (
	"fmt"
	"slices"

	"github.com/galeproject/gale/worker/internal/rotating"
)

// Reason says how a tree left the tracker.
type Reason uint8

// Reasons.
const (
	Acked    Reason = iota + 1 // __ack_ack from the acker
	Failed                     // __ack_fail from the acker ("FAIL-STREAM" in Storm's log)
	TimedOut                   // not completed within the message timeout ("TIMEOUT")
)

func (r Reason) String() string {
	switch r {
	case Acked:
		return "ACKED"
	case Failed:
		return "FAIL-STREAM"
	case TimedOut:
		return "TIMEOUT"
	}
	return "invalid"
}

// Entry is what the spout executor remembers about one tree.
type Entry struct {
	Task    int32  // the spout task that emitted the root tuple
	MsgID   any    // the spout's message id, handed back to Spout.Ack / Spout.Fail
	Stream  string // stream of the root emit (stats are kept per stream)
	Values  []any  // root tuple values, kept only when topology.debug is on (for logging)
	StartMs int64  // emit time in milliseconds
}

// Result is one tree leaving the tracker.
type Result struct {
	Root int64
	Entry
	Reason    Reason
	LatencyMs int64 // complete latency: time of the outcome minus StartMs
}

// Options configure a Tracker.
type Options struct {
	// MaxPending bounds the trees in flight (Full); 0 means unbounded. Use Limit to derive it
	// from topology.max.spout.pending.
	MaxPending int
	// Buckets of the rotating map (default 2, as in Storm).
	Buckets int
}

// Limit returns Storm's per-executor bound: topology.max.spout.pending times the number of spout
// tasks in the executor; 0 (unbounded) when maxSpoutPending is not positive.
func Limit(maxSpoutPending int64, numTasks int) int {
	if maxSpoutPending <= 0 {
		return 0
	}
	return int(maxSpoutPending) * numTasks
}

// TaskMismatchError is returned when the acker reports a root to a task other than the one that
// emitted it (Storm: "Fatal error, mismatched task ids").
type TaskMismatchError struct {
	Root           int64
	Task, Expected int32
}

func (e *TaskMismatchError) Error() string {
	return fmt.Sprintf("fatal error, mismatched task ids: %d %d (root %d)", e.Task, e.Expected, e.Root)
}

type item struct {
	Entry
	seq uint64
}

type expiredItem struct {
	root int64
	item
}

// Tracker is the pending map plus the in-flight window of one spout executor.
type Tracker struct {
	m       *rotating.Map[int64, item]
	max     int
	seq     uint64
	out     []Result
	expired []expiredItem
	expire  func(int64, item)
}

// New returns an empty Tracker.
func New(opts Options) *Tracker {
	if opts.Buckets == 0 {
		opts.Buckets = 2
	}
	t := &Tracker{m: rotating.New[int64, item](opts.Buckets), max: opts.MaxPending}
	t.expire = func(root int64, it item) { t.expired = append(t.expired, expiredItem{root, it}) }
	return t
}

// Add starts tracking a tree. Adding a root that is already tracked replaces it (root ids are
// random 64-bit values, so this does not happen in practice).
func (t *Tracker) Add(root int64, e Entry) {
	t.seq++
	t.m.Put(root, item{Entry: e, seq: t.seq})
}

// Ack completes root as acked, reported for task. It returns false when root is not tracked (it
// timed out earlier, or the ack is a duplicate): nothing happens then.
func (t *Tracker) Ack(root int64, task int32, nowMs int64) (bool, error) {
	return t.complete(root, task, nowMs, Acked)
}

// Fail completes root as failed; see Ack.
func (t *Tracker) Fail(root int64, task int32, nowMs int64) (bool, error) {
	return t.complete(root, task, nowMs, Failed)
}

func (t *Tracker) complete(root int64, task int32, nowMs int64, r Reason) (bool, error) {
	it, ok := t.m.Take(root)
	if !ok {
		return false, nil
	}
	if it.Task != task {
		return true, &TaskMismatchError{Root: root, Task: task, Expected: it.Task}
	}
	t.out = append(t.out, Result{Root: root, Entry: it.Entry, Reason: r, LatencyMs: nowMs - it.StartMs})
	return true, nil
}

// ResetTimeout restarts the timeout of root; false when it is not tracked.
func (t *Tracker) ResetTimeout(root int64) bool {
	it, ok := t.m.Take(root)
	if ok {
		t.m.PutNew(root, it)
	}
	return ok
}

// Tick rotates the buckets: trees idle for Buckets-1 to Buckets ticks time out, in emission order.
func (t *Tracker) Tick(nowMs int64) {
	t.m.Rotate(t.expire)
	if len(t.expired) == 0 {
		return
	}
	slices.SortFunc(t.expired, func(a, b expiredItem) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	for _, e := range t.expired {
		t.out = append(t.out, Result{Root: e.root, Entry: e.Entry, Reason: TimedOut, LatencyMs: nowMs - e.StartMs})
	}
	clear(t.expired)
	t.expired = t.expired[:0]
}

// TakeOutbox appends the results to dst, empties the outbox and returns dst.
func (t *Tracker) TakeOutbox(dst []Result) []Result {
	dst = append(dst, t.out...)
	clear(t.out) // drop references to message ids and values
	t.out = t.out[:0]
	return dst
}

// Len returns the number of trees in flight (Storm's SpoutOutputCollector.getPendingCount).
func (t *Tracker) Len() int { return t.m.Len() }

// Full reports whether the in-flight window is full, so NextTuple must not be called.
func (t *Tracker) Full() bool { return t.max > 0 && t.m.Len() >= t.max }

// Bounded reports whether MaxPending bounds the trees in flight.
func (t *Tracker) Bounded() bool { return t.max > 0 }

// Max returns the window bound (0 = unbounded).
func (t *Tracker) Max() int { return t.max }
