package supervisor

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
)

// group owns the supervisor's goroutines: each is started through Go, gets
// the group's context, has its panics logged instead of crashing the
// daemon, and is waited for by Wait. Cancelling the context is the soft
// stop for all of them.
type group struct {
	ctx context.Context
	log *slog.Logger
	wg  sync.WaitGroup
}

func newGroup(ctx context.Context, log *slog.Logger) *group {
	return &group{ctx: ctx, log: log}
}

// Go runs f(ctx) on a new goroutine named name.
func (g *group) Go(name string, f func(ctx context.Context)) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer func() {
			if r := recover(); r != nil {
				g.log.Error("supervisor goroutine panicked", "goroutine", name, "panic", fmt.Sprint(r))
			}
		}()
		f(g.ctx)
	}()
}

// Wait blocks until every goroutine started with Go has returned.
func (g *group) Wait() { g.wg.Wait() }
