package nimbus

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/stormthrift"
)

// startFollower starts a second Nimbus on srv that is not (yet) leader.
func startFollower(t *testing.T, srv *mem.Server) *harness {
	t.Helper()
	// A different host name: Storm's blob sequence logic tells nimbuses
	// apart by host.
	h := startNimbusNoWait(t, harnessOpts{srv: srv, host: "localhost", conf: conf.Conf{"nimbus.code.sync.freq.secs": int64(1)}})
	testutil.CheckFor(t, 5*time.Second, func() error {
		if _, err := h.n.latch.Leader(context.Background()); err != nil {
			return err
		}
		ps, err := h.n.latch.Participants(context.Background())
		if err != nil || len(ps) < 2 {
			return fmt.Errorf("participants %v %v", ps, err)
		}
		return nil
	})
	return h
}

func TestFollowerRefusesMutations(t *testing.T) {
	srv := mem.NewServer()
	a := startNimbus(t, harnessOpts{srv: srv})
	b := startFollower(t, srv)
	ctx := context.Background()
	ca, cb := a.client(), b.client()
	leader := a.n.HostPort()

	if b.n.isLeader() {
		t.Fatal("second nimbus is leader")
	}
	cs, err := cb.GetClusterInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	leaders := map[int32]bool{}
	for _, ns := range cs.GetNimbuses() {
		leaders[ns.GetPort()] = ns.GetIsLeader()
	}
	if len(leaders) != 2 || !leaders[int32(a.n.port)] || leaders[int32(b.n.port)] {
		t.Fatalf("nimbuses seen by follower: %v", cs.GetNimbuses())
	}

	jar := upload(t, cb, []byte("jar"))
	msg := "not a leader, current leader is " + leader
	wantErr(t, cb.SubmitTopology(ctx, "f", jar, `{}`, wordCount()), "Internal", msg)
	if err := ca.SubmitTopology(ctx, "f", upload(t, ca, []byte("jar")), `{}`, wordCount()); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"kill":       func() error { return cb.KillTopology(ctx, "f") },
		"activate":   func() error { return cb.Activate(ctx, "f") },
		"deactivate": func() error { return cb.Deactivate(ctx, "f") },
		"rebalance":  func() error { return cb.Rebalance(ctx, "f", &stormthrift.RebalanceOptions{}) },
		"debug":      func() error { return cb.Debug(ctx, "f", "", true, 10) },
		"creds":      func() error { return cb.UploadNewCredentials(ctx, "f", &stormthrift.Credentials{}) },
		"blob": func() error {
			_, err := cb.BeginCreateBlob(ctx, "k", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) { wantErr(t, call(), "Internal", msg) })
	}
	// Reads work on the follower.
	if _, err := cb.GetNimbusConf(ctx); err != nil {
		t.Fatal(err)
	}

	// The follower copies the topology's code from the leader.
	id, _, _ := a.n.stormIDByName(ctx, "f")
	testutil.CheckFor(t, 10*time.Second, func() error {
		for _, k := range topoKeys(id) {
			if r, err := ca.GetBlobReplication(ctx, k); err != nil || r != 2 {
				return fmt.Errorf("replication of %s = %d (%v)", k, r, err)
			}
		}
		return nil
	})

	// The leader goes away: the follower takes over, with the topology.
	a.stop()
	testutil.CheckFor(t, 10*time.Second, func() error {
		if !b.n.isLeader() {
			return fmt.Errorf("follower did not take over")
		}
		return nil
	})
	if err := cb.SubmitTopology(ctx, "g", upload(t, cb, []byte("jar")), `{}`, wordCount()); err != nil {
		t.Fatalf("submit to new leader: %v", err)
	}
	if ts := findTopology(t, cb, "f"); ts == nil || ts.GetID() != id {
		t.Fatalf("topology f lost on takeover: %v", ts)
	}
	if got := downloadBlob(t, cb, jarKey(id)); string(got) != "jar" {
		t.Fatalf("jar on the new leader: %q", got)
	}
	if err := cb.KillTopologyWithOpts(ctx, "f", &stormthrift.KillOptions{WaitSecs: ptr(int32(0))}); err != nil {
		t.Fatalf("kill on the new leader: %v", err)
	}
}

func TestSessionExpiryReregisters(t *testing.T) {
	srv := mem.NewServer()
	h := startNimbus(t, harnessOpts{srv: srv})
	ctx := context.Background()
	c := h.client()
	id := h.submit(c, "exp", `{}`, stormthrift.TopologyInitialStatus_ACTIVE)
	if !srv.Expire(h.st.SessionID()) {
		t.Fatal("session not expired")
	}
	testutil.CheckFor(t, 10*time.Second, func() error {
		if ok, _, err := h.st.Exists(ctx, "/nimbuses/"+h.n.HostPort()); !ok || err != nil {
			return fmt.Errorf("/nimbuses entry missing (%v)", err)
		}
		if !h.n.isLeader() {
			return fmt.Errorf("not leader again")
		}
		r, err := c.GetBlobReplication(ctx, codeKey(id))
		if err != nil || r != 1 {
			return fmt.Errorf("replication %d %v", r, err)
		}
		return nil
	})
	if err := c.KillTopologyWithOpts(ctx, "exp", &stormthrift.KillOptions{WaitSecs: ptr(int32(0))}); err != nil {
		t.Fatalf("kill after expiry: %v", err)
	}
}
