package testutil

import (
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// Writer returns a writer into t's output (t.Output) that drops everything
// written after t and its cleanups have finished. It is safe for concurrent
// use, e.g. as a child process's stdout and stderr.
func Writer(t testing.TB) io.Writer {
	w := &quietWriter{w: t.Output()}
	t.Cleanup(w.stop)
	return w
}

// Logger returns a text logger at level and above that writes through
// Writer(t).
func Logger(t testing.TB, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(Writer(t), &slog.HandlerOptions{Level: level}))
}

type quietWriter struct {
	mu   sync.Mutex
	w    io.Writer
	done bool
}

func (q *quietWriter) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.done {
		return len(p), nil
	}
	return q.w.Write(p)
}

func (q *quietWriter) stop() {
	q.mu.Lock()
	q.done = true
	q.mu.Unlock()
}

// CheckFor calls fn every poll interval until it returns nil, and fails t
// with fn's last error if d passes first. It waits for an asynchronous
// condition; it is not a timing assertion.
func CheckFor(t testing.TB, d time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v: %v", d, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Clock is a settable clock for code that takes a `func() time.Time`
// (pass c.Now). It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock reading start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}
