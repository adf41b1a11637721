package cluster

import (
	"context"
	"fmt"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/stormthrift"
)

// SetCredentials writes a topology's credentials (set-data).
func (st *State) SetCredentials(ctx context.Context, stormID string, c *stormthrift.Credentials) error {
	return st.setThrift(ctx, CredentialsPath(stormID), c)
}

// Credentials reads a topology's credentials; nil if none.
func (st *State) Credentials(ctx context.Context, stormID string) (*stormthrift.Credentials, error) {
	c, _, err := readThrift[stormthrift.Credentials](ctx, st, CredentialsPath(stormID))
	return c, err
}

// CredentialsW is Credentials plus a watch on the node.
func (st *State) CredentialsW(ctx context.Context, stormID string) (*stormthrift.Credentials, <-chan store.Event, error) {
	c, _, ch, err := readThriftW[stormthrift.Credentials](ctx, st, CredentialsPath(stormID))
	return c, ch, err
}

// SetLogConfig writes a topology's log config (set-data).
func (st *State) SetLogConfig(ctx context.Context, stormID string, lc *stormthrift.LogConfig) error {
	return st.setThrift(ctx, LogConfigPath(stormID), lc)
}

// LogConfig reads a topology's log config; nil if none.
func (st *State) LogConfig(ctx context.Context, stormID string) (*stormthrift.LogConfig, error) {
	lc, _, err := readThrift[stormthrift.LogConfig](ctx, st, LogConfigPath(stormID))
	return lc, err
}

// LogConfigW is LogConfig plus a watch on the node.
func (st *State) LogConfigW(ctx context.Context, stormID string) (*stormthrift.LogConfig, <-chan store.Event, error) {
	lc, _, ch, err := readThriftW[stormthrift.LogConfig](ctx, st, LogConfigPath(stormID))
	return lc, ch, err
}

// profilePath is the node of a request: <host>_<port>_<ACTION>, the port
// being the first of the NodeInfo's ports.
func profilePath(stormID string, req *stormthrift.ProfileRequest) (string, error) {
	if req == nil || req.NodeInfo == nil || len(req.NodeInfo.Port) == 0 {
		return "", fmt.Errorf("cluster: profile request without node and port")
	}
	return ProfilerPath(stormID, req.NodeInfo.Node, req.NodeInfo.Port[0], req.Action.String()), nil
}

// SetWorkerProfileRequest writes a profiler request (set-data).
func (st *State) SetWorkerProfileRequest(ctx context.Context, stormID string, req *stormthrift.ProfileRequest) error {
	p, err := profilePath(stormID, req)
	if err != nil {
		return err
	}
	return st.setThrift(ctx, p, req)
}

// ProfileRequests reads every profiler request of a topology.
func (st *State) ProfileRequests(ctx context.Context, stormID string) ([]*stormthrift.ProfileRequest, error) {
	dir := ProfilerStormRoot(stormID)
	kids, err := st.children(ctx, dir)
	if err != nil {
		return nil, err
	}
	out := make([]*stormthrift.ProfileRequest, 0, len(kids))
	for _, k := range kids {
		r, _, err := readThrift[stormthrift.ProfileRequest](ctx, st, dir+"/"+k)
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// WorkerProfileRequests is ProfileRequests filtered to one worker (host and
// first port), as get-worker-profile-requests.
func (st *State) WorkerProfileRequests(ctx context.Context, stormID, host string, port int) ([]*stormthrift.ProfileRequest, error) {
	all, err := st.ProfileRequests(ctx, stormID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, r := range all {
		if r.NodeInfo != nil && r.NodeInfo.Node == host && len(r.NodeInfo.Port) > 0 && r.NodeInfo.Port[0] == int64(port) {
			out = append(out, r)
		}
	}
	return out, nil
}

// DeleteProfileRequest deletes the node of req (by host, port and action).
func (st *State) DeleteProfileRequest(ctx context.Context, stormID string, req *stormthrift.ProfileRequest) error {
	p, err := profilePath(stormID, req)
	if err != nil {
		return err
	}
	return st.deleteNode(ctx, p)
}
