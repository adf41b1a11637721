package cluster

import (
	"context"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/stormthrift"
)

// StormIDs lists the active topologies (children of /storms).
func (st *State) StormIDs(ctx context.Context) ([]string, error) {
	return st.children(ctx, StormsRoot)
}

// StormIDsW is StormIDs plus a watch on the set of ids.
func (st *State) StormIDsW(ctx context.Context) ([]string, <-chan store.Event, error) {
	return st.childrenW(ctx, StormsRoot)
}

// StormBase reads a topology's StormBase; nil if there is none.
func (st *State) StormBase(ctx context.Context, id string) (*stormthrift.StormBase, error) {
	b, _, err := readThrift[stormthrift.StormBase](ctx, st, StormPath(id))
	return b, err
}

// StormBaseW is StormBase plus a watch that fires on the next change
// (including creation and deletion).
func (st *State) StormBaseW(ctx context.Context, id string) (*stormthrift.StormBase, <-chan store.Event, error) {
	b, _, ch, err := readThriftW[stormthrift.StormBase](ctx, st, StormPath(id))
	return b, ch, err
}

// SetStormBase writes a topology's StormBase (activate-storm!, and
// update-storm! after the caller has merged the changes).
func (st *State) SetStormBase(ctx context.Context, id string, b *stormthrift.StormBase) error {
	return st.setThrift(ctx, StormPath(id), b)
}

// RemoveStormBase deletes /storms/<id>.
func (st *State) RemoveStormBase(ctx context.Context, id string) error {
	return st.deleteNode(ctx, StormPath(id))
}

// RemoveStorm is Storm's remove-storm!: it deletes the topology's
// assignment, credentials, log config, profiler requests and, last, its
// StormBase.
func (st *State) RemoveStorm(ctx context.Context, id string) error {
	for _, p := range []string{AssignmentPath(id), CredentialsPath(id), LogConfigPath(id), ProfilerStormRoot(id), StormPath(id)} {
		if err := st.deleteNode(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
