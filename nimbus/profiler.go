package nimbus

import (
	"context"
	"slices"

	"github.com/galeproject/gale/stormthrift"
)

// SetWorkerProfiler stores a profiling request for a worker
// (/profilerconfigs/<id>/<host>_<port>_<ACTION>); supervisors act on it.
func (n *Nimbus) SetWorkerProfiler(ctx context.Context, id string, req *stormthrift.ProfileRequest) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	if _, err := n.topo(ctx, id); err != nil {
		return err
	}
	if req == nil || req.GetNodeInfo() == nil || len(req.GetNodeInfo().GetPort()) == 0 {
		return internalError("profile request needs a node and a port")
	}
	if err := n.state.SetWorkerProfileRequest(ctx, id, req); err != nil {
		return internalError("write profile request %s: %v", id, err)
	}
	return nil
}

// GetComponentPendingProfileActions returns, for each worker running
// component, its newest pending request with the given action.
func (n *Nimbus) GetComponentPendingProfileActions(ctx context.Context, id, component string, action stormthrift.ProfileAction) ([]*stormthrift.ProfileRequest, error) {
	v, err := n.topoView(ctx, id)
	if err != nil {
		return nil, err
	}
	type hp struct {
		host string
		port int64
	}
	var nodes []hp
	for _, e := range v.execs() {
		comp := v.td.executorComponent(e)
		if comp != component || isSystemID(comp) {
			continue
		}
		s := v.slots[e]
		h := hp{v.host(s.Node), int64(s.Port)}
		if !slices.Contains(nodes, h) {
			nodes = append(nodes, h)
		}
	}
	reqs, err := n.state.ProfileRequests(ctx, id)
	if err != nil {
		return nil, internalError("read profile requests %s: %v", id, err)
	}
	out := []*stormthrift.ProfileRequest{}
	for _, node := range nodes {
		var best *stormthrift.ProfileRequest
		for _, r := range reqs {
			ni := r.GetNodeInfo()
			if ni == nil || ni.GetNode() != node.host || len(ni.GetPort()) == 0 || ni.GetPort()[0] != node.port || r.GetAction() != action {
				continue
			}
			if best == nil || r.GetTimeStamp() > best.GetTimeStamp() {
				best = r
			}
		}
		if best != nil {
			out = append(out, best)
		}
	}
	return out, nil
}
