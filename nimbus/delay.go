package nimbus

import (
	"context"
	"sync"
	"time"
)

// delayQueue holds the delayed transitions of topologies (Storm's
// delay-event on the nimbus timer): at most one pending event per
// topology, a later schedule replacing an earlier one (a kill during a
// rebalance wait replaces the rebalance, whose event Storm would reject as
// "No transition" anyway). Due times come from the injected clock; the
// queue is re-checked at least every pollInterval so that a fake clock
// that jumps ahead is noticed.
//
// Pending events are not persisted: they are rebuilt from the StormBase
// (KILLED / REBALANCING with topology_action_options) by the :startup
// transition when a Nimbus gains leadership.
type delayQueue struct {
	clock func() time.Time

	mu      sync.Mutex
	pending map[string]delayed // storm id -> event
	wake    chan struct{}
}

type delayed struct {
	ev  event
	due time.Time
}

const pollInterval = 250 * time.Millisecond

func newDelayQueue(clock func() time.Time) *delayQueue {
	return &delayQueue{clock: clock, pending: map[string]delayed{}, wake: make(chan struct{}, 1)}
}

// schedule sets the pending event of id to fire after secs seconds.
func (q *delayQueue) schedule(id string, ev event, secs int64) {
	q.mu.Lock()
	q.pending[id] = delayed{ev: ev, due: q.clock().Add(time.Duration(max(secs, 0)) * time.Second)}
	q.mu.Unlock()
	q.poke()
}

// cancel drops the pending event of id.
func (q *delayQueue) cancel(id string) {
	q.mu.Lock()
	delete(q.pending, id)
	q.mu.Unlock()
}

// pendingEvent reports the pending event of id (for tests and status).
func (q *delayQueue) pendingEvent(id string) (event, time.Time, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	d, ok := q.pending[id]
	return d.ev, d.due, ok
}

func (q *delayQueue) poke() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// due removes and returns the events whose time has come.
func (q *delayQueue) due() map[string]event {
	now := q.clock()
	q.mu.Lock()
	defer q.mu.Unlock()
	var out map[string]event
	for id, d := range q.pending {
		if !d.due.After(now) {
			if out == nil {
				out = map[string]event{}
			}
			out[id] = d.ev
			delete(q.pending, id)
		}
	}
	return out
}

// next is the wait until the earliest due event, capped by pollInterval.
func (q *delayQueue) next() time.Duration {
	now := q.clock()
	q.mu.Lock()
	defer q.mu.Unlock()
	wait := pollInterval
	for _, d := range q.pending {
		wait = min(wait, max(d.due.Sub(now), 0))
	}
	return wait
}

// run fires due events until ctx is done. fire runs on this goroutine.
func (q *delayQueue) run(ctx context.Context, fire func(ctx context.Context, id string, ev event)) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		for id, ev := range q.due() {
			fire(ctx, id, ev)
		}
		t.Reset(q.next())
		select {
		case <-ctx.Done():
			return
		case <-q.wake:
		case <-t.C:
		}
	}
}
