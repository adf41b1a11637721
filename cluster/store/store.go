package store

import (
	"context"
	"errors"
	"time"
)

// Mode is how a node is created.
type Mode int

// Create modes, as ZooKeeper's CreateMode.
const (
	Persistent Mode = iota
	Ephemeral
	PersistentSequential
	EphemeralSequential
)

// IsEphemeral reports whether nodes of mode m end with their session.
func (m Mode) IsEphemeral() bool { return m == Ephemeral || m == EphemeralSequential }

// IsSequential reports whether mode m appends a sequence number to the name.
func (m Mode) IsSequential() bool { return m == PersistentSequential || m == EphemeralSequential }

func (m Mode) String() string {
	switch m {
	case Persistent:
		return "persistent"
	case Ephemeral:
		return "ephemeral"
	case PersistentSequential:
		return "persistent-sequential"
	case EphemeralSequential:
		return "ephemeral-sequential"
	}
	return "mode(?)"
}

// Stat is the metadata of a node.
type Stat struct {
	Version        int32 // data version, incremented by every Set
	Cversion       int32 // child version, incremented by every child create/delete
	NumChildren    int32
	EphemeralOwner int64 // session id of the owner; 0 for persistent nodes
	Ctime          time.Time
	Mtime          time.Time
}

// EventType says what a watch saw.
type EventType int

// Watch event types.
const (
	EventCreated EventType = iota + 1
	EventDeleted
	EventDataChanged
	EventChildrenChanged
	// EventNotWatching: the watch was dropped without the node changing,
	// because the session ended; Event.Err is ErrClosed or ErrSessionExpired.
	EventNotWatching
)

// EventSession is another name for EventNotWatching: the watch ended with
// the session, not with a change.
const EventSession = EventNotWatching

func (t EventType) String() string {
	switch t {
	case EventCreated:
		return "created"
	case EventDeleted:
		return "deleted"
	case EventDataChanged:
		return "data-changed"
	case EventChildrenChanged:
		return "children-changed"
	case EventNotWatching:
		return "not-watching"
	}
	return "event(?)"
}

// Event is what a one-shot watch delivers.
type Event struct {
	Type EventType
	Path string // the watched path
	Err  error  // set for EventNotWatching
}

// SessionEvent is a change of the session's connection state.
type SessionEvent int

// Session events.
const (
	// SessionConnected: a session is established (also after a reconnect,
	// and after an expiry, when the Store has started a new session).
	SessionConnected SessionEvent = iota + 1
	// SessionDisconnected: the connection is lost; the session may still
	// be alive and come back (SessionConnected) or expire.
	SessionDisconnected
	// SessionExpired: the session is gone, with its ephemeral nodes and
	// watches. The Store goes on with a new session.
	SessionExpired
)

func (e SessionEvent) String() string {
	switch e {
	case SessionConnected:
		return "connected"
	case SessionDisconnected:
		return "disconnected"
	case SessionExpired:
		return "expired"
	}
	return "session(?)"
}

// Errors returned (wrapped) by every backend; test with errors.Is.
var (
	ErrNoNode                  = errors.New("store: node does not exist")
	ErrNodeExists              = errors.New("store: node already exists")
	ErrBadVersion              = errors.New("store: version conflict")
	ErrNotEmpty                = errors.New("store: node has children")
	ErrNoChildrenForEphemerals = errors.New("store: ephemeral nodes may not have children")
	ErrInvalidPath             = errors.New("store: invalid path")
	ErrClosed                  = errors.New("store: closed")
	ErrSessionExpired          = errors.New("store: session expired")
	// ErrConnectionLoss: the request may or may not have been applied.
	ErrConnectionLoss = errors.New("store: connection lost")
)

// Store is one session on a hierarchical store with ZooKeeper's semantics
// (see the package comment). All methods are safe for concurrent use.
type Store interface {
	// Create makes a node and returns its actual path (with the sequence
	// suffix for sequential modes).
	Create(ctx context.Context, path string, data []byte, mode Mode) (string, error)
	Get(ctx context.Context, path string) ([]byte, Stat, error)
	// GetW is Get plus a one-shot watch on the node's data and existence.
	GetW(ctx context.Context, path string) ([]byte, Stat, <-chan Event, error)
	Exists(ctx context.Context, path string) (bool, Stat, error)
	// ExistsW is Exists plus a one-shot watch that fires on creation,
	// data change or deletion; it is set whether or not the node exists.
	ExistsW(ctx context.Context, path string) (bool, Stat, <-chan Event, error)
	// Set replaces the data if the node's version is version (-1: any).
	Set(ctx context.Context, path string, data []byte, version int32) (Stat, error)
	// Children returns the child names (not paths), in no particular order.
	Children(ctx context.Context, path string) ([]string, error)
	ChildrenW(ctx context.Context, path string) ([]string, <-chan Event, error)
	// Delete removes a childless node if its version is version (-1: any).
	Delete(ctx context.Context, path string, version int32) error
	// SessionEvents returns a new subscription to the session's state
	// changes; call it once per consumer. Slow consumers lose the oldest
	// events, never block the session. The channel is closed by Close.
	SessionEvents() <-chan SessionEvent
	// SessionID is the current session's id.
	SessionID() int64
	// Close ends the session: its ephemeral nodes are deleted and its
	// watches get EventNotWatching/ErrClosed. Later calls return ErrClosed.
	Close() error
}

// Syncer is implemented by backends whose reads may lag other sessions'
// writes (ZooKeeper); Sync brings this session up to date for path.
type Syncer interface {
	Sync(ctx context.Context, path string) error
}
