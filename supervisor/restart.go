package supervisor

import "time"

// RestartPolicy says how soon a slot may launch a worker again after its
// previous worker failed (exited, timed out, or never started). The first
// restart is immediate, as in Storm; repeated failures back off
// exponentially so a crashing worker does not spin, and a worker that lived
// through Stable clears the count.
type RestartPolicy struct {
	Base   time.Duration // delay before the second restart; doubled for each further one
	Max    time.Duration // cap of the delay
	Stable time.Duration // a worker that ran this long resets the failure count
}

// DefaultRestartPolicy is what a zero Config.Restart means: restarts at
// once, then after 1 s, 2 s, 4 s ... up to 30 s; reset after a minute of
// good behaviour.
func DefaultRestartPolicy() RestartPolicy {
	return RestartPolicy{Base: time.Second, Max: 30 * time.Second, Stable: time.Minute}
}

// Backoff is the delay before the restart that follows the n-th
// consecutive failure (n ≥ 1).
func (p RestartPolicy) Backoff(n int) time.Duration {
	if n <= 1 {
		return 0
	}
	d := p.Base
	for i := 2; i < n && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// RestartTracker applies a RestartPolicy to one slot. It reads time only
// through its clock. Not safe for concurrent use: one slot runner owns it.
type RestartTracker struct {
	policy   RestartPolicy
	clock    func() time.Time
	failures int
	last     time.Time // of the newest failure
}

// NewRestartTracker returns a tracker with no failures.
func NewRestartTracker(p RestartPolicy, clock func() time.Time) *RestartTracker {
	return &RestartTracker{policy: p, clock: clock}
}

// Failed records that the slot's worker, launched at launchedAt (zero if
// unknown), failed now.
func (t *RestartTracker) Failed(launchedAt time.Time) {
	now := t.clock()
	if !launchedAt.IsZero() && t.policy.Stable > 0 && now.Sub(launchedAt) >= t.policy.Stable {
		t.failures = 0
	}
	t.failures++
	t.last = now
}

// Reset forgets the failures (the slot's assignment changed, or it was
// emptied on purpose).
func (t *RestartTracker) Reset() { t.failures, t.last = 0, time.Time{} }

// Failures is the count of consecutive failures.
func (t *RestartTracker) Failures() int { return t.failures }

// Delay is how long the slot must still wait before its next launch; zero
// means now.
func (t *RestartTracker) Delay() time.Duration {
	if t.failures == 0 {
		return 0
	}
	return max(0, t.last.Add(t.policy.Backoff(t.failures)).Sub(t.clock()))
}
