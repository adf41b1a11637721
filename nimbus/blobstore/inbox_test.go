package blobstore

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestInboxRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nimbus", "inbox")
	clk := newFakeClock()
	in := NewInbox(dir, clk.Now, time.Minute)
	loc, err := in.BeginUpload()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(loc) != dir || !strings.HasPrefix(filepath.Base(loc), "stormjar-") || !strings.HasSuffix(loc, ".jar") {
		t.Errorf("location %q does not look like Storm's", loc)
	}
	if _, err := in.Path(loc); !errors.Is(err, ErrNoSession) {
		t.Errorf("Path before finish = %v", err)
	}
	data := payload(200000, 7)
	for off := 0; off < len(data); off += 65536 {
		if err := in.UploadChunk(loc, data[off:min(off+65536, len(data))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := in.FinishUpload(loc); err != nil {
		t.Fatal(err)
	}
	if err := in.UploadChunk(loc, []byte("late")); !errors.Is(err, ErrNoSession) {
		t.Errorf("UploadChunk after finish = %v", err)
	}
	if err := in.FinishUpload(loc); !errors.Is(err, ErrNoSession) {
		t.Errorf("second FinishUpload = %v", err)
	}
	p, err := in.Path(loc)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if !bytes.Equal(got, data) {
		t.Error("content differs")
	}
	if err := in.Remove(loc); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Error("file still there after Remove")
	}
	if _, err := in.Path(loc); !errors.Is(err, ErrNoSession) {
		t.Errorf("Path after Remove = %v", err)
	}
}

func TestInboxRefusesUnissuedLocations(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "inbox")
	in := NewInbox(dir, newFakeClock().Now, time.Minute)
	loc, err := in.BeginUpload()
	if err != nil {
		t.Fatal(err)
	}
	// Files Nimbus did not issue, including one in the inbox itself.
	planted := filepath.Join(dir, "stormjar-00000000-0000-4000-8000-000000000000.jar")
	os.WriteFile(planted, []byte("planted"), 0o644)
	secret := filepath.Join(base, "secret")
	os.WriteFile(secret, []byte("secret"), 0o600)
	rel, _ := filepath.Rel(mustGetwd(t), loc)
	for _, bad := range []string{
		"", ".", "..", planted, secret, "/etc/passwd",
		filepath.Base(loc),                      // relative name of a real upload
		rel,                                     // relative path to it
		dir + "/../inbox/" + filepath.Base(loc), // same file, other spelling
		dir + "//" + filepath.Base(loc),         // ditto
		loc + "/",                               // ditto
		filepath.Join(dir, "..", "secret"),      // escape
		strings.ToUpper(loc),                    // not the same token
		loc + "\x00",                            // NUL
	} {
		if err := in.UploadChunk(bad, []byte("x")); !errors.Is(err, ErrNoSession) {
			t.Errorf("UploadChunk(%q) = %v", bad, err)
		}
		if err := in.FinishUpload(bad); !errors.Is(err, ErrNoSession) {
			t.Errorf("FinishUpload(%q) = %v", bad, err)
		}
		if _, err := in.Path(bad); !errors.Is(err, ErrNoSession) {
			t.Errorf("Path(%q) = %v", bad, err)
		}
		if err := in.Remove(bad); !errors.Is(err, ErrNoSession) {
			t.Errorf("Remove(%q) = %v", bad, err)
		}
	}
	for _, f := range []string{planted, secret} {
		if b, err := os.ReadFile(f); err != nil || len(b) == 0 {
			t.Errorf("%s touched: %q %v", f, b, err)
		}
	}
	if in.Len() != 1 {
		t.Errorf("%d uploads tracked", in.Len())
	}
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

func TestInboxExpiry(t *testing.T) {
	dir := t.TempDir()
	clk := newFakeClock()
	clk.Set(time.Now()) // stray-file expiry compares real mtimes
	ttl := 10 * time.Minute
	in := NewInbox(dir, clk.Now, ttl)

	idle, _ := in.BeginUpload()
	active, _ := in.BeginUpload()
	done, _ := in.BeginUpload()
	in.FinishUpload(done)
	stray := filepath.Join(dir, "stormjar-left-from-last-run.jar")
	os.WriteFile(stray, []byte("old"), 0o644)
	old := time.Now().Add(-2 * ttl)
	os.Chtimes(stray, old, old)
	fresh := filepath.Join(dir, "fresh-stray")
	os.WriteFile(fresh, []byte("new"), 0o644)

	clk.Advance(ttl - time.Second)
	if err := in.UploadChunk(active, []byte("still going")); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Second)
	os.Chtimes(fresh, clk.Now(), clk.Now()) // written "just now" on the fake clock
	in.Expire(clk.Now())

	if err := in.UploadChunk(idle, []byte("x")); !errors.Is(err, ErrNoSession) {
		t.Errorf("idle upload survived: %v", err)
	}
	if _, err := in.Path(done); !errors.Is(err, ErrNoSession) {
		t.Errorf("old finished upload survived: %v", err)
	}
	if err := in.FinishUpload(active); err != nil {
		t.Errorf("active upload expired: %v", err)
	}
	for f, want := range map[string]bool{idle: false, done: false, stray: false, active: true, fresh: true} {
		_, err := os.Stat(f)
		if got := err == nil; got != want {
			t.Errorf("%s exists=%v, want %v", filepath.Base(f), got, want)
		}
	}
	// Lazy expiry without a sweep.
	clk.Advance(ttl)
	if _, err := in.Path(active); !errors.Is(err, ErrNoSession) {
		t.Errorf("Path after ttl = %v", err)
	}
	if _, err := os.Stat(active); !os.IsNotExist(err) {
		t.Error("expired upload's file kept")
	}
}

func TestInboxConcurrent(t *testing.T) {
	in := NewInbox(t.TempDir(), nil, 0)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 4 {
				loc, err := in.BeginUpload()
				if err != nil {
					errs <- err
					return
				}
				data := payload(10000+w, uint64(w*100+i))
				for off := 0; off < len(data); off += 1000 {
					if err := in.UploadChunk(loc, data[off:min(off+1000, len(data))]); err != nil {
						errs <- err
						return
					}
				}
				if err := in.FinishUpload(loc); err != nil {
					errs <- err
					return
				}
				p, err := in.Path(loc)
				if err != nil {
					errs <- err
					return
				}
				if b, _ := os.ReadFile(p); !bytes.Equal(b, data) {
					errs <- fmt.Errorf("%s: content differs", loc)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if in.Len() != 32 {
		t.Errorf("%d uploads", in.Len())
	}
}
