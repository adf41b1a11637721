package blobstore

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/stormthrift"
)

func TestMain(m *testing.M) { zktest.Main(m) }

// backend opens ZooKeeper sessions that all see the same tree.
type backend struct {
	name    string
	connect func(t *testing.T) func(t *testing.T) store.Store
}

var backends = []backend{
	{"mem", func(t *testing.T) func(t *testing.T) store.Store {
		srv := mem.NewServer()
		return func(t *testing.T) store.Store {
			s := srv.Connect()
			t.Cleanup(func() { s.Close() })
			return s
		}
	}},
	{"zookeeper", func(t *testing.T) func(t *testing.T) store.Store {
		servers := zktest.Start(t)
		root := zktest.Root(t)
		return func(t *testing.T) store.Store {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s, err := zk.Dial(ctx, servers, root, 5*time.Second, testLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	}},
}

// nimbusStore is a blob store in dir for the nimbus hostPort over a new
// ZooKeeper session.
func nimbusStore(t *testing.T, session store.Store, dir, hostPort string) *Store {
	t.Helper()
	st, err := cluster.New(session, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(dir, Options{State: st, HostPort: hostPort, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	s.disk.noSync = true
	t.Cleanup(func() { s.Close() })
	return s
}

func holders(t *testing.T, s *Store, key string) []string {
	t.Helper()
	kids, err := s.state.BlobstoreInfo(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(kids)
	return kids
}

func maxSeq(t *testing.T, s *Store, key string) int {
	t.Helper()
	n, ok, err := s.state.MaxKeySequence(context.Background(), key)
	if err != nil || !ok {
		t.Fatalf("max sequence of %s: %d %v %v", key, n, ok, err)
	}
	return n
}

func replication(t *testing.T, s *Store, key string) int {
	t.Helper()
	n, err := s.Replication(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegisterStateAndReplication(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			connect := b.connect(t)
			n1 := nimbusStore(t, connect(t), t.TempDir(), "nimbus1:6627")
			const key = "topo-1-1-stormjar.jar"

			if err := n1.Put(ctx, key, nil, []byte("jar v1")); err != nil {
				t.Fatal(err)
			}
			if got := replication(t, n1, key); got != 0 {
				t.Errorf("replication before RegisterState = %d", got)
			}
			if err := n1.RegisterState(ctx, key); err != nil {
				t.Fatal(err)
			}
			if got, want := holders(t, n1, key), []string{"nimbus1:6627-1"}; !slices.Equal(got, want) {
				t.Errorf("holders %q, want %q", got, want)
			}
			if got := maxSeq(t, n1, key); got != 1 {
				t.Errorf("max %d, want 1", got)
			}
			// The max-sequence node holds a 4-byte big-endian int.
			raw, _, err := n1.state.Store().Get(ctx, cluster.BlobstoreMaxSeqPath(key))
			if err != nil || string(raw) != "\x00\x00\x00\x01" {
				t.Errorf("max node data %x %v", raw, err)
			}

			// An update bumps the sequence and replaces this nimbus's entry.
			id, err := n1.BeginUpdate(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			n1.UploadChunk(id, []byte("jar v2"))
			if err := n1.Finish(ctx, id); err != nil {
				t.Fatal(err)
			}
			if err := n1.RegisterState(ctx, key); err != nil {
				t.Fatal(err)
			}
			if got, want := holders(t, n1, key), []string{"nimbus1:6627-2"}; !slices.Equal(got, want) {
				t.Errorf("holders after update %q, want %q", got, want)
			}
			if got := maxSeq(t, n1, key); got != 2 {
				t.Errorf("max after update %d, want 2", got)
			}

			// A second nimbus that copied the blob registers too. Storm 1.0.0
			// gives a non-leader non-holder 0 when the holders are current.
			s2 := connect(t)
			n2 := nimbusStore(t, s2, t.TempDir(), "nimbus2:6627")
			if err := n2.Put(ctx, key, nil, []byte("jar v2")); err != nil {
				t.Fatal(err)
			}
			if err := n2.RegisterState(ctx, key); err != nil {
				t.Fatal(err)
			}
			if got, want := holders(t, n1, key), []string{"nimbus1:6627-2", "nimbus2:6627-0"}; !slices.Equal(got, want) {
				t.Errorf("holders with two nimbuses %q, want %q", got, want)
			}
			if got := replication(t, n1, key); got != 2 {
				t.Errorf("replication %d, want 2", got)
			}
			// The second nimbus's session ends: its ephemeral entry goes.
			s2.Close()
			waitFor(t, func() bool { return replication(t, n1, key) == 1 })

			// Delete removes the files and both ZooKeeper nodes.
			if err := n1.Delete(ctx, key); err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{cluster.BlobstorePath(key), cluster.BlobstoreMaxSeqPath(key)} {
				if ok, _, err := n1.state.Store().Exists(ctx, p); ok || err != nil {
					t.Errorf("%s exists=%v err=%v after Delete", p, ok, err)
				}
			}
			if _, err := n1.Replication(ctx, key); !errors.Is(err, ErrKeyNotFound) {
				t.Errorf("Replication after Delete = %v", err)
			}
			// Re-creating the key starts over at 1.
			n1.Put(ctx, key, nil, []byte("jar v3"))
			if err := n1.RegisterState(ctx, key); err != nil {
				t.Fatal(err)
			}
			if got, want := holders(t, n1, key), []string{"nimbus1:6627-1"}; !slices.Equal(got, want) {
				t.Errorf("holders after re-create %q, want %q", got, want)
			}
		})
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// SyncState after a restart: keys ZooKeeper knows are re-registered with
// the recorded max; local keys it does not know are deleted.
func TestSyncStateAfterRestart(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			connect := b.connect(t)
			dir := t.TempDir()
			first := connect(t)
			n := nimbusStore(t, first, dir, "nimbus1:6627")
			for _, k := range []string{"a-stormjar.jar", "a-stormcode.ser", "orphan"} {
				if err := n.Put(ctx, k, &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}}, []byte(k)); err != nil {
					t.Fatal(err)
				}
			}
			for _, k := range []string{"a-stormjar.jar", "a-stormcode.ser"} {
				if err := n.RegisterState(ctx, k); err != nil {
					t.Fatal(err)
				}
			}
			// Bump a-stormcode.ser to sequence 2 before the "crash".
			n.Put(ctx, "a-stormcode.ser", nil, []byte("v2"))
			n.RegisterState(ctx, "a-stormcode.ser")
			n.Close()
			first.Close()

			// Restart: same directory, new session.
			n = nimbusStore(t, connect(t), dir, "nimbus1:6627")
			waitFor(t, func() bool { return len(holders(t, n, "a-stormjar.jar")) == 0 })
			if err := n.SyncState(ctx); err != nil {
				t.Fatal(err)
			}
			if got, want := holders(t, n, "a-stormjar.jar"), []string{"nimbus1:6627-1"}; !slices.Equal(got, want) {
				t.Errorf("a-stormjar.jar holders %q, want %q", got, want)
			}
			if got, want := holders(t, n, "a-stormcode.ser"), []string{"nimbus1:6627-2"}; !slices.Equal(got, want) {
				t.Errorf("a-stormcode.ser holders %q, want %q", got, want)
			}
			keys, _ := n.Keys()
			slices.Sort(keys)
			if want := []string{"a-stormcode.ser", "a-stormjar.jar"}; !slices.Equal(keys, want) {
				t.Errorf("keys after sync %q, want %q (orphan deleted)", keys, want)
			}
			// Idempotent: a second sync keeps the same registration.
			if err := n.SyncState(ctx); err != nil {
				t.Fatal(err)
			}
			if got := holders(t, n, "a-stormjar.jar"); len(got) != 1 {
				t.Errorf("holders after second sync %q", got)
			}
		})
	}
}

func TestNoClusterState(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	ctx := context.Background()
	s.Put(ctx, "k", nil, []byte("x"))
	if err := s.RegisterState(ctx, "k"); err != nil {
		t.Error(err)
	}
	if err := s.SyncState(ctx); err != nil {
		t.Error(err)
	}
	if n, err := s.Replication(ctx, "k"); n != 0 || err != nil {
		t.Errorf("Replication = %d, %v", n, err)
	}
	if err := s.RegisterState(ctx, "missing"); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("RegisterState(missing) = %v", err)
	}
}
