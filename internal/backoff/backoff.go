package backoff

import (
	"context"
	"time"
)

// Policy is Storm's StormBoundedExponentialBackoffRetry: a few quick
// retries that grow slowly, then linear steps up to Ceiling. The zero value
// retries never.
type Policy struct {
	Times    int           // retries after the first attempt
	Interval time.Duration // base wait
	Ceiling  time.Duration // longest wait
}

// Sleep returns the wait before retry number n (0-based); jitter is in
// [0,1) and makes the result random (rand.Float64 in production).
func (p Policy) Sleep(n int, jitter float64) time.Duration {
	base := p.Interval.Milliseconds()
	ceiling := p.Ceiling.Milliseconds()
	threshold := 1
	for int64(1)<<(threshold+1) < (ceiling-base)/2 {
		threshold++
	}
	if n < threshold {
		exp := int64(1) << n
		return time.Duration(base+exp+int64(jitter*float64(exp))) * time.Millisecond
	}
	linearBase := base + int64(1)<<threshold
	step := max((ceiling-linearBase)/max(int64(p.Times-threshold), 1), 1)
	ms := min(ceiling, linearBase+step*int64(n-threshold)+int64(jitter*float64(step)))
	return time.Duration(ms) * time.Millisecond
}

// Wait blocks for d, or until ctx ends and then returns ctx.Err().
func Wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
