package zk

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	gozk "github.com/go-zookeeper/zk"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/internal/backoff"
)

// Retry is the policy for retrying operations that failed on connection
// loss (storm.zookeeper.retry.*): Storm's bounded exponential backoff.
type Retry = backoff.Policy

// DefaultRetry is Storm 1.0.0's default policy.
func DefaultRetry() Retry {
	return Retry{Times: DefaultRetryTimes, Interval: DefaultRetryInterval, Ceiling: DefaultRetryIntervalCeiling}
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
		if err := backoff.Wait(ctx, d); err != nil {
			return fmt.Errorf("zk %s %s: %w (after %w)", op, path, err, mapped)
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
