package cluster

import (
	"context"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/stormthrift"
)

// SupervisorIDs lists the live supervisors (their ephemeral nodes).
func (st *State) SupervisorIDs(ctx context.Context) ([]string, error) {
	return st.children(ctx, SupervisorsRoot)
}

// SupervisorIDsW is SupervisorIDs plus a watch on the set.
func (st *State) SupervisorIDsW(ctx context.Context) ([]string, <-chan store.Event, error) {
	return st.childrenW(ctx, SupervisorsRoot)
}

// SupervisorInfo reads a supervisor's heartbeat; nil if it is not alive.
func (st *State) SupervisorInfo(ctx context.Context, id string) (*stormthrift.SupervisorInfo, error) {
	info, _, err := readThrift[stormthrift.SupervisorInfo](ctx, st, SupervisorPath(id))
	return info, err
}

// SetSupervisorInfo writes a supervisor's heartbeat as an ephemeral node of
// this session (create-or-set).
func (st *State) SetSupervisorInfo(ctx context.Context, id string, info *stormthrift.SupervisorInfo) error {
	return st.setEphemeralThrift(ctx, SupervisorPath(id), info)
}
