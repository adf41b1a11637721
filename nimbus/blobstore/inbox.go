package blobstore

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultInboxTTL is nimbus.file.copy.expiration.secs.
const DefaultInboxTTL = 600 * time.Second

// Inbox holds topology jars uploaded with beginFileUpload / uploadChunk /
// finishFileUpload, in <storm.local.dir>/nimbus/inbox.
//
// A location is "<dir>/stormjar-<uuid>.jar", the shape Storm's clients
// expect, but Inbox treats it as an opaque token: every method looks the
// exact string up in the table of locations it issued. Relative paths, "..",
// other files in the inbox, or anything else are refused with ErrNoSession,
// so a client can never make Nimbus read or write a path of its choosing.
//
// An upload is writable until FinishUpload; after that Path resolves it.
// Entries idle for the TTL (unfinished uploads) or finished longer than the
// TTL ago are removed with their files by Expire, which also deletes stray
// files in the directory older than the TTL (Storm's clean-inbox). All
// methods are safe for concurrent use.
type Inbox struct {
	dir   string
	clock func() time.Time
	ttl   time.Duration

	mu      sync.Mutex
	uploads map[string]*inboxUpload
}

type inboxUpload struct {
	mu       sync.Mutex
	f        *os.File // nil once finished or removed
	path     string
	finished bool
	removed  bool
	last     time.Time // guarded by Inbox.mu
}

// NewInbox returns an Inbox in dir (created on first upload). A nil clock is
// time.Now; ttl <= 0 is DefaultInboxTTL.
func NewInbox(dir string, clock func() time.Time, ttl time.Duration) *Inbox {
	if clock == nil {
		clock = time.Now
	}
	if ttl <= 0 {
		ttl = DefaultInboxTTL
	}
	return &Inbox{dir: dir, clock: clock, ttl: ttl, uploads: map[string]*inboxUpload{}}
}

// BeginUpload creates a new empty jar file and returns its location.
func (in *Inbox) BeginUpload() (string, error) {
	if err := os.MkdirAll(in.dir, 0o755); err != nil {
		return "", fmt.Errorf("inbox: %w", err)
	}
	p := filepath.Join(in.dir, "stormjar-"+newID()+".jar")
	in.mu.Lock() // create and record together, so Expire never sees an untracked new file
	defer in.mu.Unlock()
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("inbox: %w", err)
	}
	in.uploads[p] = &inboxUpload{f: f, path: p, last: in.clock()}
	return p, nil
}

// lookup returns the live upload issued as location, locked, after
// refreshing its idle timer. The caller unlocks u.mu.
func (in *Inbox) lookup(location string) (*inboxUpload, error) {
	now := in.clock()
	in.mu.Lock()
	u, ok := in.uploads[location]
	if ok && in.stale(u, now) {
		delete(in.uploads, location)
		in.mu.Unlock()
		u.mu.Lock()
		u.discard()
		u.mu.Unlock()
		return nil, fmt.Errorf("%w: file for location %q timed out", ErrNoSession, location)
	}
	if !ok {
		in.mu.Unlock()
		return nil, fmt.Errorf("%w: file for location %q does not exist (or timed out)", ErrNoSession, location)
	}
	u.last = now
	in.mu.Unlock()
	u.mu.Lock()
	if u.removed {
		u.mu.Unlock()
		return nil, fmt.Errorf("%w: file for location %q was removed", ErrNoSession, location)
	}
	return u, nil
}

func (in *Inbox) stale(u *inboxUpload, now time.Time) bool {
	return now.Sub(u.last) >= in.ttl
}

// discard closes and deletes the upload's file; u.mu is held.
func (u *inboxUpload) discard() {
	if u.removed {
		return
	}
	u.removed = true
	if u.f != nil {
		u.f.Close()
		u.f = nil
	}
	os.Remove(u.path)
}

// UploadChunk appends b to an unfinished upload.
func (in *Inbox) UploadChunk(location string, b []byte) error {
	u, err := in.lookup(location)
	if err != nil {
		return err
	}
	defer u.mu.Unlock()
	if u.finished {
		return fmt.Errorf("%w: upload to %q is already finished", ErrNoSession, location)
	}
	if _, err := u.f.Write(b); err != nil {
		return fmt.Errorf("inbox: write %s: %w", location, err)
	}
	return nil
}

// FinishUpload closes an upload; from now on Path resolves it.
func (in *Inbox) FinishUpload(location string) error {
	u, err := in.lookup(location)
	if err != nil {
		return err
	}
	defer u.mu.Unlock()
	if u.finished {
		return fmt.Errorf("%w: upload to %q is already finished", ErrNoSession, location)
	}
	err = u.f.Sync()
	if cerr := u.f.Close(); err == nil {
		err = cerr
	}
	u.f = nil
	u.finished = true
	if err != nil {
		return fmt.Errorf("inbox: close %s: %w", location, err)
	}
	return nil
}

// Path returns the file of a finished upload this Inbox issued as location
// (submitTopology's uploadedJarLocation). Anything else is ErrNoSession.
func (in *Inbox) Path(location string) (string, error) {
	u, err := in.lookup(location)
	if err != nil {
		return "", err
	}
	defer u.mu.Unlock()
	if !u.finished {
		return "", fmt.Errorf("%w: upload to %q is not finished", ErrNoSession, location)
	}
	return u.path, nil
}

// Remove forgets location and deletes its file.
func (in *Inbox) Remove(location string) error {
	in.mu.Lock()
	u, ok := in.uploads[location]
	delete(in.uploads, location)
	in.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: file for location %q does not exist (or timed out)", ErrNoSession, location)
	}
	u.mu.Lock()
	u.discard()
	u.mu.Unlock()
	return nil
}

// Expire removes uploads idle (unfinished) or finished for at least the TTL
// at now, and deletes other regular files in the inbox directory whose mtime
// is at least the TTL before now (Storm's clean-inbox; leftovers of an
// earlier run).
func (in *Inbox) Expire(now time.Time) {
	var old []*inboxUpload
	in.mu.Lock()
	for loc, u := range in.uploads {
		if in.stale(u, now) {
			delete(in.uploads, loc)
			old = append(old, u)
		}
	}
	in.mu.Unlock()
	for _, u := range old {
		u.mu.Lock()
		u.discard()
		u.mu.Unlock()
	}
	ents, err := os.ReadDir(in.dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil || now.Sub(fi.ModTime()) < in.ttl {
			continue
		}
		p := filepath.Join(in.dir, e.Name())
		in.mu.Lock()
		if _, tracked := in.uploads[p]; !tracked {
			os.Remove(p)
		}
		in.mu.Unlock()
	}
}

// Len reports how many uploads the Inbox tracks.
func (in *Inbox) Len() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.uploads)
}
