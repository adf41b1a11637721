package mem_test

import (
	"context"
	"testing"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/cluster/store/storetest"
)

func TestContract(t *testing.T) {
	srv := mem.NewServer()
	storetest.Run(t, func(t *testing.T) (store.Store, func()) {
		s := srv.Connect()
		return s, func() {
			if !srv.Expire(s.SessionID()) {
				t.Fatalf("session %d not live", s.SessionID())
			}
		}
	})
}

func TestExpireUnknownSession(t *testing.T) {
	srv := mem.NewServer()
	s := srv.Connect()
	id := s.SessionID()
	if got := srv.Sessions(); len(got) != 1 || got[0] != id {
		t.Fatalf("sessions = %v", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if srv.Expire(id) {
		t.Fatal("expired a closed session")
	}
	if len(srv.Sessions()) != 0 {
		t.Fatalf("sessions after close: %v", srv.Sessions())
	}
}

// TestWatchNeverBlocksWriter leaves many unread watches and checks writes
// go on.
func TestWatchNeverBlocksWriter(t *testing.T) {
	ctx := context.Background()
	srv := mem.NewServer()
	s := srv.Connect()
	defer s.Close()
	if _, err := s.Create(ctx, "/n", nil, store.Persistent); err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if _, _, _, err := s.GetW(ctx, "/n"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Set(ctx, "/n", []byte{byte(i)}, -1); err != nil {
			t.Fatal(err)
		}
	}
	// A subscriber that never reads does not block session changes either.
	_ = s.SessionEvents()
	for range 100 {
		srv.Expire(s.SessionID())
	}
}
