package zk_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/storetest"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/internal/zktest"
)

func TestMain(m *testing.M) { zktest.Main(m) }

// sessionTimeout is short so that expiring a session takes seconds.
const sessionTimeout = 2 * time.Second

func TestContract(t *testing.T) {
	servers := zktest.Start(t)
	root := zktest.Root(t)
	storetest.Run(t, func(t *testing.T) (store.Store, func()) {
		p := zktest.NewProxy(t, servers[0])
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := zk.Dial(ctx, []string{p.Addr()}, root, sessionTimeout, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		return s, func() { p.ExpireSession(t, s, sessionTimeout) }
	})
}

// TestChroot checks the root is made with 0x07 data and that paths,
// sequential names and events are relative to it.
func TestChroot(t *testing.T) {
	servers := zktest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	root := zktest.Root(t)
	s, err := zk.Dial(ctx, servers, root+"/", 0, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	raw, _, err := gozk.Connect(servers, 10*time.Second, gozk.WithLogInfo(false), gozk.WithLogger(quiet{}))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, p := range []string{root[:strings.LastIndexByte(root, '/')], root} {
		b, _, err := raw.Get(p)
		if err != nil || string(b) != "\x07" {
			t.Fatalf("root component %s: %v %v, want 0x07", p, b, err)
		}
	}

	if _, err := s.Create(ctx, "/dir", nil, store.Persistent); err != nil {
		t.Fatal(err)
	}
	_, ch, err := s.ChildrenW(ctx, "/dir")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Create(ctx, "/dir/x-", []byte("v"), store.EphemeralSequential)
	if err != nil {
		t.Fatal(err)
	}
	if p != "/dir/x-0000000000" {
		t.Fatalf("created %q", p)
	}
	select {
	case ev := <-ch:
		if ev.Path != "/dir" || ev.Type != store.EventChildrenChanged {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	b, _, err := raw.Get(root + "/dir/x-0000000000")
	if err != nil || string(b) != "v" {
		t.Fatalf("raw read %q %v", b, err)
	}
	kids, err := s.Children(ctx, "/")
	if err != nil || len(kids) != 1 || kids[0] != "dir" {
		t.Fatalf("children of / = %v %v", kids, err)
	}
	if err := s.(store.Syncer).Sync(ctx, "/dir"); err != nil {
		t.Fatal(err)
	}
}

type quiet struct{}

func (quiet) Printf(string, ...any) {}

// TestDialFails checks Dial gives up within its connection timeout when
// nothing listens.
func TestDialFails(t *testing.T) {
	ctx := context.Background()
	start := time.Now()
	_, err := zk.Dial(ctx, []string{"127.0.0.1:1"}, "/storm", time.Second, nil, zk.WithConnectionTimeout(500*time.Millisecond))
	if !errors.Is(err, store.ErrConnectionLoss) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
}

// TestRetryAcrossDisconnect cuts the connection briefly (shorter than the
// session timeout): calls made meanwhile are retried and succeed, and the
// session (with its ephemerals) survives.
func TestRetryAcrossDisconnect(t *testing.T) {
	servers := zktest.Start(t)
	p := zktest.NewProxy(t, servers[0])
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := zk.Dial(ctx, []string{p.Addr()}, zktest.Root(t), 10*time.Second, testLogger(t),
		zk.WithRetry(zk.Retry{Times: 5, Interval: 300 * time.Millisecond, Ceiling: time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Create(ctx, "/eph", nil, store.Ephemeral); err != nil {
		t.Fatal(err)
	}
	id := s.SessionID()
	events := s.SessionEvents()
	p.Cut()
	time.AfterFunc(700*time.Millisecond, p.Restore)
	if _, err := s.Create(ctx, "/during", []byte("x"), store.Persistent); err != nil && !errors.Is(err, store.ErrNodeExists) {
		t.Fatalf("create across a disconnect: %v", err)
	}
	b, _, err := s.Get(ctx, "/during")
	if err != nil || string(b) != "x" {
		t.Fatalf("get = %q %v", b, err)
	}
	if ok, _, err := s.Exists(ctx, "/eph"); err != nil || !ok {
		t.Fatalf("ephemeral after reconnect: %v %v", ok, err)
	}
	if s.SessionID() != id {
		t.Fatalf("session changed %x -> %x", id, s.SessionID())
	}
	var seen []store.SessionEvent
	for len(seen) < 2 {
		select {
		case ev := <-events:
			seen = append(seen, ev)
		case <-time.After(10 * time.Second):
			t.Fatalf("session events %v", seen)
		}
	}
	if seen[0] != store.SessionDisconnected || seen[1] != store.SessionConnected {
		t.Fatalf("session events %v, want disconnected, connected", seen)
	}
}

func TestRetrySleep(t *testing.T) {
	r := zk.DefaultRetry()
	for n := range r.Times {
		lo, hi := r.Sleep(n, 0), r.Sleep(n, 0.999)
		if lo < r.Interval || hi > r.Ceiling || hi < lo {
			t.Fatalf("retry %d sleeps %v..%v", n, lo, hi)
		}
	}
	tight := zk.Retry{Times: 20, Interval: time.Second, Ceiling: 1100 * time.Millisecond}
	for n := range tight.Times {
		if d := tight.Sleep(n, 0.5); d > tight.Ceiling || d < tight.Interval {
			t.Fatalf("retry %d sleeps %v", n, d)
		}
	}
}

// testLogger logs at info and above into t's output until the test ends.
func testLogger(t testing.TB) *slog.Logger { return testutil.Logger(t, slog.LevelInfo) }
