package supervisor

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/galeproject/gale/stormthrift"
)

// supervisorInfo is the SupervisorInfo this supervisor publishes at now
// (Storm's heartbeat-fn): used ports are those of its current assignment,
// meta its slot ports.
func (s *Supervisor) supervisorInfo(now time.Time) *stormthrift.SupervisorInfo {
	s.mu.Lock()
	used := slices.Sorted(maps.Keys(s.assigned))
	uptime := int64(now.Sub(s.started) / time.Second)
	s.mu.Unlock()
	info := &stormthrift.SupervisorInfo{
		TimeSecs:     now.Unix(),
		Hostname:     s.set.hostname,
		AssignmentID: &s.id,
		UsedPorts:    make([]int64, len(used)),
		Meta:         make([]int64, len(s.set.ports)),
		UptimeSecs:   &uptime,
		Version:      &s.set.version,
		ResourcesMap: map[string]float64{
			"supervisor.memory.capacity.mb": s.set.memoryMB,
			"supervisor.cpu.capacity":       s.set.cpu,
		},
	}
	for i, p := range used {
		info.UsedPorts[i] = int64(p)
	}
	for i, p := range s.set.ports {
		info.Meta[i] = int64(p)
	}
	if s.set.schedulerMeta != nil {
		info.SchedulerMeta = maps.Clone(s.set.schedulerMeta)
	}
	return info
}

// heartbeat writes the ephemeral /supervisors/<id> node.
func (s *Supervisor) heartbeat(ctx context.Context) error {
	return s.state.SetSupervisorInfo(ctx, s.id, s.supervisorInfo(s.clock()))
}

// heartbeatLoop refreshes the supervisor's node every
// supervisor.heartbeat.frequency.secs. A failed write (ZooKeeper away, the
// session expired) is retried at the next tick, which also recreates the
// ephemeral node in a new session.
func (s *Supervisor) heartbeatLoop(ctx context.Context) {
	t := time.NewTicker(s.set.heartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.heartbeat(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("supervisor heartbeat failed; will retry", "err", err)
			}
		}
	}
}
