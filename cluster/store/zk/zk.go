package zk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/internal/fanout"
)

// Storm 1.0.0's defaults (conf/defaults.yaml, Utils.newCurator).
const (
	DefaultSessionTimeout       = 20 * time.Second
	DefaultConnectionTimeout    = 15 * time.Second
	DefaultRetryTimes           = 5
	DefaultRetryInterval        = time.Second
	DefaultRetryIntervalCeiling = 30 * time.Second
	DefaultPort                 = 2181
	DefaultRoot                 = "/storm"
)

// Store is one ZooKeeper session; it implements store.Store and
// store.Syncer.
type Store struct {
	conn  *gozk.Conn
	root  string // "" or "/a/b"
	log   *slog.Logger
	retry Retry
	fan   *fanout.Fanout

	closed atomic.Bool

	mu        sync.Mutex
	last      store.SessionEvent
	connected chan struct{} // closed at the first session
}

var (
	_ store.Store  = (*Store)(nil)
	_ store.Syncer = (*Store)(nil)
)

// Option tunes Dial.
type Option func(*options)

type options struct {
	connectTimeout time.Duration
	retry          Retry
}

// WithConnectionTimeout bounds how long Dial waits for the first session
// (default 15 s).
func WithConnectionTimeout(d time.Duration) Option {
	return func(o *options) { o.connectTimeout = d }
}

// WithRetry sets the retry policy for operations that fail on connection
// loss (default Storm's: 5 times, 1 s, ceiling 30 s).
func WithRetry(r Retry) Option { return func(o *options) { o.retry = r } }

// Dial connects to servers ("host:port"), waits for a session, creates root
// (with data 0x07) and returns a Store whose paths are relative to root.
// root "" or "/" means no chroot.
func Dial(ctx context.Context, servers []string, root string, sessionTimeout time.Duration, logger *slog.Logger, opts ...Option) (store.Store, error) {
	s, err := dial(ctx, servers, root, sessionTimeout, logger, opts...)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func dial(ctx context.Context, servers []string, root string, sessionTimeout time.Duration, logger *slog.Logger, opts ...Option) (*Store, error) {
	o := options{connectTimeout: DefaultConnectionTimeout, retry: DefaultRetry()}
	for _, f := range opts {
		f(&o)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if sessionTimeout <= 0 {
		sessionTimeout = DefaultSessionTimeout
	}
	root = strings.TrimSuffix(root, "/")
	if root != "" {
		if err := store.ValidatePath(root, false); err != nil {
			return nil, fmt.Errorf("zk: root: %w", err)
		}
	}
	s := &Store{
		root: root, log: logger, retry: o.retry, fan: &fanout.Fanout{},
		connected: make(chan struct{}),
	}
	conn, _, err := gozk.Connect(servers, sessionTimeout,
		gozk.WithLogger(zkLogger{logger}),
		gozk.WithLogInfo(false),
		gozk.WithEventCallback(s.onEvent))
	if err != nil {
		return nil, fmt.Errorf("zk: connect %v: %w", servers, err)
	}
	s.conn = conn

	wait, cancel := context.WithTimeout(ctx, o.connectTimeout)
	defer cancel()
	select {
	case <-s.connected:
	case <-wait.Done():
		conn.Close()
		s.fan.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("zk: connect %v: %w", servers, ctx.Err())
		}
		return nil, fmt.Errorf("zk: connect %v: no session within %v: %w", servers, o.connectTimeout, store.ErrConnectionLoss)
	}

	if root != "" {
		if err := s.mkdirsRaw(ctx, root); err != nil {
			s.Close()
			return nil, fmt.Errorf("zk: create root %s: %w", root, err)
		}
	}
	logger.Debug("zookeeper session established", "servers", servers, "root", root, "session", fmt.Sprintf("0x%x", conn.SessionID()))
	return s, nil
}

// mkdirsRaw creates an absolute (un-prefixed) path with 0x07 data.
func (s *Store) mkdirsRaw(ctx context.Context, full string) error {
	parts := strings.Split(full[1:], "/")
	p := ""
	for _, part := range parts {
		p += "/" + part
		err := s.do(ctx, "create", p, true, func() error {
			_, err := s.conn.Create(p, []byte{7}, 0, gozk.WorldACL(gozk.PermAll))
			return err
		})
		if err != nil && !errors.Is(err, store.ErrNodeExists) {
			return err
		}
	}
	return nil
}

// onEvent runs on the client's receive goroutine; it must not block.
func (s *Store) onEvent(ev gozk.Event) {
	if ev.Type != gozk.EventSession {
		return
	}
	var out store.SessionEvent
	s.mu.Lock()
	switch ev.State {
	case gozk.StateHasSession:
		if s.last != store.SessionConnected {
			out = store.SessionConnected
		}
		select {
		case <-s.connected:
		default:
			close(s.connected)
		}
	case gozk.StateDisconnected:
		if s.last == store.SessionConnected {
			out = store.SessionDisconnected
		}
	case gozk.StateExpired:
		out = store.SessionExpired
	}
	if out != 0 {
		s.last = out
	}
	s.mu.Unlock()
	if out != 0 {
		s.log.Debug("zookeeper session", "state", out.String())
		s.fan.Publish(out)
	}
}

// full maps a store path to the server path.
func (s *Store) full(p string) string {
	if s.root == "" {
		return p
	}
	if p == "/" {
		return s.root
	}
	return s.root + p
}

// rel maps a server path back to a store path.
func (s *Store) rel(p string) string {
	if s.root == "" {
		return p
	}
	if p == s.root {
		return "/"
	}
	if strings.HasPrefix(p, s.root+"/") {
		return p[len(s.root):]
	}
	return p
}

// Create implements store.Store.
func (s *Store) Create(ctx context.Context, path string, data []byte, mode store.Mode) (string, error) {
	if err := store.ValidatePath(path, mode.IsSequential()); err != nil {
		return "", err
	}
	var flags int32
	if mode.IsEphemeral() {
		flags |= gozk.FlagEphemeral
	}
	if mode.IsSequential() {
		flags |= gozk.FlagSequence
	}
	var created string
	err := s.do(ctx, "create", path, !mode.IsSequential(), func() error {
		var err error
		created, err = s.conn.Create(s.full(path), data, flags, gozk.WorldACL(gozk.PermAll))
		return err
	})
	if err != nil {
		return "", err
	}
	return s.rel(created), nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, path string) ([]byte, store.Stat, error) {
	if err := store.ValidatePath(path, false); err != nil {
		return nil, store.Stat{}, err
	}
	var data []byte
	var st *gozk.Stat
	err := s.do(ctx, "get", path, true, func() error {
		var err error
		data, st, err = s.conn.Get(s.full(path))
		return err
	})
	if err != nil {
		return nil, store.Stat{}, err
	}
	return data, convStat(st), nil
}

// GetW implements store.Store.
func (s *Store) GetW(ctx context.Context, path string) ([]byte, store.Stat, <-chan store.Event, error) {
	if err := store.ValidatePath(path, false); err != nil {
		return nil, store.Stat{}, nil, err
	}
	var data []byte
	var st *gozk.Stat
	var ch <-chan gozk.Event
	err := s.do(ctx, "get", path, true, func() error {
		var err error
		data, st, ch, err = s.conn.GetW(s.full(path))
		return err
	})
	if err != nil {
		return nil, store.Stat{}, nil, err
	}
	return data, convStat(st), s.relay(ch), nil
}

// Exists implements store.Store.
func (s *Store) Exists(ctx context.Context, path string) (bool, store.Stat, error) {
	if err := store.ValidatePath(path, false); err != nil {
		return false, store.Stat{}, err
	}
	var ok bool
	var st *gozk.Stat
	err := s.do(ctx, "exists", path, true, func() error {
		var err error
		ok, st, err = s.conn.Exists(s.full(path))
		return err
	})
	if err != nil || !ok {
		return false, store.Stat{}, err
	}
	return true, convStat(st), nil
}

// ExistsW implements store.Store.
func (s *Store) ExistsW(ctx context.Context, path string) (bool, store.Stat, <-chan store.Event, error) {
	if err := store.ValidatePath(path, false); err != nil {
		return false, store.Stat{}, nil, err
	}
	var ok bool
	var st *gozk.Stat
	var ch <-chan gozk.Event
	err := s.do(ctx, "exists", path, true, func() error {
		var err error
		ok, st, ch, err = s.conn.ExistsW(s.full(path))
		return err
	})
	if err != nil {
		return false, store.Stat{}, nil, err
	}
	if !ok {
		return false, store.Stat{}, s.relay(ch), nil
	}
	return true, convStat(st), s.relay(ch), nil
}

// Set implements store.Store.
func (s *Store) Set(ctx context.Context, path string, data []byte, version int32) (store.Stat, error) {
	if err := store.ValidatePath(path, false); err != nil {
		return store.Stat{}, err
	}
	var st *gozk.Stat
	err := s.do(ctx, "set", path, true, func() error {
		var err error
		st, err = s.conn.Set(s.full(path), data, version)
		return err
	})
	if err != nil {
		return store.Stat{}, err
	}
	return convStat(st), nil
}

// Children implements store.Store.
func (s *Store) Children(ctx context.Context, path string) ([]string, error) {
	if err := store.ValidatePath(path, false); err != nil {
		return nil, err
	}
	var kids []string
	err := s.do(ctx, "children", path, true, func() error {
		var err error
		kids, _, err = s.conn.Children(s.full(path))
		return err
	})
	return kids, err
}

// ChildrenW implements store.Store.
func (s *Store) ChildrenW(ctx context.Context, path string) ([]string, <-chan store.Event, error) {
	if err := store.ValidatePath(path, false); err != nil {
		return nil, nil, err
	}
	var kids []string
	var ch <-chan gozk.Event
	err := s.do(ctx, "children", path, true, func() error {
		var err error
		kids, _, ch, err = s.conn.ChildrenW(s.full(path))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return kids, s.relay(ch), nil
}

// Delete implements store.Store.
func (s *Store) Delete(ctx context.Context, path string, version int32) error {
	if err := store.ValidatePath(path, false); err != nil {
		return err
	}
	if path == "/" {
		return fmt.Errorf("delete /: %w", store.ErrInvalidPath)
	}
	return s.do(ctx, "delete", path, true, func() error {
		return s.conn.Delete(s.full(path), version)
	})
}

// Sync implements store.Syncer.
func (s *Store) Sync(ctx context.Context, path string) error {
	if err := store.ValidatePath(path, false); err != nil {
		return err
	}
	return s.do(ctx, "sync", path, true, func() error {
		_, err := s.conn.Sync(s.full(path))
		return err
	})
}

// SessionEvents implements store.Store.
func (s *Store) SessionEvents() <-chan store.SessionEvent { return s.fan.Subscribe() }

// SessionID implements store.Store.
func (s *Store) SessionID() int64 { return s.conn.SessionID() }

// Close implements store.Store: the session is closed on the server, so its
// ephemeral nodes go at once.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.conn.Close()
	s.fan.Close()
	return nil
}

// relay turns a client watch channel into a store one. The client always
// delivers one event (or closes the channel) when the watch fires, the
// session expires or the connection is closed, so the goroutine ends.
func (s *Store) relay(in <-chan gozk.Event) <-chan store.Event {
	out := make(chan store.Event, 1)
	go func() {
		defer close(out)
		ev, ok := <-in
		if !ok {
			out <- store.Event{Type: store.EventNotWatching, Err: store.ErrClosed}
			return
		}
		out <- s.convEvent(ev)
	}()
	return out
}

func (s *Store) convEvent(ev gozk.Event) store.Event {
	out := store.Event{Path: s.rel(ev.Path)}
	switch ev.Type {
	case gozk.EventNodeCreated:
		out.Type = store.EventCreated
	case gozk.EventNodeDeleted:
		out.Type = store.EventDeleted
	case gozk.EventNodeDataChanged:
		out.Type = store.EventDataChanged
	case gozk.EventNodeChildrenChanged:
		out.Type = store.EventChildrenChanged
	default:
		out.Type = store.EventNotWatching
		out.Err = mapErr(ev.Err)
		if out.Err == nil {
			out.Err = store.ErrConnectionLoss
		}
		if s.closed.Load() {
			out.Err = store.ErrClosed
		}
	}
	return out
}

func convStat(st *gozk.Stat) store.Stat {
	if st == nil {
		return store.Stat{}
	}
	return store.Stat{
		Version:        st.Version,
		Cversion:       st.Cversion,
		NumChildren:    st.NumChildren,
		EphemeralOwner: st.EphemeralOwner,
		Ctime:          time.UnixMilli(st.Ctime),
		Mtime:          time.UnixMilli(st.Mtime),
	}
}

// zkLogger sends the client's log lines to slog at debug level.
type zkLogger struct{ l *slog.Logger }

func (z zkLogger) Printf(format string, args ...any) {
	z.l.Debug("zookeeper client: " + fmt.Sprintf(format, args...))
}
