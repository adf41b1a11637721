package mem

import (
	"bytes"
	"context"
	"fmt"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/internal/fanout"
)

// Session is one client session on a Server; it implements store.Store.
// Its fields are guarded by the Server's lock.
type Session struct {
	srv    *Server
	id     int64
	closed bool
	fan    *fanout.Fanout
}

var _ store.Store = (*Session)(nil)

// begin checks ctx and the session and takes the server lock; the caller
// must call s.srv.mu.Unlock when err is nil.
func (s *Session) begin(ctx context.Context, op, path string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s %s: %w", op, path, err)
	}
	s.srv.mu.Lock()
	if s.closed {
		s.srv.mu.Unlock()
		return fmt.Errorf("%s %s: %w", op, path, store.ErrClosed)
	}
	return nil
}

func (s *Session) lookup(op, path string) (*node, error) {
	if err := store.ValidatePath(path, false); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	n, ok := s.srv.nodes[path]
	if !ok {
		return nil, fmt.Errorf("%s %s: %w", op, path, store.ErrNoNode)
	}
	return n, nil
}

// Create implements store.Store.
func (s *Session) Create(ctx context.Context, path string, data []byte, mode store.Mode) (string, error) {
	if err := s.begin(ctx, "create", path); err != nil {
		return "", err
	}
	defer s.srv.mu.Unlock()
	return s.srv.createLocked(s, path, data, mode)
}

// Get implements store.Store.
func (s *Session) Get(ctx context.Context, path string) ([]byte, store.Stat, error) {
	if err := s.begin(ctx, "get", path); err != nil {
		return nil, store.Stat{}, err
	}
	defer s.srv.mu.Unlock()
	n, err := s.lookup("get", path)
	if err != nil {
		return nil, store.Stat{}, err
	}
	return bytes.Clone(n.data), n.statCopy(), nil
}

// GetW implements store.Store.
func (s *Session) GetW(ctx context.Context, path string) ([]byte, store.Stat, <-chan store.Event, error) {
	if err := s.begin(ctx, "get", path); err != nil {
		return nil, store.Stat{}, nil, err
	}
	defer s.srv.mu.Unlock()
	n, err := s.lookup("get", path)
	if err != nil {
		return nil, store.Stat{}, nil, err
	}
	ch := s.srv.addWatchLocked(s.srv.dataWatches, path, s)
	return bytes.Clone(n.data), n.statCopy(), ch, nil
}

// Exists implements store.Store.
func (s *Session) Exists(ctx context.Context, path string) (bool, store.Stat, error) {
	if err := s.begin(ctx, "exists", path); err != nil {
		return false, store.Stat{}, err
	}
	defer s.srv.mu.Unlock()
	if err := store.ValidatePath(path, false); err != nil {
		return false, store.Stat{}, fmt.Errorf("exists: %w", err)
	}
	if n, ok := s.srv.nodes[path]; ok {
		return true, n.statCopy(), nil
	}
	return false, store.Stat{}, nil
}

// ExistsW implements store.Store.
func (s *Session) ExistsW(ctx context.Context, path string) (bool, store.Stat, <-chan store.Event, error) {
	if err := s.begin(ctx, "exists", path); err != nil {
		return false, store.Stat{}, nil, err
	}
	defer s.srv.mu.Unlock()
	if err := store.ValidatePath(path, false); err != nil {
		return false, store.Stat{}, nil, fmt.Errorf("exists: %w", err)
	}
	ch := s.srv.addWatchLocked(s.srv.dataWatches, path, s)
	if n, ok := s.srv.nodes[path]; ok {
		return true, n.statCopy(), ch, nil
	}
	return false, store.Stat{}, ch, nil
}

// Set implements store.Store.
func (s *Session) Set(ctx context.Context, path string, data []byte, version int32) (store.Stat, error) {
	if err := s.begin(ctx, "set", path); err != nil {
		return store.Stat{}, err
	}
	defer s.srv.mu.Unlock()
	n, err := s.lookup("set", path)
	if err != nil {
		return store.Stat{}, err
	}
	if version != -1 && version != n.stat.Version {
		return store.Stat{}, fmt.Errorf("set %s: version %d, want %d: %w", path, n.stat.Version, version, store.ErrBadVersion)
	}
	n.data = bytes.Clone(data)
	n.stat.Version++
	n.stat.Mtime = s.srv.now()
	s.srv.triggerLocked(s.srv.dataWatches, path, store.EventDataChanged)
	return n.statCopy(), nil
}

// Children implements store.Store.
func (s *Session) Children(ctx context.Context, path string) ([]string, error) {
	if err := s.begin(ctx, "children", path); err != nil {
		return nil, err
	}
	defer s.srv.mu.Unlock()
	n, err := s.lookup("children", path)
	if err != nil {
		return nil, err
	}
	return names(n), nil
}

// ChildrenW implements store.Store.
func (s *Session) ChildrenW(ctx context.Context, path string) ([]string, <-chan store.Event, error) {
	if err := s.begin(ctx, "children", path); err != nil {
		return nil, nil, err
	}
	defer s.srv.mu.Unlock()
	n, err := s.lookup("children", path)
	if err != nil {
		return nil, nil, err
	}
	return names(n), s.srv.addWatchLocked(s.srv.childWatches, path, s), nil
}

func names(n *node) []string {
	out := make([]string, 0, len(n.children))
	for c := range n.children {
		out = append(out, c)
	}
	return out
}

// Delete implements store.Store.
func (s *Session) Delete(ctx context.Context, path string, version int32) error {
	if err := s.begin(ctx, "delete", path); err != nil {
		return err
	}
	defer s.srv.mu.Unlock()
	if path == "/" {
		return fmt.Errorf("delete /: %w", store.ErrInvalidPath)
	}
	n, err := s.lookup("delete", path)
	if err != nil {
		return err
	}
	if version != -1 && version != n.stat.Version {
		return fmt.Errorf("delete %s: version %d, want %d: %w", path, n.stat.Version, version, store.ErrBadVersion)
	}
	if len(n.children) > 0 {
		return fmt.Errorf("delete %s: %w", path, store.ErrNotEmpty)
	}
	s.srv.deleteLocked(path)
	return nil
}

// SessionEvents implements store.Store.
func (s *Session) SessionEvents() <-chan store.SessionEvent { return s.fan.Subscribe() }

// SessionID implements store.Store.
func (s *Session) SessionID() int64 {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	return s.id
}

// Close implements store.Store.
func (s *Session) Close() error {
	s.srv.mu.Lock()
	if s.closed {
		s.srv.mu.Unlock()
		return nil
	}
	s.closed = true
	s.srv.endSessionLocked(s, store.ErrClosed)
	s.srv.mu.Unlock()
	s.fan.Close()
	return nil
}
