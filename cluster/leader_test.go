package cluster_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/internal/testutil"
)

var latchNode = regexp.MustCompile(`^_c_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-latch-[0-9]{10}$`)

func startLatch(t *testing.T, s store.Store, id string) *cluster.LeaderLatch {
	t.Helper()
	l := cluster.NewLeaderLatch(s, id, testLogger(t))
	must(t, l.Start(ctxT(t)))
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func awaitLeader(t *testing.T, l *cluster.LeaderLatch) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := l.AwaitLeadership(ctx); err != nil {
		t.Fatalf("no leadership: %v", err)
	}
}

func participants(t *testing.T, l *cluster.LeaderLatch) []cluster.Participant {
	t.Helper()
	ps, err := l.Participants(ctxT(t))
	must(t, err)
	return ps
}

func TestLeaderLatch(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		s1, s2 := b.open(), b.open()
		l1 := startLatch(t, s1, "n1:6627")
		awaitLeader(t, l1)
		l2 := startLatch(t, s2, "n2:6627")
		if l2.IsLeader() {
			t.Fatal("second member leads")
		}
		leader, err := l2.Leader(ctx)
		if err != nil || leader != "n1:6627" {
			t.Fatalf("leader %q %v", leader, err)
		}
		ps := participants(t, l2)
		if fmt.Sprint(ps) != "[{n1:6627 true} {n2:6627 false}]" {
			t.Fatalf("participants %v", ps)
		}

		// Curator's node names and data.
		kids, err := s1.Children(ctx, cluster.LeaderLockRoot)
		must(t, err)
		if len(kids) != 2 {
			t.Fatalf("latch nodes %v", kids)
		}
		for _, k := range kids {
			if !latchNode.MatchString(k) {
				t.Fatalf("latch node %q is not Curator's protected name", k)
			}
			data, stat, err := s1.Get(ctx, cluster.LeaderLockRoot+"/"+k)
			must(t, err)
			if stat.EphemeralOwner == 0 || (string(data) != "n1:6627" && string(data) != "n2:6627") {
				t.Fatalf("latch node %s: %q owner %d", k, data, stat.EphemeralOwner)
			}
		}

		// The leader leaves; the next member takes over.
		must(t, l1.Close())
		awaitLeader(t, l2)
		if l1.IsLeader() {
			t.Fatal("closed latch leads")
		}
		leader, err = l2.Leader(ctx)
		if err != nil || leader != "n2:6627" {
			t.Fatalf("leader %q %v", leader, err)
		}
		must(t, l2.Close())
		if _, err := l2.Leader(ctx); err == nil {
			t.Fatal("leader of an empty latch")
		}
	})
}

// TestLeaderLatchExpiry: when the leader's session expires, leadership
// moves on, and the old leader re-joins at the back with its new session.
func TestLeaderLatchExpiry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		s1, s2 := b.open(), b.open()
		l1 := startLatch(t, s1, "n1:6627")
		awaitLeader(t, l1)
		l2 := startLatch(t, s2, "n2:6627")

		b.expire(s1)
		awaitLeader(t, l2)
		testutil.CheckFor(t, 20*time.Second, func() error {
			ps := participants(t, l2)
			if fmt.Sprint(ps) != "[{n2:6627 true} {n1:6627 false}]" {
				return fmt.Errorf("participants %v", ps)
			}
			return nil
		})
		if l1.IsLeader() {
			t.Fatal("expired member still leads")
		}
	})
}

// TestLeaderLatchWithCuratorMember: a member that joined the way Curator
// does (a Java nimbus) with a lower sequence number leads; Gale's member
// follows it and takes over when its node goes.
func TestLeaderLatchWithCuratorMember(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		java, gale := b.open(), b.open()
		must(t, store.Mkdirs(ctx, java, cluster.LeaderLockRoot, []byte{}))
		p, err := java.Create(ctx, cluster.LeaderLockRoot+"/_c_0d5c6f1e-3a8b-4c1d-9e2f-1a2b3c4d5e6f-latch-",
			[]byte("java-nimbus:6627"), store.EphemeralSequential)
		must(t, err)
		l := startLatch(t, gale, "gale:6627")
		time.Sleep(100 * time.Millisecond)
		if l.IsLeader() {
			t.Fatal("Gale leads over an earlier Curator member")
		}
		if leader, err := l.Leader(ctx); err != nil || leader != "java-nimbus:6627" {
			t.Fatalf("leader %q %v", leader, err)
		}
		must(t, java.Delete(ctx, p, -1))
		awaitLeader(t, l)
	})
}

// TestLeaderLatchNodeDeleted: if someone deletes the leader's node, the
// latch notices and re-joins.
func TestLeaderLatchNodeDeleted(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		s, other := b.open(), b.open()
		l := startLatch(t, s, "n1:6627")
		awaitLeader(t, l)
		kids, err := other.Children(ctx, cluster.LeaderLockRoot)
		must(t, err)
		must(t, other.Delete(ctx, cluster.LeaderLockRoot+"/"+kids[0], -1))
		testutil.CheckFor(t, 20*time.Second, func() error {
			kids, err := other.Children(ctx, cluster.LeaderLockRoot)
			if err != nil {
				return err
			}
			if len(kids) != 1 || !l.IsLeader() {
				return fmt.Errorf("latch nodes %v, leader %v", kids, l.IsLeader())
			}
			return nil
		})
	})
}
