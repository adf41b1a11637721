package zk

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"github.com/galeproject/gale/cluster/store"
)

// Retry is Storm's StormBoundedExponentialBackoffRetry: a few quick
// retries that grow slowly, then linear steps up to Ceiling.
type Retry struct {
	Times    int           // storm.zookeeper.retry.times
	Interval time.Duration // storm.zookeeper.retry.interval
	Ceiling  time.Duration // storm.zookeeper.retry.intervalceiling.millis
}

// DefaultRetry is Storm 1.0.0's default policy.
func DefaultRetry() Retry {
	return Retry{Times: DefaultRetryTimes, Interval: DefaultRetryInterval, Ceiling: DefaultRetryIntervalCeiling}
}

// Sleep returns the wait before retry number n (0-based); jitter is in
// [0,1) and makes the result random (rand.Float64 in production).
func (r Retry) Sleep(n int, jitter float64) time.Duration {
	base := r.Interval.Milliseconds()
	ceiling := r.Ceiling.Milliseconds()
	threshold := 1
	for int64(1)<<(threshold+1) < (ceiling-base)/2 {
		threshold++
	}
	if n < threshold {
		exp := int64(1) << n
		return time.Duration(base+exp+int64(jitter*float64(exp))) * time.Millisecond
	}
	linearBase := base + int64(1)<<threshold
	step := max((ceiling-linearBase)/max(int64(r.Times-threshold), 1), 1)
	ms := min(ceiling, linearBase+step*int64(n-threshold)+int64(jitter*float64(step)))
	return time.Duration(ms) * time.Millisecond
}

// do runs one client call with ctx, maps its error, and retries it on
// connection loss (or expiry) when retry is true and the policy allows.
func (s *Store) do(ctx context.Context, op, path string, retry bool, call func() error) error {
	for attempt := 0; ; attempt++ {
		if s.closed.Load() {
			return fmt.Errorf("zk %s %s: %w", op, path, store.ErrClosed)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("zk %s %s: %w", op, path, err)
		}
		err := withContext(ctx, call)
		if err == nil {
			return nil
		}
		mapped := mapErr(err)
		if s.closed.Load() {
			mapped = store.ErrClosed
		}
		transient := errors.Is(mapped, store.ErrConnectionLoss) || errors.Is(mapped, store.ErrSessionExpired)
		if !retry || !transient || attempt >= s.retry.Times {
			if mapped == err {
				return fmt.Errorf("zk %s %s: %w", op, path, err)
			}
			return fmt.Errorf("zk %s %s: %w: %w", op, path, mapped, err)
		}
		d := s.retry.Sleep(attempt, rand.Float64())
		s.log.Debug("zookeeper retry", "op", op, "path", path, "attempt", attempt+1, "sleep", d, "err", err)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("zk %s %s: %w (after %w)", op, path, ctx.Err(), mapped)
		case <-t.C:
		}
	}
}

// withContext runs call, returning early if ctx ends first (the call then
// finishes in the background; the client always answers eventually).
func withContext(ctx context.Context, call func() error) error {
	if ctx.Done() == nil {
		return call()
	}
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// mapErr maps client errors to store errors (others are returned as is).
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gozk.ErrNoNode):
		return store.ErrNoNode
	case errors.Is(err, gozk.ErrNodeExists):
		return store.ErrNodeExists
	case errors.Is(err, gozk.ErrBadVersion):
		return store.ErrBadVersion
	case errors.Is(err, gozk.ErrNotEmpty):
		return store.ErrNotEmpty
	case errors.Is(err, gozk.ErrNoChildrenForEphemerals):
		return store.ErrNoChildrenForEphemerals
	case errors.Is(err, gozk.ErrInvalidPath), errors.Is(err, gozk.ErrBadArguments):
		return store.ErrInvalidPath
	case errors.Is(err, gozk.ErrSessionExpired):
		return store.ErrSessionExpired
	case errors.Is(err, gozk.ErrClosing):
		return store.ErrClosed
	case errors.Is(err, gozk.ErrConnectionClosed), errors.Is(err, gozk.ErrNoServer),
		errors.Is(err, gozk.ErrSessionMoved):
		return store.ErrConnectionLoss
	}
	return err
}
