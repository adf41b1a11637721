package storetest

import (
	"errors"
	"slices"
	"time"

	"github.com/galeproject/gale/cluster/store"
)

func testEphemeralNoChildren(e *env) {
	t, ctx := e.t, e.ctx
	s := e.session()
	_, err := s.Create(ctx, e.p("eph"), nil, store.Ephemeral)
	must(t, err)
	_, err = s.Create(ctx, e.p("eph/c"), nil, store.Persistent)
	wantErr(t, err, store.ErrNoChildrenForEphemerals, "child of ephemeral")
}

func testEphemeralClose(e *env) {
	t, ctx := e.t, e.ctx
	a, b := e.session(), e.session()
	if a.SessionID() == b.SessionID() {
		t.Fatalf("two sessions share id %d", a.SessionID())
	}
	_, err := a.Create(ctx, e.p("eph"), []byte("a"), store.Ephemeral)
	must(t, err)
	_, err = a.Create(ctx, e.p("persist"), nil, store.Persistent)
	must(t, err)
	ok, st, ch, err := b.ExistsW(ctx, e.p("eph"))
	must(t, err)
	if !ok || st.EphemeralOwner != a.SessionID() {
		t.Fatalf("b sees eph=%v owner %d, want owner %d", ok, st.EphemeralOwner, a.SessionID())
	}
	must(t, a.Close())
	waitEvent(t, ch, store.EventDeleted, e.p("eph"))
	ok, _, err = b.Exists(ctx, e.p("eph"))
	must(t, err)
	if ok {
		t.Fatal("ephemeral outlived its closed session")
	}
	ok, _, err = b.Exists(ctx, e.p("persist"))
	must(t, err)
	if !ok {
		t.Fatal("persistent node went with its session")
	}
}

func testEphemeralExpire(e *env) {
	t, ctx := e.t, e.ctx
	a, expire := e.sessionExp()
	b := e.session()
	_, err := a.Create(ctx, e.p("eph"), nil, store.Ephemeral)
	must(t, err)
	_, err = a.Create(ctx, e.p("persist"), nil, store.Persistent)
	must(t, err)
	_, _, own, err := a.ExistsW(ctx, e.p("persist"))
	must(t, err)
	_, _, other, err := b.ExistsW(ctx, e.p("eph"))
	must(t, err)
	events := a.SessionEvents()
	old := a.SessionID()

	expire()

	waitEvent(t, other, store.EventDeleted, e.p("eph"))
	ev := waitEvent(t, own, store.EventNotWatching, "")
	if !errors.Is(ev.Err, store.ErrSessionExpired) {
		t.Fatalf("dropped watch err = %v, want ErrSessionExpired", ev.Err)
	}
	// A cut that the server did not turn into an expiry (a loaded machine)
	// shows up as connected again with the same session before the expiry;
	// only the events from the expiry on count.
	var seen []store.SessionEvent
	deadline := time.After(Timeout)
	for !slices.Contains(seen, store.SessionConnected) {
		select {
		case ev := <-events:
			switch {
			case ev == store.SessionExpired:
				seen = append(seen, ev)
			case ev == store.SessionConnected && len(seen) > 0:
				seen = append(seen, ev)
			}
		case <-deadline:
			t.Fatalf("session events %v, want expired then connected", seen)
		}
	}
	if !slices.Equal(seen, []store.SessionEvent{store.SessionExpired, store.SessionConnected}) {
		t.Fatalf("session events %v, want [expired connected]", seen)
	}
	if a.SessionID() == old || a.SessionID() == 0 {
		t.Fatalf("session id %d after expiry of %d", a.SessionID(), old)
	}
	ok, _, err := b.Exists(ctx, e.p("eph"))
	must(t, err)
	if ok {
		t.Fatal("ephemeral outlived its expired session")
	}
	// The store carries on with its new session.
	ok, _, err = a.Exists(ctx, e.p("persist"))
	must(t, err)
	if !ok {
		t.Fatal("persistent node went with the session")
	}
	_, err = a.Create(ctx, e.p("eph"), nil, store.Ephemeral)
	must(t, err)
	_, st, err := b.Get(ctx, e.p("eph"))
	must(t, err)
	if st.EphemeralOwner != a.SessionID() {
		t.Fatalf("new ephemeral owner %d, want %d", st.EphemeralOwner, a.SessionID())
	}
}

func testClosed(e *env) {
	t, ctx := e.t, e.ctx
	s := e.session()
	p := e.p("n")
	_, err := s.Create(ctx, p, nil, store.Persistent)
	must(t, err)
	_, _, ch, err := s.GetW(ctx, p)
	must(t, err)
	events := s.SessionEvents()
	must(t, s.Close())
	must(t, s.Close())
	select {
	case ev, ok := <-ch:
		if ok && (ev.Type != store.EventNotWatching || !errors.Is(ev.Err, store.ErrClosed)) {
			t.Fatalf("watch after close: %+v", ev)
		}
	case <-time.After(Timeout):
		t.Fatal("watch not released by Close")
	}
	deadline := time.After(Timeout)
	for open := true; open; {
		select {
		case _, open = <-events:
		case <-deadline:
			t.Fatal("session events not closed by Close")
		}
	}
	_, _, err = s.Get(ctx, p)
	wantErr(t, err, store.ErrClosed, "get after close")
	_, err = s.Create(ctx, e.p("m"), nil, store.Persistent)
	wantErr(t, err, store.ErrClosed, "create after close")
	if _, ok := <-s.SessionEvents(); ok {
		t.Fatal("subscription after close is open")
	}
}
