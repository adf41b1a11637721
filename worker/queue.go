package worker

import (
	"errors"
	"sync"
)

// errQueueClosed is returned by puts on a closed queue.
var errQueueClosed = errors.New("worker: queue closed")

// queue is the bounded FIFO between goroutines of the worker: an executor's inbox (tuples for
// its tasks) and the outbound queue of a remote worker (encoded messages). One goroutine takes;
// any number put.
//
// It has two bounds. Producers that may wait (executors emitting to a local executor or a remote
// worker) are admitted while the queue holds fewer than capacity items, and otherwise wait on the
// channel TryPut returns: that is the backpressure that stops a bolt whose consumers are slow.
// Producers that must never wait (the transport's read goroutines, and emits inside a cycle of the
// topology graph) always append, up to hard items; beyond that the items are dropped and counted,
// exactly as Storm drops messages to an unreachable worker, and acking replays them.
//
// Crossing the high watermark (with hysteresis down to the low one) calls onCongested, which the
// worker turns into spout throttling.
type queue[T any] struct {
	mu       sync.Mutex
	buf      []T
	head     int
	capacity int
	hard     int
	high     int
	low      int
	closed   bool
	waiters  bool
	space    chan struct{} // closed (and replaced) when a waiting producer may retry
	notify   chan struct{} // capacity 1: items are available
	dropped  int64

	congested   bool
	onCongested func(on bool) // called with mu held; must not block
}

// queueOptions size a queue. Zero watermarks disable congestion reports.
type queueOptions struct {
	Capacity    int
	Hard        int
	High, Low   float64 // fractions of Capacity
	OnCongested func(on bool)
}

func newQueue[T any](o queueOptions) *queue[T] {
	if o.Capacity < 1 {
		o.Capacity = 1
	}
	if o.Hard < o.Capacity {
		o.Hard = o.Capacity
	}
	q := &queue[T]{
		capacity:    o.Capacity,
		hard:        o.Hard,
		space:       make(chan struct{}),
		notify:      make(chan struct{}, 1),
		onCongested: o.OnCongested,
	}
	if o.OnCongested != nil && o.High > 0 {
		q.high = max(1, int(o.High*float64(o.Capacity)))
		q.low = min(q.high-1, int(o.Low*float64(o.Capacity)))
	}
	return q
}

func (q *queue[T]) lenLocked() int { return len(q.buf) - q.head }

// TryPut appends items if the queue holds fewer than capacity items (a batch may overshoot by
// its own size). Otherwise it appends nothing and returns a channel that is closed when the
// consumer has made room; the caller waits on it (and on its own stop signal) and retries.
func (q *queue[T]) TryPut(items []T) (bool, <-chan struct{}, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false, nil, errQueueClosed
	}
	if q.lenLocked() >= q.capacity {
		q.waiters = true
		return false, q.space, nil
	}
	q.appendLocked(items)
	return true, nil, nil
}

// Put appends items, waiting for room until stop is closed (errQueueClosed then).
func (q *queue[T]) Put(items []T, stop <-chan struct{}) error {
	for {
		ok, space, err := q.TryPut(items)
		if ok || err != nil {
			return err
		}
		select {
		case <-space:
		case <-stop:
			return errQueueClosed
		}
	}
}

// PutNoWait appends items without ever waiting; items beyond the hard bound are dropped. It
// returns how many were dropped.
func (q *queue[T]) PutNoWait(items []T) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		q.dropped += int64(len(items))
		return len(items)
	}
	room := q.hard - q.lenLocked()
	drop := 0
	if room < len(items) {
		drop = len(items) - max(room, 0)
		items = items[:len(items)-drop]
		q.dropped += int64(drop)
	}
	q.appendLocked(items)
	return drop
}

func (q *queue[T]) appendLocked(items []T) {
	if len(items) == 0 {
		return
	}
	q.buf = append(q.buf, items...)
	if q.high > 0 && !q.congested && q.lenLocked() >= q.high {
		q.congested = true
		q.onCongested(true)
	}
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// Notify returns the channel that receives a value after items were appended.
func (q *queue[T]) Notify() <-chan struct{} { return q.notify }

// Take moves up to max items to dst and returns it with the number of items still queued. Taken
// slots are cleared so the queue keeps no references.
func (q *queue[T]) Take(dst []T, max int) ([]T, int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(max, q.lenLocked())
	if n == 0 {
		return dst, 0
	}
	dst = append(dst, q.buf[q.head:q.head+n]...)
	clear(q.buf[q.head : q.head+n])
	q.head += n
	left := q.lenLocked()
	switch {
	case left == 0:
		q.buf, q.head = q.buf[:0], 0
		if cap(q.buf) > 4*q.hard { // give back memory a burst took
			q.buf = nil
		}
	case q.head >= 1024 && q.head*2 >= len(q.buf):
		k := copy(q.buf, q.buf[q.head:])
		clear(q.buf[k:])
		q.buf, q.head = q.buf[:k], 0
	}
	if q.congested && left <= q.low {
		q.congested = false
		q.onCongested(false)
	}
	if q.waiters && left < q.capacity && !q.closed {
		q.waiters = false
		close(q.space)
		q.space = make(chan struct{})
	}
	return dst, left
}

// Len returns the number of queued items.
func (q *queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.lenLocked()
}

// Dropped returns how many items PutNoWait dropped.
func (q *queue[T]) Dropped() int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.dropped
}

// Close makes further puts fail and wakes waiting producers; queued items stay takeable. A
// congested queue reports relief.
func (q *queue[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.closed = true
	if q.congested {
		q.congested = false
		q.onCongested(false)
	}
	close(q.space) // wakes waiting producers for good: their retry fails
	q.waiters = false
	select {
	case q.notify <- struct{}{}:
	default:
	}
}
