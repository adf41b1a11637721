package backoff

import (
	"context"
	"testing"
	"time"
)

func TestSleepBounds(t *testing.T) {
	for _, p := range []Policy{
		{Times: 5, Interval: time.Second, Ceiling: 30 * time.Second},                  // storm.zookeeper.retry.*
		{Times: 5, Interval: 2 * time.Second, Ceiling: 60 * time.Second},              // storm.nimbus.retry.*
		{Times: 20, Interval: time.Second, Ceiling: 1100 * time.Millisecond},          // tight ceiling
		{Times: 3, Interval: 300 * time.Millisecond, Ceiling: 300 * time.Millisecond}, // no room to grow
	} {
		for n := range p.Times {
			lo, hi := p.Sleep(n, 0), p.Sleep(n, 0.999)
			if lo < p.Interval || hi > max(p.Ceiling, p.Interval+2*time.Millisecond) || hi < lo {
				t.Fatalf("%+v: retry %d sleeps %v..%v", p, n, lo, hi)
			}
		}
	}
}

func TestWait(t *testing.T) {
	if err := Wait(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("Wait = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Wait(ctx, time.Hour); err != context.Canceled {
		t.Fatalf("Wait on a cancelled context = %v, want context.Canceled", err)
	}
}
