package worker

import "time"

// Clock is the worker's source of time: timestamps for stats, latencies and heartbeats, and the
// tickers behind tick tuples, message timeouts and heartbeats. Tests inject a manual clock to
// drive timeouts deterministically.
type Clock interface {
	Now() time.Time
	// NewTicker returns a ticker that fires every d (d > 0). Like time.Ticker, its channel holds
	// at most one pending tick, so a slow receiver sees ticks coalesce.
	NewTicker(d time.Duration) Ticker
}

// Ticker is a stoppable periodic timer.
type Ticker interface {
	C() <-chan time.Time
	Stop()
}

// RealClock is the wall clock.
type RealClock struct{}

// Now implements Clock.
func (RealClock) Now() time.Time { return time.Now() }

// NewTicker implements Clock.
func (RealClock) NewTicker(d time.Duration) Ticker { return realTicker{time.NewTicker(d)} }

type realTicker struct{ t *time.Ticker }

func (t realTicker) C() <-chan time.Time { return t.t.C }
func (t realTicker) Stop()               { t.t.Stop() }

// nilTicker never fires; used where a period is not configured.
type nilTicker struct{}

func (nilTicker) C() <-chan time.Time { return nil }
func (nilTicker) Stop()               {}

func secs(n int64) time.Duration { return time.Duration(n) * time.Second }
