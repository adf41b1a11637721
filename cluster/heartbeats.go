package cluster

import (
	"context"

	"github.com/galeproject/gale/stormthrift"
)

// SetupHeartbeats makes /workerbeats/<storm-id> (nimbus, at submit).
func (st *State) SetupHeartbeats(ctx context.Context, stormID string) error {
	return st.mkdirs(ctx, WorkerbeatStormRoot(stormID))
}

// TeardownHeartbeats deletes /workerbeats/<storm-id> and all its beats.
// Like Storm it only logs a failure.
func (st *State) TeardownHeartbeats(ctx context.Context, stormID string) error {
	if err := st.deleteNode(ctx, WorkerbeatStormRoot(stormID)); err != nil {
		st.log.Warn("could not tear down heartbeats", "topology", stormID, "err", err)
	}
	return nil
}

// HeartbeatStorms lists the topologies with a heartbeat directory.
func (st *State) HeartbeatStorms(ctx context.Context) ([]string, error) {
	return st.children(ctx, WorkerbeatsRoot)
}

// WorkerHeartbeat reads one worker's heartbeat; nil if there is none.
func (st *State) WorkerHeartbeat(ctx context.Context, stormID, node string, port int) (*stormthrift.ClusterWorkerHeartbeat, error) {
	hb, _, err := readThrift[stormthrift.ClusterWorkerHeartbeat](ctx, st, WorkerbeatPath(stormID, node, port))
	return hb, err
}

// WorkerHeartbeats reads every worker heartbeat of a topology, keyed by the
// child name "<node>-<port>". Beats that vanish while being read are
// skipped.
func (st *State) WorkerHeartbeats(ctx context.Context, stormID string) (map[string]*stormthrift.ClusterWorkerHeartbeat, error) {
	root := WorkerbeatStormRoot(stormID)
	kids, err := st.children(ctx, root)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*stormthrift.ClusterWorkerHeartbeat, len(kids))
	for _, k := range kids {
		hb, _, err := readThrift[stormthrift.ClusterWorkerHeartbeat](ctx, st, root+"/"+k)
		if err != nil {
			return nil, err
		}
		if hb != nil {
			out[k] = hb
		}
	}
	return out, nil
}

// SetWorkerHeartbeat writes a worker's heartbeat (persistent, set-data).
func (st *State) SetWorkerHeartbeat(ctx context.Context, stormID, node string, port int, hb *stormthrift.ClusterWorkerHeartbeat) error {
	return st.setThrift(ctx, WorkerbeatPath(stormID, node, port), hb)
}

// RemoveWorkerHeartbeat deletes a worker's heartbeat.
func (st *State) RemoveWorkerHeartbeat(ctx context.Context, stormID, node string, port int) error {
	return st.deleteNode(ctx, WorkerbeatPath(stormID, node, port))
}
