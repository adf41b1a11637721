package blobstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func tmpFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*", "*", "*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSessionExpiry(t *testing.T) {
	ttl := 600 * time.Second
	type sessions struct{ create, update, down, list string }
	begin := func(t *testing.T, s *Store) sessions {
		ctx := context.Background()
		for i := range 2 {
			if err := s.Put(ctx, fmt.Sprintf("key-%03d", i), nil, []byte("data")); err != nil {
				t.Fatal(err)
			}
		}
		var ss sessions
		var err error
		if ss.create, err = s.BeginCreate(ctx, "new", nil); err != nil {
			t.Fatal(err)
		}
		s.UploadChunk(ss.create, []byte("partial"))
		if ss.update, err = s.BeginUpdate(ctx, "key-000"); err != nil {
			t.Fatal(err)
		}
		s.UploadChunk(ss.update, []byte("partial"))
		res, err := s.BeginDownload("key-001")
		if err != nil {
			t.Fatal(err)
		}
		ss.down = res.Session
		lr, err := s.List("")
		if err != nil {
			t.Fatal(err)
		}
		ss.list = lr.Session
		return ss
	}
	tests := []struct {
		name  string
		sweep bool // call ExpireSessions instead of relying on lazy expiry
	}{{"lazy", false}, {"sweep", true}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, clk := fastStore(t, Options{SessionTTL: ttl})
			ss := begin(t, s)
			if n := len(tmpFiles(t, s.Dir())); n != 2 {
				t.Fatalf("%d tmp files, want 2", n)
			}
			// Activity keeps a session alive.
			clk.Advance(ttl - time.Second)
			if err := s.UploadChunk(ss.update, []byte("more")); err != nil {
				t.Fatal(err)
			}
			clk.Advance(2 * time.Second)
			if tc.sweep {
				s.ExpireSessions(clk.Now())
				if s.Sessions() != 1 {
					t.Fatalf("%d sessions after sweep, want 1 (the refreshed update)", s.Sessions())
				}
			}
			if err := s.UploadChunk(ss.create, []byte("x")); !errors.Is(err, ErrNoSession) {
				t.Errorf("create after ttl: %v", err)
			}
			if _, err := s.DownloadChunk(ss.down); !errors.Is(err, ErrNoSession) {
				t.Errorf("download after ttl: %v", err)
			}
			if _, err := s.List(ss.list); !errors.Is(err, ErrNoSession) {
				t.Errorf("list after ttl: %v", err)
			}
			if err := s.Finish(context.Background(), ss.update); err != nil {
				t.Errorf("refreshed update: %v", err)
			}
			if b, _ := s.Read("key-000"); string(b) != "partialmore" {
				t.Errorf("updated content %q", b)
			}
			if n := len(tmpFiles(t, s.Dir())); n != 0 {
				t.Errorf("%d tmp files left", n)
			}
			// The expired create released the key.
			upload(t, s, "new", nil, []byte("fresh"), 5)
			if s.Sessions() != 0 {
				t.Errorf("%d sessions left", s.Sessions())
			}
		})
	}
}

func TestTooManySessions(t *testing.T) {
	s, clk := newTestStore(t, Options{MaxSessions: 3, SessionTTL: time.Minute})
	s.Put(context.Background(), "k", nil, []byte("x"))
	for range 3 {
		if _, err := s.BeginDownload("k"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.BeginDownload("k"); !errors.Is(err, ErrTooManySessions) {
		t.Fatalf("4th session: %v", err)
	}
	clk.Advance(time.Minute)
	if _, err := s.BeginDownload("k"); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if s.Sessions() != 1 {
		t.Errorf("%d sessions", s.Sessions())
	}
}

func TestConcurrentSessions(t *testing.T) {
	s, _ := fastStore(t, Options{ChunkSize: 1000})
	ctx := context.Background()
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	// Distinct keys: full create + download round trips in parallel.
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				key := fmt.Sprintf("w%d-k%d", w, i)
				data := payload(5000+w*100+i, uint64(w*10+i))
				id, err := s.BeginCreate(ctx, key, nil)
				if err != nil {
					errs <- err
					return
				}
				for off := 0; off < len(data); off += 777 {
					if err := s.UploadChunk(id, data[off:min(off+777, len(data))]); err != nil {
						errs <- err
						return
					}
				}
				if err := s.Finish(ctx, id); err != nil {
					errs <- err
					return
				}
				res, err := s.BeginDownload(key)
				if err != nil {
					errs <- err
					return
				}
				var got []byte
				for {
					b, err := s.DownloadChunk(res.Session)
					if err != nil {
						errs <- err
						return
					}
					if len(b) == 0 {
						break
					}
					got = append(got, b...)
				}
				if string(got) != string(data) || *res.DataSize != int64(len(data)) {
					errs <- fmt.Errorf("%s: round trip mismatch", key)
				}
			}
		}()
	}
	// One key, many creators: exactly one create wins; the others see ErrKeyExists.
	var won sync.Mutex
	winners := 0
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := s.BeginCreate(ctx, "contended", nil)
			if errors.Is(err, ErrKeyExists) {
				return
			}
			if err != nil {
				errs <- err
				return
			}
			s.UploadChunk(id, []byte(fmt.Sprintf("writer %d", w)))
			if err := s.Finish(ctx, id); err != nil {
				errs <- err
				return
			}
			won.Lock()
			winners++
			won.Unlock()
		}()
	}
	// Concurrent updates of one key: the content is always one whole version.
	s.Put(ctx, "hot", nil, []byte("v-initial"))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				id, err := s.BeginUpdate(ctx, "hot")
				if err != nil {
					errs <- err
					return
				}
				s.UploadChunk(id, []byte(fmt.Sprintf("v-%d-%d", w, i)))
				if err := s.Finish(ctx, id); err != nil {
					errs <- err
					return
				}
				if b, err := s.Read("hot"); err != nil || len(b) < 3 || string(b[:2]) != "v-" {
					errs <- fmt.Errorf("torn read %q %v", b, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if winners != 1 {
		t.Errorf("%d creators of the contended key won", winners)
	}
	keys, _ := s.Keys()
	if len(keys) != workers*5+2 {
		t.Errorf("%d keys", len(keys))
	}
	if n := len(tmpFiles(t, s.Dir())); n != 0 {
		t.Errorf("%d tmp files left", n)
	}
	if s.Sessions() != 0 {
		t.Errorf("%d sessions left", s.Sessions())
	}
}
