package storetest

import (
	"slices"
	"time"

	"github.com/galeproject/gale/cluster/store"
)

func testWatchData(e *env) {
	t, ctx := e.t, e.ctx
	a, b := e.session(), e.session()
	p := e.p("w")
	_, err := a.Create(ctx, p, []byte("0"), store.Persistent)
	must(t, err)
	_, _, ch, err := b.GetW(ctx, p)
	must(t, err)
	noEvent(t, ch, 50*time.Millisecond)
	_, err = a.Set(ctx, p, []byte("1"), -1)
	must(t, err)
	waitEvent(t, ch, store.EventDataChanged, p)

	// Two watches on one node both fire.
	_, _, ch1, err := b.GetW(ctx, p)
	must(t, err)
	_, _, ch2, err := b.GetW(ctx, p)
	must(t, err)
	must(t, a.Delete(ctx, p, -1))
	waitEvent(t, ch1, store.EventDeleted, p)
	waitEvent(t, ch2, store.EventDeleted, p)

	_, _, _, err = b.GetW(ctx, p)
	wantErr(t, err, store.ErrNoNode, "getw missing")
}

func testWatchExists(e *env) {
	t, ctx := e.t, e.ctx
	a, b := e.session(), e.session()
	p := e.p("x")
	ok, _, ch, err := b.ExistsW(ctx, p)
	must(t, err)
	if ok {
		t.Fatal("exists")
	}
	_, err = a.Create(ctx, p, nil, store.Persistent)
	must(t, err)
	waitEvent(t, ch, store.EventCreated, p)
	ok, _, ch, err = b.ExistsW(ctx, p)
	must(t, err)
	if !ok {
		t.Fatal("not exists")
	}
	// A child does not change the node's data.
	_, err = a.Create(ctx, p+"/c", nil, store.Persistent)
	must(t, err)
	noEvent(t, ch, 50*time.Millisecond)
	_, err = a.Set(ctx, p, []byte("1"), -1)
	must(t, err)
	waitEvent(t, ch, store.EventDataChanged, p)
}

func testWatchChildren(e *env) {
	t, ctx := e.t, e.ctx
	a, b := e.session(), e.session()
	p := e.p("c")
	_, err := a.Create(ctx, p, nil, store.Persistent)
	must(t, err)
	_, ch, err := b.ChildrenW(ctx, p)
	must(t, err)
	_, err = a.Set(ctx, p, []byte("data"), -1)
	must(t, err)
	noEvent(t, ch, 50*time.Millisecond)
	_, err = a.Create(ctx, p+"/k", nil, store.Ephemeral)
	must(t, err)
	waitEvent(t, ch, store.EventChildrenChanged, p)
	kids, ch, err := b.ChildrenW(ctx, p)
	must(t, err)
	if !slices.Equal(kids, []string{"k"}) {
		t.Fatalf("children %v", kids)
	}
	// A grandchild is not a child.
	_, err = a.Create(ctx, e.p("c2"), nil, store.Persistent)
	must(t, err)
	must(t, a.Delete(ctx, p+"/k", -1))
	waitEvent(t, ch, store.EventChildrenChanged, p)
	_, ch, err = b.ChildrenW(ctx, p)
	must(t, err)
	must(t, a.Delete(ctx, p, -1))
	waitEvent(t, ch, store.EventDeleted, p)
	_, _, err = b.ChildrenW(ctx, p)
	wantErr(t, err, store.ErrNoNode, "childrenw missing")
}

func testWatchOwnWrites(e *env) {
	t, ctx := e.t, e.ctx
	s := e.session()
	p := e.p("own")
	_, _, ch, err := s.ExistsW(ctx, p)
	must(t, err)
	_, err = s.Create(ctx, p, nil, store.Ephemeral)
	must(t, err)
	waitEvent(t, ch, store.EventCreated, p)
}
