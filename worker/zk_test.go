package worker

import (
	"context"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/zktest"
)

// TestWordCountOnZooKeeper runs the two-worker word count against a real ZooKeeper: the
// assignment, storm base and backpressure watches, heartbeats and their removal.
func TestWordCountOnZooKeeper(t *testing.T) {
	servers := zktest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := zk.Dial(ctx, servers, zktest.Root(t), 10*time.Second, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	st, err := cluster.New(s, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	l := newLedger(300)
	b := wordCount(t, l, "fail", nil)
	c := newTestCluster(t, st, b.app, b.top, conf.Conf{conf.TopologyAckerExecutors: int64(2)}, 2)
	c.startAll()
	checkFor(t, 60*time.Second, l.allAcked)
	checkCounts(t, l)
	checkFor(t, 20*time.Second, func() error {
		hbs, err := st.WorkerHeartbeats(c.ctx, c.stormID)
		if err != nil || len(hbs) != 2 {
			return errorf("%d heartbeats: %v", len(hbs), err)
		}
		return nil
	})
	if err := st.RemoveAssignment(c.ctx, c.stormID); err != nil {
		t.Fatal(err)
	}
	for i := range c.slots {
		if err, ok := c.wait(i, 30*time.Second); !ok || err != nil {
			t.Fatalf("worker %d: stopped %v, err %v", i, ok, err)
		}
	}
	if hbs, err := st.WorkerHeartbeats(c.ctx, c.stormID); err != nil || len(hbs) != 0 {
		t.Fatalf("heartbeats left: %v %v", hbs, err)
	}
}
