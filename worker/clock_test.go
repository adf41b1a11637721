package worker

import (
	"sync"
	"time"
)

// manualClock is a Clock that moves only when Advance is called; tickers fire (at most one
// pending tick each, like time.Ticker) as their periods elapse.
type manualClock struct {
	mu      sync.Mutex
	now     time.Time
	tickers []*manualTicker
}

type manualTicker struct {
	c       chan time.Time
	d       time.Duration
	next    time.Time
	stopped bool
	clk     *manualClock
}

func newManualClock() *manualClock { return &manualClock{now: time.Unix(1_700_000_000, 0)} }

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) NewTicker(d time.Duration) Ticker {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &manualTicker{c: make(chan time.Time, 1), d: d, next: c.now.Add(d), clk: c}
	c.tickers = append(c.tickers, t)
	return t
}

// Advance moves the clock and fires the tickers that are due.
func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for _, t := range c.tickers {
		if t.stopped {
			continue
		}
		fire := false
		for !t.next.After(c.now) {
			t.next = t.next.Add(t.d)
			fire = true
		}
		if fire {
			select {
			case t.c <- c.now:
			default:
			}
		}
	}
}

func (t *manualTicker) C() <-chan time.Time { return t.c }

func (t *manualTicker) Stop() {
	t.clk.mu.Lock()
	defer t.clk.mu.Unlock()
	t.stopped = true
}
