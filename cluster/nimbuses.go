package cluster

import (
	"context"

	"github.com/galeproject/gale/stormthrift"
)

// AddNimbusHost publishes this nimbus as the ephemeral /nimbuses/<host:port>.
// Like Storm it deletes any existing node first, so that the node belongs
// to this session. Storm re-publishes after a reconnect; callers do that by
// calling AddNimbusHost again on store.SessionConnected.
func (st *State) AddNimbusHost(ctx context.Context, hostPort string, s *stormthrift.NimbusSummary) error {
	if err := st.deleteNode(ctx, NimbusPath(hostPort)); err != nil {
		return err
	}
	return st.setEphemeralThrift(ctx, NimbusPath(hostPort), s)
}

// NimbusSummaries reads every published nimbus. Nodes that vanish while
// being read are skipped.
func (st *State) NimbusSummaries(ctx context.Context) ([]*stormthrift.NimbusSummary, error) {
	kids, err := st.children(ctx, NimbusesRoot)
	if err != nil {
		return nil, err
	}
	out := make([]*stormthrift.NimbusSummary, 0, len(kids))
	for _, k := range kids {
		s, _, err := readThrift[stormthrift.NimbusSummary](ctx, st, NimbusPath(k))
		if err != nil {
			return nil, err
		}
		if s != nil {
			out = append(out, s)
		}
	}
	return out, nil
}
