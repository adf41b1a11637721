package mem

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/internal/fanout"
)

// Server is an in-memory ZooKeeper tree shared by any number of sessions.
type Server struct {
	now func() time.Time

	mu            sync.Mutex
	nodes         map[string]*node
	sessions      map[int64]*Session // by current session id
	lastSessionID int64
	dataWatches   map[string][]*watch // getData and exists watches
	childWatches  map[string][]*watch
}

type node struct {
	data     []byte
	stat     store.Stat
	children map[string]struct{}
	// creates counts every child ever created; it numbers sequential
	// children (ZooKeeper 3.8 numbers them by creates only, while its
	// Cversion counts deletes too).
	creates int32
}

type watch struct {
	ch   chan store.Event
	sess *Session
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock used for Stat.Ctime and Stat.Mtime (default
// time.Now).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// NewServer returns a Server whose tree holds only the root node "/".
func NewServer(opts ...Option) *Server {
	s := &Server{
		now:          time.Now,
		sessions:     make(map[int64]*Session),
		dataWatches:  make(map[string][]*watch),
		childWatches: make(map[string][]*watch),
	}
	for _, o := range opts {
		o(s)
	}
	t := s.now()
	s.nodes = map[string]*node{"/": {children: map[string]struct{}{}, stat: store.Stat{Ctime: t, Mtime: t}}}
	return s
}

// Connect opens a new session.
func (s *Server) Connect() store.Store { return s.connect() }

func (s *Server) connect() *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := &Session{srv: s, fan: &fanout.Fanout{}}
	sess.id = s.newSessionIDLocked(sess)
	return sess
}

func (s *Server) newSessionIDLocked(sess *Session) int64 {
	s.lastSessionID++
	s.sessions[s.lastSessionID] = sess
	return s.lastSessionID
}

// Expire ends session id as a ZooKeeper ensemble does when a client stops
// heartbeating: its ephemeral nodes are deleted (firing other sessions'
// watches), its watches get EventNotWatching/ErrSessionExpired, and its
// subscribers see SessionExpired. The Store that owned it then carries on
// with a new session (SessionConnected), as the ZooKeeper client does.
// Expire reports whether id was a live session.
func (s *Server) Expire(id int64) bool {
	s.mu.Lock()
	sess, ok := s.sessions[id]
	if !ok {
		s.mu.Unlock()
		return false
	}
	s.endSessionLocked(sess, store.ErrSessionExpired)
	sess.id = s.newSessionIDLocked(sess)
	s.mu.Unlock()
	sess.fan.Publish(store.SessionExpired)
	sess.fan.Publish(store.SessionConnected)
	return true
}

// Sessions returns the ids of the live sessions, ascending.
func (s *Server) Sessions() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, 0, len(s.sessions))
	for id := range s.sessions {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// endSessionLocked deletes the session's ephemerals and drops its watches.
func (s *Server) endSessionLocked(sess *Session, reason error) {
	delete(s.sessions, sess.id)
	var eph []string
	for p, n := range s.nodes {
		if n.stat.EphemeralOwner == sess.id {
			eph = append(eph, p)
		}
	}
	slices.SortFunc(eph, func(a, b string) int { return cmp.Compare(b, a) })
	for _, p := range eph {
		s.deleteLocked(p)
	}
	drop := func(m map[string][]*watch) {
		for p, ws := range m {
			keep := ws[:0]
			for _, w := range ws {
				if w.sess == sess {
					w.fire(store.Event{Type: store.EventNotWatching, Path: p, Err: reason})
				} else {
					keep = append(keep, w)
				}
			}
			if len(keep) == 0 {
				delete(m, p)
			} else {
				m[p] = keep
			}
		}
	}
	drop(s.dataWatches)
	drop(s.childWatches)
}

func (w *watch) fire(ev store.Event) {
	w.ch <- ev // buffered 1, fired once
	close(w.ch)
}

func (s *Server) addWatchLocked(m map[string][]*watch, path string, sess *Session) <-chan store.Event {
	w := &watch{ch: make(chan store.Event, 1), sess: sess}
	m[path] = append(m[path], w)
	return w.ch
}

func (s *Server) triggerLocked(m map[string][]*watch, path string, t store.EventType) {
	ws := m[path]
	if len(ws) == 0 {
		return
	}
	delete(m, path)
	for _, w := range ws {
		w.fire(store.Event{Type: t, Path: path})
	}
}

func (s *Server) createLocked(sess *Session, path string, data []byte, mode store.Mode) (string, error) {
	if err := store.ValidatePath(path, mode.IsSequential()); err != nil {
		return "", err
	}
	if path == "/" {
		return "", fmt.Errorf("create %s: %w", path, store.ErrNodeExists)
	}
	parentPath := store.Parent(path)
	if mode.IsSequential() && path[len(path)-1] == '/' {
		parentPath = path[:len(path)-1]
		if parentPath == "" {
			parentPath = "/"
		}
	}
	parent, ok := s.nodes[parentPath]
	if !ok {
		return "", fmt.Errorf("create %s: parent: %w", path, store.ErrNoNode)
	}
	if parent.stat.EphemeralOwner != 0 {
		return "", fmt.Errorf("create %s: %w", path, store.ErrNoChildrenForEphemerals)
	}
	if mode.IsSequential() {
		path = fmt.Sprintf("%s%010d", path, parent.creates)
	}
	if _, ok := s.nodes[path]; ok {
		return "", fmt.Errorf("create %s: %w", path, store.ErrNodeExists)
	}
	t := s.now()
	n := &node{data: bytes.Clone(data), children: map[string]struct{}{}, stat: store.Stat{Ctime: t, Mtime: t}}
	if mode.IsEphemeral() {
		n.stat.EphemeralOwner = sess.id
	}
	s.nodes[path] = n
	parent.children[path[len(parentPath)+len(sep(parentPath)):]] = struct{}{}
	parent.stat.Cversion++
	parent.creates++
	s.triggerLocked(s.dataWatches, path, store.EventCreated)
	s.triggerLocked(s.childWatches, parentPath, store.EventChildrenChanged)
	return path, nil
}

func sep(parent string) string {
	if parent == "/" {
		return ""
	}
	return "/"
}

// deleteLocked removes an existing childless node and fires watches.
func (s *Server) deleteLocked(path string) {
	delete(s.nodes, path)
	pp := store.Parent(path)
	if parent, ok := s.nodes[pp]; ok {
		delete(parent.children, path[len(pp)+len(sep(pp)):])
		parent.stat.Cversion++
	}
	s.triggerLocked(s.dataWatches, path, store.EventDeleted)
	s.triggerLocked(s.childWatches, path, store.EventDeleted)
	s.triggerLocked(s.childWatches, pp, store.EventChildrenChanged)
}

func (n *node) statCopy() store.Stat {
	st := n.stat
	st.NumChildren = int32(len(n.children))
	return st
}
