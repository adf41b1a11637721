package nimbus

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/testutil"
)

func TestDelayQueue(t *testing.T) {
	clock := newFakeClock()
	q := newDelayQueue(clock.Now)
	q.schedule("a", evRemove, 10)
	q.schedule("b", evDoRebalance, 5)
	q.schedule("c", evRemove, 0)
	q.schedule("b", evRemove, 20) // replaces b's rebalance
	q.cancel("a")
	q.schedule("a", evRemove, 10)
	q.cancel("a")

	if ev, due, ok := q.pendingEvent("b"); !ok || ev != evRemove || !due.Equal(clock.Now().Add(20*time.Second)) {
		t.Fatalf("pending b = %v %v %v", ev, due, ok)
	}
	if got := q.due(); len(got) != 1 || got["c"] != evRemove {
		t.Fatalf("due now = %v", got)
	}
	if w := q.next(); w != pollInterval {
		t.Fatalf("next wait %v, want the poll interval", w)
	}
	clock.Advance(19 * time.Second)
	if got := q.due(); len(got) != 0 {
		t.Fatalf("due at +19 s = %v", got)
	}
	clock.Advance(time.Second)

	// run fires due events on its goroutine and stops with ctx.
	var mu sync.Mutex
	fired := map[string]event{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		q.run(ctx, func(_ context.Context, id string, ev event) {
			mu.Lock()
			fired[id] = ev
			mu.Unlock()
		})
		close(done)
	}()
	testutil.CheckFor(t, 5*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if fired["b"] != evRemove || len(fired) != 1 {
			return fmt.Errorf("fired %v", fired)
		}
		return nil
	})
	cancel()
	<-done
	if _, _, ok := q.pendingEvent("a"); ok {
		t.Fatal("cancelled event still pending")
	}
}
