package routine

import (
	"context"
	"fmt"
	"sync"
)

// Group tracks goroutines. The zero value is ready to use.
type Group struct {
	wg      sync.WaitGroup
	mu      sync.Mutex
	running map[string]int
}

// Go runs fn in a new goroutine named name (names are for diagnostics; they need not be unique).
func (g *Group) Go(name string, fn func()) {
	g.mu.Lock()
	if g.running == nil {
		g.running = make(map[string]int)
	}
	g.running[name]++
	g.mu.Unlock()
	g.wg.Add(1)
	go func() {
		defer func() {
			g.mu.Lock()
			if g.running[name]--; g.running[name] == 0 {
				delete(g.running, name)
			}
			g.mu.Unlock()
			g.wg.Done()
		}()
		fn()
	}()
}

// Wait waits until every goroutine has returned, or ctx is done; then the error names the
// goroutines still running.
func (g *Group) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		g.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		return fmt.Errorf("goroutines still running %v: %w", g.running, ctx.Err())
	}
}
