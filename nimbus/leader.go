package nimbus

import (
	"context"
	"time"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/stormthrift"
)

// Leadership. Every Nimbus registers itself under /nimbuses/<host:port>
// (ephemeral NimbusSummary, uptime_secs = start time in epoch seconds,
// isLeader=false, as Storm writes it) and joins the Curator-compatible
// latch /leader-lock. Only the leader accepts mutations and runs the
// assignment, cleanup and delayed-transition work; on gaining leadership a
// Nimbus drops topologies whose code it lacks and resumes the pending
// kill/rebalance actions (the :startup transition).

// register writes this Nimbus's /nimbuses entry.
func (n *Nimbus) register(ctx context.Context) error {
	return n.state.AddNimbusHost(ctx, n.hostPort, n.summary())
}

func (n *Nimbus) summary() *stormthrift.NimbusSummary {
	return &stormthrift.NimbusSummary{
		Host:       n.host,
		Port:       int32(n.port),
		UptimeSecs: int32(n.started.Unix()),
		IsLeader:   false,
		Version:    StormVersion,
	}
}

// watchLeadership notices leadership changes and runs onLeader when this
// Nimbus becomes leader.
func (n *Nimbus) watchLeadership(ctx context.Context) {
	t := time.NewTicker(leaderPoll)
	defer t.Stop()
	for {
		l := n.isLeader()
		n.mu.Lock()
		was := n.leader
		n.leader = l
		n.mu.Unlock()
		switch {
		case l && !was:
			n.log.Info("gained leadership", "host_port", n.hostPort)
			n.onLeader(ctx)
			n.mu.Lock()
			n.ready = true
			n.mu.Unlock()
		case !l && was:
			n.log.Warn("lost leadership", "host_port", n.hostPort)
			n.mu.Lock()
			n.ready = false
			n.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

const leaderPoll = 100 * time.Millisecond

// leaderReady reports whether this Nimbus is leader and has finished its
// takeover work (corrupt topology cleanup, resumed transitions).
func (n *Nimbus) leaderReady() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.ready && n.isLeader()
}

func (n *Nimbus) onLeader(ctx context.Context) {
	n.cleanupCorruptTopologies(ctx)
	n.startupTransitions(ctx)
	n.triggerAssignments()
}

// watchSession re-registers the /nimbuses entry and the blob replicas
// (ephemeral nodes) after the cluster session was re-established.
func (n *Nimbus) watchSession(ctx context.Context, registered bool) {
	events := n.store.SessionEvents()
	retry := time.NewTicker(5 * time.Second)
	defer retry.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			switch ev {
			case store.SessionExpired:
				registered = false
			case store.SessionConnected:
				registered = false
			}
		case <-retry.C:
		}
		if registered {
			continue
		}
		if err := n.register(ctx); err != nil {
			n.log.Warn("re-registering nimbus failed", "err", err)
			continue
		}
		if err := n.blobs.SyncState(ctx); err != nil {
			n.log.Warn("blob store state sync failed", "err", err)
		}
		registered = true
	}
}
