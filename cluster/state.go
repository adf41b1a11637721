package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/compat"
)

// State is Storm's cluster state over one store session.
type State struct {
	s   store.Store
	log *slog.Logger
}

// New is NewContext with a background context, bounded by
// DefaultInitTimeout.
func New(s store.Store, logger *slog.Logger) (*State, error) {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultInitTimeout)
	defer cancel()
	return NewContext(ctx, s, logger)
}

// DefaultInitTimeout bounds New's startup writes.
const DefaultInitTimeout = time.Minute

// NewContext makes the startup subtrees (as persistent 0x07 nodes, if
// missing) and returns a State over s. The State does not own s: closing s
// is the caller's job.
func NewContext(ctx context.Context, s store.Store, logger *slog.Logger) (*State, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	st := &State{s: s, log: logger}
	for _, p := range StartupSubtrees() {
		if err := st.mkdirs(ctx, p); err != nil {
			return nil, fmt.Errorf("cluster: mkdirs %s: %w", p, err)
		}
	}
	return st, nil
}

// Store returns the underlying store session.
func (st *State) Store() store.Store { return st.s }

func (st *State) mkdirs(ctx context.Context, path string) error {
	return store.Mkdirs(ctx, st.s, path, compat.DirNodeData())
}

// setData is Storm's set-data: set if the node exists, else mkdirs the
// parent and create it persistent.
func (st *State) setData(ctx context.Context, path string, data []byte) error {
	for attempt := 0; ; attempt++ {
		_, err := st.s.Set(ctx, path, data, -1)
		if err == nil {
			return nil
		}
		if !errors.Is(err, store.ErrNoNode) {
			return fmt.Errorf("cluster: set %s: %w", path, err)
		}
		if err := st.mkdirs(ctx, store.Parent(path)); err != nil {
			return fmt.Errorf("cluster: set %s: %w", path, err)
		}
		_, err = st.s.Create(ctx, path, data, store.Persistent)
		if err == nil {
			return nil
		}
		if !errors.Is(err, store.ErrNodeExists) || attempt >= 3 {
			return fmt.Errorf("cluster: set %s: %w", path, err)
		}
		// Created concurrently: set it.
	}
}

// setEphemeral is Storm's set-ephemeral-node: mkdirs the parent, set the
// node if it exists, else create it ephemeral.
func (st *State) setEphemeral(ctx context.Context, path string, data []byte) error {
	if err := st.mkdirs(ctx, store.Parent(path)); err != nil {
		return fmt.Errorf("cluster: set ephemeral %s: %w", path, err)
	}
	for attempt := 0; ; attempt++ {
		_, err := st.s.Set(ctx, path, data, -1)
		if err == nil {
			return nil
		}
		if !errors.Is(err, store.ErrNoNode) {
			return fmt.Errorf("cluster: set ephemeral %s: %w", path, err)
		}
		_, err = st.s.Create(ctx, path, data, store.Ephemeral)
		if err == nil {
			return nil
		}
		if !errors.Is(err, store.ErrNodeExists) || attempt >= 3 {
			return fmt.Errorf("cluster: set ephemeral %s: %w", path, err)
		}
	}
}

// getData returns the node's data, or nil with ok=false if it is missing.
func (st *State) getData(ctx context.Context, path string) ([]byte, store.Stat, bool, error) {
	b, stat, err := st.s.Get(ctx, path)
	if errors.Is(err, store.ErrNoNode) {
		return nil, store.Stat{}, false, nil
	}
	if err != nil {
		return nil, store.Stat{}, false, fmt.Errorf("cluster: get %s: %w", path, err)
	}
	return b, stat, true, nil
}

// getDataW reads a node and leaves a watch that fires on its next change,
// including its creation when it does not exist yet (as Storm's get-data
// does with an exists watch).
func (st *State) getDataW(ctx context.Context, path string) ([]byte, store.Stat, bool, <-chan store.Event, error) {
	for {
		b, stat, ch, err := st.s.GetW(ctx, path)
		if err == nil {
			return b, stat, true, ch, nil
		}
		if !errors.Is(err, store.ErrNoNode) {
			return nil, store.Stat{}, false, nil, fmt.Errorf("cluster: get %s: %w", path, err)
		}
		ok, _, ch, err := st.s.ExistsW(ctx, path)
		if err != nil {
			return nil, store.Stat{}, false, nil, fmt.Errorf("cluster: exists %s: %w", path, err)
		}
		if !ok {
			return nil, store.Stat{}, false, ch, nil
		}
		// Created between the two calls; that exists watch will fire on the
		// next change too, but read again to return the data.
	}
}

// children returns the children of path, nil if it is missing.
func (st *State) children(ctx context.Context, path string) ([]string, error) {
	kids, err := st.s.Children(ctx, path)
	if errors.Is(err, store.ErrNoNode) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cluster: children %s: %w", path, err)
	}
	return kids, nil
}

// childrenW lists children with a watch; a missing node gets an exists
// watch (fires on creation) and no children.
func (st *State) childrenW(ctx context.Context, path string) ([]string, <-chan store.Event, error) {
	for {
		kids, ch, err := st.s.ChildrenW(ctx, path)
		if err == nil {
			return kids, ch, nil
		}
		if !errors.Is(err, store.ErrNoNode) {
			return nil, nil, fmt.Errorf("cluster: children %s: %w", path, err)
		}
		ok, _, ch, err := st.s.ExistsW(ctx, path)
		if err != nil {
			return nil, nil, fmt.Errorf("cluster: exists %s: %w", path, err)
		}
		if !ok {
			return nil, ch, nil
		}
	}
}

func (st *State) exists(ctx context.Context, path string) (bool, error) {
	ok, _, err := st.s.Exists(ctx, path)
	if err != nil {
		return false, fmt.Errorf("cluster: exists %s: %w", path, err)
	}
	return ok, nil
}

// deleteNode deletes path and everything under it; missing is fine.
func (st *State) deleteNode(ctx context.Context, path string) error {
	if err := store.DeleteAll(ctx, st.s, path); err != nil {
		return fmt.Errorf("cluster: delete %s: %w", path, err)
	}
	return nil
}

func (st *State) setThrift(ctx context.Context, path string, v thrift.TStruct) error {
	b, err := compat.Serialize(v)
	if err != nil {
		return fmt.Errorf("cluster: serialize %s: %w", path, err)
	}
	return st.setData(ctx, path, b)
}

// decode deserializes node data into v; a decode failure is an error that
// names the path.
func decode(path string, b []byte, v thrift.TStruct) error {
	if err := compat.Deserialize(b, v); err != nil {
		return fmt.Errorf("cluster: decode %s: %w", path, err)
	}
	return nil
}

// readThrift reads path into a fresh T; nil if the node is missing.
func readThrift[T any, P interface {
	*T
	thrift.TStruct
}](ctx context.Context, st *State, path string) (P, store.Stat, error) {
	b, stat, ok, err := st.getData(ctx, path)
	if err != nil || !ok {
		return nil, stat, err
	}
	v := P(new(T))
	if err := decode(path, b, v); err != nil {
		return nil, stat, err
	}
	return v, stat, nil
}

// readThriftW is readThrift with a watch (see getDataW).
func readThriftW[T any, P interface {
	*T
	thrift.TStruct
}](ctx context.Context, st *State, path string) (P, store.Stat, <-chan store.Event, error) {
	b, stat, ok, ch, err := st.getDataW(ctx, path)
	if err != nil || !ok {
		return nil, stat, ch, err
	}
	v := P(new(T))
	if err := decode(path, b, v); err != nil {
		return nil, stat, ch, err
	}
	return v, stat, ch, nil
}

func (st *State) setEphemeralThrift(ctx context.Context, path string, v thrift.TStruct) error {
	b, err := compat.Serialize(v)
	if err != nil {
		return fmt.Errorf("cluster: serialize %s: %w", path, err)
	}
	return st.setEphemeral(ctx, path, b)
}
