package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster/store"
)

// NewStore opens a new session on the backend under test. Every call made
// during one Run must reach the same tree. expire must end the returned
// session as the server does when a client goes silent, and return once
// the store carries on with its new session.
type NewStore func(t *testing.T) (s store.Store, expire func())

// Timeout bounds every wait for a watch or session event.
const Timeout = 15 * time.Second

type env struct {
	t    *testing.T
	open NewStore
	base string
	ctx  context.Context
}

// Run runs the contract suite. Each case works under its own directory
// (named after the case) so the cases share a tree without interfering.
func Run(t *testing.T, open NewStore) {
	cases := []struct {
		name string
		fn   func(e *env)
	}{
		{"CreateGet", testCreateGet},
		{"InvalidPaths", testInvalidPaths},
		{"Sequential", testSequential},
		{"Versions", testVersions},
		{"Children", testChildren},
		{"Delete", testDelete},
		{"EphemeralNoChildren", testEphemeralNoChildren},
		{"EphemeralDiesOnClose", testEphemeralClose},
		{"EphemeralDiesOnExpire", testEphemeralExpire},
		{"WatchData", testWatchData},
		{"WatchExists", testWatchExists},
		{"WatchChildren", testWatchChildren},
		{"WatchOwnWrites", testWatchOwnWrites},
		{"Closed", testClosed},
		{"ConcurrentSequential", testConcurrentSequential},
		{"ContextCanceled", testContextCanceled},
		{"Helpers", testHelpers},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			t.Cleanup(cancel)
			e := &env{t: t, open: open, base: "/" + strings.ReplaceAll(t.Name(), "/", "_"), ctx: ctx}
			s := e.session()
			must(t, store.Mkdirs(ctx, s, e.base, nil))
			c.fn(e)
		})
	}
}

// session opens a session that is closed at the end of the case.
func (e *env) session() store.Store {
	s, _ := e.sessionExp()
	return s
}

func (e *env) sessionExp() (store.Store, func()) {
	e.t.Helper()
	s, expire := e.open(e.t)
	e.t.Cleanup(func() { _ = s.Close() })
	return s, expire
}

func (e *env) p(rel string) string { return e.base + "/" + rel }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err, want error, what string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}

// waitEvent waits for the one event of a watch and checks the channel is
// closed after it.
func waitEvent(t *testing.T, ch <-chan store.Event, wantType store.EventType, wantPath string) store.Event {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatalf("watch on %s closed without an event", wantPath)
		}
		if ev.Type != wantType || (wantPath != "" && ev.Path != wantPath) {
			t.Fatalf("event = %v %q (err %v), want %v %q", ev.Type, ev.Path, ev.Err, wantType, wantPath)
		}
		select {
		case ev2, ok := <-ch:
			if ok {
				t.Fatalf("second event on a one-shot watch: %+v", ev2)
			}
		case <-time.After(Timeout):
			t.Fatalf("watch channel not closed after its event")
		}
		return ev
	case <-time.After(Timeout):
		t.Fatalf("no %v event on %s within %v", wantType, wantPath, Timeout)
	}
	return store.Event{}
}

func noEvent(t *testing.T, ch <-chan store.Event, d time.Duration) {
	t.Helper()
	select {
	case ev := <-ch:
		t.Fatalf("unexpected event %+v", ev)
	case <-time.After(d):
	}
}
