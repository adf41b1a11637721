package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/galeproject/gale/cluster/store"
)

func testCreateGet(e *env) {
	t, ctx := e.t, e.ctx
	s := e.session()
	p, err := s.Create(ctx, e.p("a"), []byte("hello"), store.Persistent)
	must(t, err)
	if p != e.p("a") {
		t.Fatalf("created %q, want %q", p, e.p("a"))
	}
	b, st, err := s.Get(ctx, p)
	must(t, err)
	if string(b) != "hello" || st.Version != 0 || st.NumChildren != 0 || st.EphemeralOwner != 0 {
		t.Fatalf("get = %q %+v", b, st)
	}
	if st.Mtime.IsZero() || st.Ctime.IsZero() {
		t.Fatalf("zero times in %+v", st)
	}
	_, err = s.Create(ctx, p, nil, store.Persistent)
	wantErr(t, err, store.ErrNodeExists, "create twice")
	_, err = s.Create(ctx, e.p("missing/child"), nil, store.Persistent)
	wantErr(t, err, store.ErrNoNode, "create under missing parent")
	_, _, err = s.Get(ctx, e.p("missing"))
	wantErr(t, err, store.ErrNoNode, "get missing")
	ok, _, err := s.Exists(ctx, e.p("missing"))
	must(t, err)
	if ok {
		t.Fatal("missing node exists")
	}
	ok, st, err = s.Exists(ctx, p)
	must(t, err)
	if !ok || st.Version != 0 {
		t.Fatalf("exists = %v %+v", ok, st)
	}

	// No data and empty data are different, as in ZooKeeper.
	_, err = s.Create(ctx, e.p("nil"), nil, store.Persistent)
	must(t, err)
	b, _, err = s.Get(ctx, e.p("nil"))
	must(t, err)
	if b != nil {
		t.Fatalf("nil data read back as %#v", b)
	}
	_, err = s.Create(ctx, e.p("empty"), []byte{}, store.Persistent)
	must(t, err)
	b, _, err = s.Get(ctx, e.p("empty"))
	must(t, err)
	if b == nil || len(b) != 0 {
		t.Fatalf("empty data read back as %#v", b)
	}

	// A second session sees the data, and writes are not aliased.
	buf := []byte{1, 2, 3}
	_, err = s.Create(ctx, e.p("bytes"), buf, store.Persistent)
	must(t, err)
	buf[0] = 9
	b, _, err = e.session().Get(ctx, e.p("bytes"))
	must(t, err)
	if string(b) != "\x01\x02\x03" {
		t.Fatalf("other session read %v", b)
	}
}

func testInvalidPaths(e *env) {
	t, ctx := e.t, e.ctx
	s := e.session()
	for _, p := range []string{"", "a", e.base + "/", e.base + "//x", e.base + "/./x", e.base + "/../x"} {
		_, err := s.Create(ctx, p, nil, store.Persistent)
		wantErr(t, err, store.ErrInvalidPath, fmt.Sprintf("create %q", p))
		_, _, err = s.Get(ctx, p)
		wantErr(t, err, store.ErrInvalidPath, fmt.Sprintf("get %q", p))
	}
	_, err := s.Create(ctx, "/", nil, store.Persistent)
	wantErr(t, err, store.ErrNodeExists, "create /")
	err = s.Delete(ctx, "/", -1)
	wantErr(t, err, store.ErrInvalidPath, "delete /")
}

func testSequential(e *env) {
	t, ctx := e.t, e.ctx
	s := e.session()
	dir := e.p("seq")
	must(t, store.Mkdirs(ctx, s, dir, nil))
	var got []string
	for range 3 {
		p, err := s.Create(ctx, dir+"/e", []byte("x"), store.PersistentSequential)
		must(t, err)
		got = append(got, p)
	}
	want := []string{dir + "/e0000000000", dir + "/e0000000001", dir + "/e0000000002"}
	if !slices.Equal(got, want) {
		t.Fatalf("sequential names %v, want %v", got, want)
	}
	// The counter numbers creates under the parent; deletes do not use a
	// number (ZooKeeper 3.8), though they count in Cversion.
	must(t, s.Delete(ctx, want[1], -1))
	p, err := s.Create(ctx, dir+"/e", nil, store.EphemeralSequential)
	must(t, err)
	if p != dir+"/e0000000003" {
		t.Fatalf("after a delete: %q, want %s/e0000000003", p, dir)
	}
	_, st, err := s.Get(ctx, p)
	must(t, err)
	if st.EphemeralOwner != s.SessionID() {
		t.Fatalf("ephemeral-sequential owner %d, want %d", st.EphemeralOwner, s.SessionID())
	}
	_, st, err = s.Get(ctx, dir)
	must(t, err)
	if st.Cversion != 5 || st.NumChildren != 3 {
		t.Fatalf("parent stat %+v, want cversion 5 and 3 children", st)
	}
	// Plain creates and other names under the same parent share the counter.
	_, err = s.Create(ctx, dir+"/plain", nil, store.Persistent)
	must(t, err)
	p, err = s.Create(ctx, dir+"/latch-", nil, store.PersistentSequential)
	must(t, err)
	if p != dir+"/latch-0000000005" {
		t.Fatalf("got %q, want %s/latch-0000000005", p, dir)
	}
	// A name ending in "/" is only the number.
	must(t, store.Mkdirs(ctx, s, e.p("seq2"), nil))
	p, err = s.Create(ctx, e.p("seq2")+"/", nil, store.PersistentSequential)
	must(t, err)
	if p != e.p("seq2")+"/0000000000" {
		t.Fatalf("got %q", p)
	}
}

func testVersions(e *env) {
	t, ctx := e.t, e.ctx
	s := e.session()
	p := e.p("v")
	_, err := s.Create(ctx, p, []byte("0"), store.Persistent)
	must(t, err)
	st, err := s.Set(ctx, p, []byte("1"), -1)
	must(t, err)
	if st.Version != 1 {
		t.Fatalf("version after set = %d", st.Version)
	}
	_, err = s.Set(ctx, p, []byte("x"), 0)
	wantErr(t, err, store.ErrBadVersion, "set stale version")
	st, err = s.Set(ctx, p, []byte("2"), 1)
	must(t, err)
	if st.Version != 2 {
		t.Fatalf("version = %d", st.Version)
	}
	b, st, err := s.Get(ctx, p)
	must(t, err)
	if string(b) != "2" || st.Version != 2 {
		t.Fatalf("get = %q v%d", b, st.Version)
	}
	_, err = s.Set(ctx, e.p("missing"), nil, -1)
	wantErr(t, err, store.ErrNoNode, "set missing")
	wantErr(t, s.Delete(ctx, p, 1), store.ErrBadVersion, "delete stale version")
	must(t, s.Delete(ctx, p, 2))
	ok, _, err := s.Exists(ctx, p)
	must(t, err)
	if ok {
		t.Fatal("deleted node exists")
	}
}

func testChildren(e *env) {
	t, ctx := e.t, e.ctx
	s := e.session()
	dir := e.p("kids")
	_, err := s.Create(ctx, dir, nil, store.Persistent)
	must(t, err)
	kids, err := s.Children(ctx, dir)
	must(t, err)
	if len(kids) != 0 {
		t.Fatalf("children of new node: %v", kids)
	}
	for _, k := range []string{"b", "a", "c-1"} {
		_, err := s.Create(ctx, dir+"/"+k, nil, store.Persistent)
		must(t, err)
	}
	_, err = s.Create(ctx, dir+"/a/deep", nil, store.Persistent)
	must(t, err)
	kids, err = s.Children(ctx, dir)
	must(t, err)
	slices.Sort(kids)
	if !slices.Equal(kids, []string{"a", "b", "c-1"}) {
		t.Fatalf("children = %v", kids)
	}
	_, st, err := s.Get(ctx, dir)
	must(t, err)
	if st.NumChildren != 3 {
		t.Fatalf("numChildren = %d", st.NumChildren)
	}
	_, err = s.Children(ctx, e.p("missing"))
	wantErr(t, err, store.ErrNoNode, "children of missing")
	kids, err = s.Children(ctx, "/")
	must(t, err)
	if !slices.Contains(kids, e.base[1:]) {
		t.Fatalf("root children %v lack %s", kids, e.base[1:])
	}
}

func testDelete(e *env) {
	t, ctx := e.t, e.ctx
	s := e.session()
	_, err := s.Create(ctx, e.p("d"), nil, store.Persistent)
	must(t, err)
	_, err = s.Create(ctx, e.p("d/c"), nil, store.Persistent)
	must(t, err)
	wantErr(t, s.Delete(ctx, e.p("d"), -1), store.ErrNotEmpty, "delete with children")
	wantErr(t, s.Delete(ctx, e.p("missing"), -1), store.ErrNoNode, "delete missing")
	must(t, s.Delete(ctx, e.p("d/c"), -1))
	must(t, s.Delete(ctx, e.p("d"), -1))
}

func testConcurrentSequential(e *env) {
	t, ctx := e.t, e.ctx
	dir := e.p("conc")
	s := e.session()
	_, err := s.Create(ctx, dir, nil, store.Persistent)
	must(t, err)
	sessions := []store.Store{s, e.session()}
	const n = 20
	var (
		mu  sync.Mutex
		got []string
		wg  sync.WaitGroup
	)
	for i := range n {
		wg.Go(func() {
			p, err := sessions[i%2].Create(ctx, dir+"/n-", nil, store.PersistentSequential)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got = append(got, p)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(got)
	if len(slices.Compact(got)) != n {
		t.Fatalf("%d distinct names from %d creates: %v", len(got), n, got)
	}
	if got[0] != dir+"/n-0000000000" || got[n-1] != fmt.Sprintf("%s/n-%010d", dir, n-1) {
		t.Fatalf("names %s .. %s", got[0], got[n-1])
	}
}

func testContextCanceled(e *env) {
	t := e.t
	s := e.session()
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	_, err := s.Create(ctx, e.p("c"), nil, store.Persistent)
	wantErr(t, err, context.Canceled, "create with canceled ctx")
	_, _, err = s.Get(ctx, e.base)
	wantErr(t, err, context.Canceled, "get with canceled ctx")
}

func testHelpers(e *env) {
	t, ctx := e.t, e.ctx
	s := e.session()
	deep := e.p("h/a/b/c")
	must(t, store.Mkdirs(ctx, s, deep, []byte{7}))
	must(t, store.Mkdirs(ctx, s, deep, []byte{7}))
	b, _, err := s.Get(ctx, e.p("h/a"))
	must(t, err)
	if string(b) != "\x07" {
		t.Fatalf("mkdirs data %v", b)
	}
	_, err = s.Create(ctx, e.p("h/a/x"), nil, store.Ephemeral)
	must(t, err)
	must(t, store.DeleteAll(ctx, s, e.p("h")))
	must(t, store.DeleteAll(ctx, s, e.p("h")))
	ok, _, err := s.Exists(ctx, e.p("h"))
	must(t, err)
	if ok {
		t.Fatal("DeleteAll left the node")
	}
}
