package worker

import (
	"fmt"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/worker/stats"
)

// wordCount builds spout(2) → split(3) shuffle → count(4) fields("word").
func wordCount(t testing.TB, l *ledger, splitMode string, splitConf map[string]any) *topoBuilder {
	app := wordCountApp(l, splitMode)
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.sentences", 2)
	b.bolt("split", "test.split", 3, splitConf, shuffle("spout"))
	b.bolt("count", "test.count", 4, nil, fields("split", "word"))
	return b
}

func checkCounts(t *testing.T, l *ledger) {
	t.Helper()
	want := expectedCounts(l.n)
	if got := l.snapshotCounts(); !maps.Equal(got, want) {
		t.Fatalf("word counts differ:\n got %v\nwant %v", got, want)
	}
}

func TestWordCountOneWorker(t *testing.T) {
	l := newLedger(400)
	b := wordCount(t, l, "", nil)
	st := newMemState(t)
	c := newTestCluster(t, st, b.app, b.top, conf.Conf{conf.TopologyAckerExecutors: int64(2)}, 1)
	c.startAll()
	checkFor(t, 20*time.Second, l.allAcked)
	checkCounts(t, l)
	l.mu.Lock()
	for id, n := range l.acked {
		if n != 1 {
			t.Errorf("id %d acked %d times", id, n)
		}
	}
	if len(l.failed) != 0 {
		t.Errorf("failures without faults: %v", l.failed)
	}
	l.mu.Unlock()

	// The cluster heartbeat carries every executor's stats, the spouts' acked counts included.
	checkFor(t, 10*time.Second, func() error {
		hb, err := st.WorkerHeartbeat(c.ctx, c.stormID, c.slots[0].node, c.slots[0].port)
		if err != nil || hb == nil {
			return fmt.Errorf("no heartbeat: %v", err)
		}
		var acked int64
		sawSystem := false
		for ei, es := range hb.ExecutorStats {
			if ei.TaskStart == -1 {
				sawSystem = true
			}
			if sp := es.GetSpecific().GetSpout(); sp != nil {
				acked += sp.Acked[stats.WindowAllTime]["default"]
			}
		}
		if !sawSystem || len(hb.ExecutorStats) != 2+3+4+2+1 {
			return fmt.Errorf("heartbeat has %d executors (system %v)", len(hb.ExecutorStats), sawSystem)
		}
		if acked != int64(l.n) {
			return fmt.Errorf("heartbeat: %d spout acks, want %d", acked, l.n)
		}
		return nil
	})

	// Local heartbeat for the supervisor.
	ls, err := compat.OpenLocalState(filepath.Join(c.dir, "workers", "w-0", "heartbeats"))
	if err != nil {
		t.Fatal(err)
	}
	var lhb stormthrift.LSWorkerHeartbeat
	if ok, err := ls.Get(compat.LSWorkerHeartbeat, &lhb); !ok || err != nil {
		t.Fatalf("local heartbeat: %v %v", ok, err)
	}
	if lhb.TopologyID != c.stormID || int(lhb.Port) != c.slots[0].port || len(lhb.Executors) != 12 || lhb.Executors[0].TaskStart != -1 {
		t.Fatalf("local heartbeat %+v", lhb)
	}

	if err := c.stop(0); err != nil {
		t.Fatalf("Run returned %v after cancel", err)
	}
	if hb, err := st.WorkerHeartbeat(c.ctx, c.stormID, c.slots[0].node, c.slots[0].port); err != nil || hb != nil {
		t.Fatalf("worker heartbeat left after shutdown: %v %v", hb, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.opened != 2 || l.activated != 2 || l.closed != 2 {
		t.Fatalf("spout life cycle: opened %d activated %d closed %d", l.opened, l.activated, l.closed)
	}
}

func TestWordCountTwoWorkers(t *testing.T) {
	l := newLedger(400)
	b := wordCount(t, l, "", nil)
	c := newTestCluster(t, newMemState(t), b.app, b.top, conf.Conf{conf.TopologyAckerExecutors: int64(2)}, 2)
	c.startAll()
	checkFor(t, 30*time.Second, l.allAcked)
	checkCounts(t, l)
	for i := range c.slots {
		if err := c.stop(i); err != nil {
			t.Fatalf("worker %d: %v", i, err)
		}
	}
}

func TestFailingBoltReplays(t *testing.T) {
	l := newLedger(300)
	b := wordCount(t, l, "fail", nil)
	c := newTestCluster(t, newMemState(t), b.app, b.top, conf.Conf{conf.TopologyAckerExecutors: int64(1)}, 2)
	c.startAll()
	checkFor(t, 30*time.Second, l.allAcked)
	// The split bolt fails before emitting, so replays do not double-count.
	checkCounts(t, l)
	l.mu.Lock()
	defer l.mu.Unlock()
	for id := range l.n {
		wantFail := 0
		if id%10 == 0 {
			wantFail = 1
		}
		if l.acked[id] != 1 || l.failed[id] != wantFail {
			t.Errorf("id %d: acked %d failed %d, want 1 and %d", id, l.acked[id], l.failed[id], wantFail)
		}
	}
}

func TestTimeoutsReplay(t *testing.T) {
	l := newLedger(100)
	b := wordCount(t, l, "drop", nil)
	clk := newManualClock()
	c := newTestCluster(t, newMemState(t), b.app, b.top, conf.Conf{
		conf.TopologyAckerExecutors:     int64(1),
		conf.TopologyMessageTimeoutSecs: int64(30),
	}, 1)
	c.clock = clk
	c.startAll()
	// Everything but the dropped tenth completes without time passing.
	checkFor(t, 20*time.Second, func() error {
		l.mu.Lock()
		defer l.mu.Unlock()
		if len(l.acked) != l.n-l.n/10 {
			return fmt.Errorf("%d acked", len(l.acked))
		}
		return nil
	})
	time.Sleep(100 * time.Millisecond)
	l.mu.Lock()
	if len(l.failed) != 0 {
		t.Fatalf("failed before any timeout: %v", l.failed)
	}
	l.mu.Unlock()
	// One message timeout is not enough (trees time out after 1–2 periods) ...
	clk.Advance(30 * time.Second)
	time.Sleep(200 * time.Millisecond)
	l.mu.Lock()
	early := len(l.failed)
	l.mu.Unlock()
	if early != 0 {
		t.Fatalf("%d trees timed out after one period", early)
	}
	// ... two are: the dropped trees fail with a timeout and are replayed to completion.
	checkFor(t, 20*time.Second, func() error {
		clk.Advance(30 * time.Second)
		return l.allAcked()
	})
	checkCounts(t, l)
	l.mu.Lock()
	defer l.mu.Unlock()
	for id := 0; id < l.n; id += 10 {
		if l.failed[id] < 1 {
			t.Errorf("dropped id %d never failed", id)
		}
	}
}

func TestNoAckers(t *testing.T) {
	l := newLedger(200)
	b := wordCount(t, l, "", nil)
	c := newTestCluster(t, newMemState(t), b.app, b.top, conf.Conf{conf.TopologyAckerExecutors: int64(0)}, 2)
	c.startAll()
	checkFor(t, 20*time.Second, l.allAcked) // acked as soon as emitted
	checkFor(t, 20*time.Second, func() error {
		if got, want := l.snapshotCounts(), expectedCounts(l.n); !maps.Equal(got, want) {
			return fmt.Errorf("counts %v", got)
		}
		return nil
	})
}

func TestMaxSpoutPending(t *testing.T) {
	l := newLedger(300)
	b := wordCount(t, l, "", nil)
	c := newTestCluster(t, newMemState(t), b.app, b.top, conf.Conf{
		conf.TopologyAckerExecutors:  int64(1),
		conf.TopologyMaxSpoutPending: int64(3),
	}, 1)
	c.startAll()
	checkFor(t, 20*time.Second, l.allAcked)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.maxPend > 3 || l.maxPend == 0 {
		t.Fatalf("NextTuple saw %d pending, want 1..3", l.maxPend)
	}
}

func TestTickTuples(t *testing.T) {
	l := newLedger(0)
	b := wordCount(t, l, "", map[string]any{conf.TopologyTickTupleFreqSecs: int64(5)})
	clk := newManualClock()
	c := newTestCluster(t, newMemState(t), b.app, b.top, conf.Conf{conf.TopologyAckerExecutors: int64(1)}, 1)
	c.clock = clk
	c.startAll()
	checkFor(t, 20*time.Second, func() error {
		clk.Advance(5 * time.Second)
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.ticks < 6 { // 3 split tasks, at least two ticks each
			return fmt.Errorf("%d ticks", l.ticks)
		}
		return nil
	})
}
