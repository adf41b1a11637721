package cluster

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/galeproject/gale/cluster/store"
)

// ErrNoLeader is returned by LeaderLatch.Leader when nobody is in the latch.
var ErrNoLeader = errors.New("cluster: no nimbus leader participant found")

// latchName is the node-name stem Curator's LeaderLatch uses; children are
// "_c_<uuid>-latch-<10-digit seq>" (Curator's protection prefix).
const latchName = "latch-"

// Participant is one member of the leader latch.
type Participant struct {
	ID       string // the member's id, "host:port" for nimbuses
	IsLeader bool
}

// LeaderLatch is a Curator 2.10 LeaderLatch on /leader-lock of the store's
// root: each member holds a protected ephemeral-sequential node whose data
// is its id, and the member with the lowest sequence number leads. Java
// nimbuses (Curator) and Gale nimbuses can share one latch.
//
// Lifecycle:
//
//	NewLeaderLatch ──Start──▶ joined ──(lowest node)──▶ leader
//	                             ▲  │ disconnected / expired: not leader
//	                             └──┘ connected again: re-join (new node)
//	any ──Close──▶ closed (node deleted, not leader)
//
// Start runs one goroutine owned by the latch until Close.
type LeaderLatch struct {
	s    store.Store
	id   string
	log  *slog.Logger
	path string

	mu      sync.Mutex
	state   latchState
	leader  bool
	ourPath string
	changed chan struct{} // closed and replaced on every leadership change
	stop    chan struct{}
	done    chan struct{}
}

type latchState int

const (
	latchLatent latchState = iota
	latchStarted
	latchClosed
)

// NewLeaderLatch returns a latch for member id ("host:port") on s. It does
// not own s.
func NewLeaderLatch(s store.Store, id string, logger *slog.Logger) *LeaderLatch {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &LeaderLatch{
		s: s, id: id, log: logger.With("latch", LeaderLockRoot, "id", id), path: LeaderLockRoot,
		changed: make(chan struct{}),
	}
}

// Start joins the latch: it creates this member's node (ctx bounds that)
// and starts the goroutine that follows the latch until Close.
func (l *LeaderLatch) Start(ctx context.Context) error {
	l.mu.Lock()
	if l.state != latchLatent {
		l.mu.Unlock()
		return errors.New("cluster: leader latch already started")
	}
	l.state = latchStarted
	l.stop = make(chan struct{})
	l.done = make(chan struct{})
	l.mu.Unlock()

	sess := l.s.SessionEvents()
	if err := l.reset(ctx); err != nil {
		l.mu.Lock()
		l.state = latchClosed
		close(l.done)
		l.mu.Unlock()
		return fmt.Errorf("cluster: join leader latch: %w", err)
	}
	go l.run(sess)
	return nil
}

// IsLeader reports whether this member leads now.
func (l *LeaderLatch) IsLeader() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.leader && l.state == latchStarted
}

// AwaitLeadership blocks until this member leads or ctx ends.
func (l *LeaderLatch) AwaitLeadership(ctx context.Context) error {
	for {
		l.mu.Lock()
		ok, ch := l.leader && l.state == latchStarted, l.changed
		l.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Leader returns the id of the member with the lowest node; ErrNoLeader if
// the latch is empty.
func (l *LeaderLatch) Leader(ctx context.Context) (string, error) {
	ps, err := l.Participants(ctx)
	if err != nil {
		return "", err
	}
	if len(ps) == 0 || !ps[0].IsLeader {
		return "", ErrNoLeader
	}
	return ps[0].ID, nil
}

// Participants lists the latch members in order; the first is the leader.
func (l *LeaderLatch) Participants(ctx context.Context) ([]Participant, error) {
	kids, err := l.s.Children(ctx, l.path)
	if errors.Is(err, store.ErrNoNode) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cluster: leader latch members: %w", err)
	}
	var out []Participant
	for _, k := range sortLatch(kids) {
		b, _, err := l.s.Get(ctx, l.path+"/"+k)
		if errors.Is(err, store.ErrNoNode) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cluster: leader latch member %s: %w", k, err)
		}
		out = append(out, Participant{ID: string(b), IsLeader: len(out) == 0})
	}
	return out, nil
}

// Close leaves the latch: the goroutine stops and this member's node is
// deleted. It does not close the store.
func (l *LeaderLatch) Close() error {
	l.mu.Lock()
	if l.state != latchStarted {
		l.state = latchClosed
		l.mu.Unlock()
		return nil
	}
	l.state = latchClosed
	close(l.stop)
	done := l.done
	l.mu.Unlock()
	<-done

	l.setLeader(false)
	l.mu.Lock()
	our := l.ourPath
	l.ourPath = ""
	l.mu.Unlock()
	if our == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := l.s.Delete(ctx, our, -1); err != nil && !errors.Is(err, store.ErrNoNode) && !errors.Is(err, store.ErrClosed) {
		return fmt.Errorf("cluster: leave leader latch: %w", err)
	}
	return nil
}

func (l *LeaderLatch) setLeader(v bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.leader == v {
		return
	}
	l.leader = v
	close(l.changed)
	l.changed = make(chan struct{})
	if v {
		l.log.Info("gained leadership")
	} else {
		l.log.Info("lost leadership")
	}
}

// retryDelay is how long the latch waits after a failed store call.
const retryDelay = time.Second

// run follows the latch: it re-checks on every watch event and re-joins
// after the session comes back (as Curator does on RECONNECTED).
func (l *LeaderLatch) run(sess <-chan store.SessionEvent) {
	defer close(l.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-l.stop:
			cancel()
		case <-ctx.Done():
		}
	}()

	needReset := false
	for {
		var watch <-chan store.Event
		var retry <-chan time.Time
		var err error
		if needReset {
			err = l.reset(ctx)
			needReset = err != nil
		}
		if err == nil {
			watch, needReset, err = l.check(ctx)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			l.log.Warn("leader latch", "err", err)
			retry = time.After(retryDelay)
		} else if needReset {
			continue
		}
		select {
		case <-l.stop:
			return
		case ev, ok := <-sess:
			if !ok {
				l.setLeader(false)
				<-l.stop
				return
			}
			switch ev {
			case store.SessionDisconnected, store.SessionExpired:
				l.setLeader(false)
				// Wait for the session to come back before touching the store.
				for ev != store.SessionConnected {
					select {
					case <-l.stop:
						return
					case ev, ok = <-sess:
						if !ok {
							<-l.stop
							return
						}
					}
				}
				needReset = true
			case store.SessionConnected:
				needReset = true
			}
		case <-watch:
		case <-retry:
		}
	}
}

// reset drops this member's node (if any) and creates a new one.
func (l *LeaderLatch) reset(ctx context.Context) error {
	l.setLeader(false)
	l.mu.Lock()
	old := l.ourPath
	l.ourPath = ""
	l.mu.Unlock()
	if old != "" {
		if err := l.s.Delete(ctx, old, -1); err != nil && !errors.Is(err, store.ErrNoNode) {
			return err
		}
	}
	if err := store.Mkdirs(ctx, l.s, l.path, []byte{}); err != nil {
		return err
	}
	p, err := l.createProtected(ctx)
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.ourPath = p
	l.mu.Unlock()
	return nil
}

// createProtected is Curator's withProtection() ephemeral-sequential
// create: the name carries a fresh "_c_<uuid>-" prefix so that, when the
// connection drops during the create, the node can be found again.
func (l *LeaderLatch) createProtected(ctx context.Context) (string, error) {
	prefix := "_c_" + newUUID() + "-"
	for attempt := 0; ; attempt++ {
		p, err := l.s.Create(ctx, l.path+"/"+prefix+latchName, []byte(l.id), store.EphemeralSequential)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, store.ErrConnectionLoss) || attempt >= 5 {
			return "", err
		}
		kids, cerr := l.s.Children(ctx, l.path)
		if cerr != nil {
			continue
		}
		for _, k := range kids {
			if strings.HasPrefix(k, prefix) {
				return l.path + "/" + k, nil
			}
		}
	}
}

// check decides leadership from the current children. It returns a watch
// to wait on, or reset=true when this member's node is gone.
func (l *LeaderLatch) check(ctx context.Context) (<-chan store.Event, bool, error) {
	l.mu.Lock()
	our := l.ourPath
	l.mu.Unlock()
	kids, err := l.s.Children(ctx, l.path)
	if err != nil && !errors.Is(err, store.ErrNoNode) {
		return nil, false, err
	}
	sorted := sortLatch(kids)
	idx := -1
	if our != "" {
		idx = slices.Index(sorted, our[strings.LastIndexByte(our, '/')+1:])
	}
	switch {
	case idx < 0:
		l.log.Warn("leader latch node is gone; re-joining")
		return nil, true, nil
	case idx == 0:
		// Watch our own node too, so that its deletion by anyone re-joins.
		ok, _, ch, err := l.s.ExistsW(ctx, our)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			return nil, true, nil
		}
		l.setLeader(true)
		return ch, false, nil
	default:
		l.setLeader(false)
		_, _, ch, err := l.s.GetW(ctx, l.path+"/"+sorted[idx-1])
		if errors.Is(err, store.ErrNoNode) {
			// The predecessor went away between the two calls: check again.
			// (Curator re-joins here; re-checking keeps our place.)
			closed := make(chan store.Event)
			close(closed)
			return closed, false, nil
		}
		return ch, false, err
	}
}

// sortLatch orders latch children by the text after "latch-", as Curator's
// LockInternals.getSortedChildren does.
func sortLatch(kids []string) []string {
	out := slices.Clone(kids)
	key := func(s string) string {
		if i := strings.LastIndex(s, latchName); i >= 0 {
			return s[i+len(latchName):]
		}
		return s
	}
	slices.SortStableFunc(out, func(a, b string) int { return cmp.Compare(key(a), key(b)) })
	return out
}

// newUUID returns a random (version 4) UUID in its canonical text form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
