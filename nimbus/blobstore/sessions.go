package blobstore

import (
	"crypto/rand"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/galeproject/gale/stormthrift"
)

type sessionKind int

const (
	kindUpload sessionKind = iota + 1
	kindDownload
	kindList
)

func (k sessionKind) String() string {
	switch k {
	case kindUpload:
		return "upload"
	case kindDownload:
		return "download"
	case kindList:
		return "list"
	}
	return "unknown"
}

// session is one upload, download or list session.
//
// Lifecycle: created by a Begin call and put in Store.sessions; each use looks
// it up (refreshing last, under Store.mu) and then works under mu. Whoever
// removes it from Store.sessions (finish, cancel, EOF, expiry, delete, Close)
// owns its cleanup: it locks mu, sets closed and releases the file. A user
// that finds closed set after locking mu lost a race and reports ErrNoSession.
type session struct {
	id   string
	kind sessionKind
	key  string
	last time.Time // guarded by Store.mu

	mu     sync.Mutex
	closed bool
	f      *os.File                      // upload: tmp file; download: data file
	meta   *stormthrift.SettableBlobMeta // upload: non-nil iff creating the key
	keys   []string                      // list: keys not yet returned
}

// newID returns a random RFC 4122 version 4 UUID string, the shape of Storm's
// session ids.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("blobstore: crypto/rand: %v", err)) // never happens on Linux
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// addSession registers ss under a fresh id. For a creating upload it also
// reserves the key (ErrKeyExists if another create holds it).
func (s *Store) addSession(ss *session) error {
	now := s.clock()
	var expired []*session
	defer func() {
		for _, e := range expired {
			s.closeSession(e)
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sessions) >= s.maxSessions {
		expired = s.collectExpiredLocked(now)
		if len(s.sessions) >= s.maxSessions {
			return fmt.Errorf("%w: %d", ErrTooManySessions, len(s.sessions))
		}
	}
	if ss.kind == kindUpload && ss.meta != nil {
		if _, busy := s.creating[ss.key]; busy {
			return fmt.Errorf("%w: %s (being created)", ErrKeyExists, ss.key)
		}
		s.creating[ss.key] = ss.id
	}
	ss.last = now
	s.sessions[ss.id] = ss
	return nil
}

// useSession finds a live session of the given kind, refreshes its idle timer
// and returns it locked. The caller must unlock ss.mu.
func (s *Store) useSession(id string, kind sessionKind) (*session, error) {
	now := s.clock()
	s.mu.Lock()
	ss, ok := s.sessions[id]
	if ok && ss.kind != kind {
		ok = false
	}
	if ok && s.idle(ss, now) {
		delete(s.sessions, id)
		s.mu.Unlock()
		s.closeSession(ss)
		return nil, fmt.Errorf("%w: %s session %q timed out", ErrNoSession, kind, id)
	}
	if !ok {
		s.mu.Unlock()
		return nil, fmt.Errorf("%w: %s session %q", ErrNoSession, kind, id)
	}
	ss.last = now
	s.mu.Unlock()
	ss.mu.Lock()
	if ss.closed {
		ss.mu.Unlock()
		return nil, fmt.Errorf("%w: %s session %q", ErrNoSession, kind, id)
	}
	return ss, nil
}

// drop removes ss from the table; the caller holds ss.mu and finishes ss's
// cleanup itself (closeLocked or a commit).
func (s *Store) drop(ss *session) {
	s.mu.Lock()
	if cur, ok := s.sessions[ss.id]; ok && cur == ss {
		delete(s.sessions, ss.id)
	}
	s.mu.Unlock()
}

// closeSession cleans up a session already removed from the table.
func (s *Store) closeSession(ss *session) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s.closeLocked(ss)
}

// closeLocked releases ss's resources (cancelling an unfinished upload);
// ss.mu is held. Idempotent.
func (s *Store) closeLocked(ss *session) {
	if ss.closed {
		return
	}
	ss.closed = true
	if ss.f != nil {
		if ss.kind == kindUpload {
			cancelTmp(ss.f)
		} else {
			ss.f.Close()
		}
		ss.f = nil
	}
	ss.keys = nil
	s.release(ss)
}

// release frees the create reservation held by ss, if any.
func (s *Store) release(ss *session) {
	if ss.kind != kindUpload || ss.meta == nil {
		return
	}
	s.mu.Lock()
	if s.creating[ss.key] == ss.id {
		delete(s.creating, ss.key)
	}
	s.mu.Unlock()
}

func (s *Store) idle(ss *session, now time.Time) bool {
	return now.Sub(ss.last) >= s.ttl
}

func (s *Store) collectExpiredLocked(now time.Time) []*session {
	var out []*session
	for id, ss := range s.sessions {
		if s.idle(ss, now) {
			delete(s.sessions, id)
			out = append(out, ss)
		}
	}
	return out
}

// ExpireSessions ends every session idle for at least the TTL at now:
// uploads are cancelled (their tmp files removed), downloads closed. Nimbus
// calls it periodically; uses of an expired session fail with ErrNoSession
// even before it runs.
func (s *Store) ExpireSessions(now time.Time) {
	s.mu.Lock()
	expired := s.collectExpiredLocked(now)
	s.mu.Unlock()
	for _, ss := range expired {
		s.log.Info("blob session expired", "session", ss.id, "kind", ss.kind.String(), "key", ss.key)
		s.closeSession(ss)
	}
}

// Sessions reports how many sessions are open (for metrics and tests).
func (s *Store) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}
