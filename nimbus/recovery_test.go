package nimbus

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/stormthrift"
)

func TestMain(m *testing.M) { zktest.Main(m) }

func TestRecoveryMem(t *testing.T) {
	srv := mem.NewServer()
	testRecovery(t, func(t *testing.T) store.Store { return srv.Connect() })
}

func TestRecoveryZooKeeper(t *testing.T) {
	servers := zktest.Start(t)
	root := zktest.Root(t)
	testRecovery(t, func(t *testing.T) store.Store {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := zk.Dial(ctx, servers, root, 10*time.Second, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// testRecovery stops a Nimbus with topologies in every state and starts a
// new one on the same storm.local.dir with a new session of the same
// cluster state: it must serve the same topologies, blobs and assignments,
// continue the id counter, and finish the pending kill and rebalance.
func testRecovery(t *testing.T, connect func(t *testing.T) store.Store) {
	ctx := context.Background()
	clock := newFakeClock()
	dir := t.TempDir()
	supStore := connect(t)
	t.Cleanup(func() { supStore.Close() })
	supState, err := cluster.New(supStore, nil)
	if err != nil {
		t.Fatal(err)
	}
	addSupervisor(t, supState, "sup-1", "host-a", 6700, 6701, 6702, 6703)

	a := startNimbus(t, harnessOpts{dir: dir, store: connect(t), clock: clock})
	ca := a.client()
	keep := a.submit(ca, "keep", `{"topology.workers": 1}`, stormthrift.TopologyInitialStatus_ACTIVE)
	pending := a.submit(ca, "pending", `{}`, stormthrift.TopologyInitialStatus_ACTIVE)
	reb := a.submit(ca, "reb", `{}`, stormthrift.TopologyInitialStatus_INACTIVE)
	a.waitAssignment(keep, 1+5+8+12)
	a.waitAssignment(reb, 1+5+8+12)
	if err := ca.KillTopologyWithOpts(ctx, "pending", &stormthrift.KillOptions{WaitSecs: ptr(int32(100))}); err != nil {
		t.Fatal(err)
	}
	if err := ca.Rebalance(ctx, "reb", &stormthrift.RebalanceOptions{WaitSecs: ptr(int32(50)), NumExecutors: map[string]int32{"count": 3}}); err != nil {
		t.Fatal(err)
	}
	_, keepVersion, err := supState.Assignment(ctx, keep)
	if err != nil {
		t.Fatal(err)
	}
	a.stop()

	b := startNimbus(t, harnessOpts{dir: dir, store: connect(t), clock: clock})
	cb := b.client()
	cs, err := cb.GetClusterInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, ts := range cs.GetTopologies() {
		status[ts.GetName()] = ts.GetStatus()
	}
	if status["keep"] != "ACTIVE" || status["pending"] != "KILLED" || status["reb"] != "REBALANCING" || len(status) != 3 {
		t.Fatalf("topologies after restart: %v", status)
	}
	if len(cs.GetNimbuses()) != 1 || cs.GetNimbuses()[0].GetPort() != int32(b.n.port) || !cs.GetNimbuses()[0].GetIsLeader() {
		t.Fatalf("nimbuses after restart: %v", cs.GetNimbuses())
	}
	if _, err := cb.GetTopologyConf(ctx, keep); err != nil {
		t.Fatalf("getTopologyConf after restart: %v", err)
	}
	if got := downloadBlob(t, cb, jarKey(keep)); string(got) != "jar keep" {
		t.Fatalf("jar after restart: %q", got)
	}
	testutil.CheckFor(t, 5*time.Second, func() error {
		for _, k := range topoKeys(keep) {
			if r, err := cb.GetBlobReplication(ctx, k); err != nil || r != 1 {
				return fmt.Errorf("replication of %s = %d, %v", k, r, err)
			}
		}
		return nil
	})
	b.n.assignAndCleanup(ctx)
	if _, v, err := supState.Assignment(ctx, keep); err != nil || v != keepVersion {
		t.Fatalf("assignment of keep rewritten after restart: version %d -> %d (%v)", keepVersion, v, err)
	}

	// The id counter continues.
	id := b.submit(cb, "fresh", `{}`, stormthrift.TopologyInitialStatus_ACTIVE)
	if !strings.HasPrefix(id, "fresh-4-") {
		t.Fatalf("new id %s, want counter 4", id)
	}

	// Pending actions resume with their full wait (as Storm's :startup).
	clock.Advance(51 * time.Second)
	testutil.CheckFor(t, 5*time.Second, func() error {
		bs := b.base(reb)
		if bs.GetStatus() != stormthrift.TopologyStatus_INACTIVE || bs.GetComponentExecutors()["count"] != 3 {
			return fmt.Errorf("reb after wait: %v", bs)
		}
		return nil
	})
	if b.base(pending) == nil {
		t.Fatal("pending removed too early")
	}
	clock.Advance(50 * time.Second)
	testutil.CheckFor(t, 5*time.Second, func() error {
		if b.base(pending) != nil {
			return fmt.Errorf("pending still there")
		}
		return nil
	})
	testutil.CheckFor(t, 5*time.Second, func() error {
		if _, err := b.n.blobs.Meta(codeKey(pending)); err == nil {
			return fmt.Errorf("code of pending still stored")
		}
		return nil
	})
}
