package cluster_test

import (
	"context"
	"log/slog"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/internal/zktest"
)

func TestMain(m *testing.M) { zktest.Main(m) }

// sessionTimeout for ZooKeeper sessions in these tests: short, so that an
// expiry takes a few seconds.
const sessionTimeout = 2 * time.Second

// backend opens sessions on one tree and can expire them.
type backend struct {
	t      *testing.T
	open   func() store.Store
	expire func(store.Store)
}

// forEachBackend runs fn against the in-memory store and a real ZooKeeper.
func forEachBackend(t *testing.T, fn func(t *testing.T, b *backend)) {
	t.Run("mem", func(t *testing.T) {
		srv := mem.NewServer()
		fn(t, &backend{
			t: t,
			open: func() store.Store {
				s := srv.Connect()
				t.Cleanup(func() { _ = s.Close() })
				return s
			},
			expire: func(s store.Store) { srv.Expire(s.SessionID()) },
		})
	})
	t.Run("zk", func(t *testing.T) {
		servers := zktest.Start(t)
		root := zktest.Root(t)
		var mu sync.Mutex
		proxies := map[store.Store]*zktest.Proxy{}
		fn(t, &backend{
			t: t,
			open: func() store.Store {
				p := zktest.NewProxy(t, servers[0])
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				s, err := zk.Dial(ctx, []string{p.Addr()}, root, sessionTimeout, testLogger(t))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = s.Close() })
				mu.Lock()
				proxies[s] = p
				mu.Unlock()
				return s
			},
			expire: func(s store.Store) {
				mu.Lock()
				p := proxies[s]
				mu.Unlock()
				p.ExpireSession(t, s, sessionTimeout)
			},
		})
	})
}

// state opens a session and a State over it.
func (b *backend) state() *cluster.State {
	b.t.Helper()
	st, err := cluster.New(b.open(), testLogger(b.t))
	if err != nil {
		b.t.Fatal(err)
	}
	return st
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sameThrift compares two structs of one type after a Thrift round trip
// of each (Go maps encode in random order, so bytes may differ).
func sameThrift[T any, P interface {
	*T
	thrift.TStruct
}](t *testing.T, got, want P) {
	t.Helper()
	round := func(v P) P {
		b, err := compat.MarshalThrift(v)
		must(t, err)
		out := P(new(T))
		must(t, compat.UnmarshalThrift(b, out))
		return out
	}
	if g, w := round(got), round(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("got %v\nwant %v", g, w)
	}
}

func waitEvent(t *testing.T, ch <-chan store.Event) store.Event {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(15 * time.Second):
		t.Fatal("no watch event")
	}
	return store.Event{}
}

// testLogger logs at info and above into t's output until the test ends.
func testLogger(t testing.TB) *slog.Logger { return testutil.Logger(t, slog.LevelInfo) }
