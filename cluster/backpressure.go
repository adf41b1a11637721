package cluster

import (
	"context"

	"github.com/galeproject/gale/cluster/store"
)

// SetupBackpressure makes /backpressure/<storm-id>.
func (st *State) SetupBackpressure(ctx context.Context, stormID string) error {
	return st.mkdirs(ctx, BackpressureStormRoot(stormID))
}

// RemoveBackpressure deletes /backpressure/<storm-id> and its entries.
func (st *State) RemoveBackpressure(ctx context.Context, stormID string) error {
	return st.deleteNode(ctx, BackpressureStormRoot(stormID))
}

// WorkerBackpressure records whether a worker is congested: on creates the
// ephemeral /backpressure/<storm-id>/<node>-<port> (if missing), off deletes
// it (if present).
func (st *State) WorkerBackpressure(ctx context.Context, stormID, node string, port int, on bool) error {
	p := BackpressurePath(stormID, node, port)
	ok, err := st.exists(ctx, p)
	if err != nil {
		return err
	}
	switch {
	case ok && !on:
		return st.deleteNode(ctx, p)
	case !ok && on:
		return st.setEphemeral(ctx, p, nil)
	}
	return nil
}

// RemoveWorkerBackpressure deletes a worker's backpressure entry.
func (st *State) RemoveWorkerBackpressure(ctx context.Context, stormID, node string, port int) error {
	return st.deleteNode(ctx, BackpressurePath(stormID, node, port))
}

// TopologyBackpressure reports whether any worker of the topology is
// congested (its backpressure directory has children).
func (st *State) TopologyBackpressure(ctx context.Context, stormID string) (bool, error) {
	kids, err := st.children(ctx, BackpressureStormRoot(stormID))
	return len(kids) > 0, err
}

// TopologyBackpressureW is TopologyBackpressure plus a watch on the
// directory's children (or on its creation, if it is missing).
func (st *State) TopologyBackpressureW(ctx context.Context, stormID string) (bool, <-chan store.Event, error) {
	kids, ch, err := st.childrenW(ctx, BackpressureStormRoot(stormID))
	return len(kids) > 0, ch, err
}

// BackpressureTopologies lists the topologies with a backpressure directory.
func (st *State) BackpressureTopologies(ctx context.Context) ([]string, error) {
	return st.children(ctx, BackpressureRoot)
}
