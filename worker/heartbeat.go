package worker

import (
	"fmt"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// localStateVersionsKept is how many heartbeat versions the worker keeps in its LocalState
// (worker.clj do-heartbeat cleans up to 60, in case the supervisor is down).
const localStateVersionsKept = 60

// localHeartbeat writes the LocalState heartbeat the supervisor reads
// (workers/<id>/heartbeats, LSWorkerHeartbeat with every executor including [-1 -1]).
func (w *worker) localHeartbeat() error {
	execs := []*stormthrift.ExecutorInfo{{TaskStart: -1, TaskEnd: -1}}
	for _, e := range w.own {
		execs = append(execs, &stormthrift.ExecutorInfo{TaskStart: e.Start, TaskEnd: e.End})
	}
	hb := &stormthrift.LSWorkerHeartbeat{
		TimeSecs:   int32(w.clock.Now().Unix()),
		TopologyID: w.cfg.StormID,
		Executors:  execs,
		Port:       int32(w.cfg.Port),
	}
	if err := w.ls.Put(compat.LSWorkerHeartbeat, hb, false); err != nil {
		return fmt.Errorf("worker: local heartbeat: %w", err)
	}
	if err := w.ls.Cleanup(localStateVersionsKept); err != nil {
		return fmt.Errorf("worker: local heartbeat cleanup: %w", err)
	}
	return nil
}

// localHeartbeatLoop writes the local heartbeat every worker.heartbeat.frequency.secs.
func (w *worker) localHeartbeatLoop() {
	t := w.pollTicker(conf.WorkerHeartbeatFrequencySecs, 1)
	defer t.Stop()
	for {
		select {
		case <-t.C():
			if err := w.localHeartbeat(); err != nil {
				w.log.Error("local heartbeat failed", "err", err)
			}
		case <-w.ctx.Done():
			return
		}
	}
}

// clusterHeartbeat writes /workerbeats/<id>/<node>-<port>: every executor's statistics (all of
// them, including the system executor, from the first beat on), the time and the uptime.
func (w *worker) clusterHeartbeat() error {
	now := w.clock.Now()
	stats := make(map[*stormthrift.ExecutorInfo]*stormthrift.ExecutorStats, len(w.execs))
	for _, x := range w.execs {
		stats[&stormthrift.ExecutorInfo{TaskStart: x.id.Start, TaskEnd: x.id.End}] = x.stats.Render(now.UnixMilli())
	}
	hb := &stormthrift.ClusterWorkerHeartbeat{
		StormID:       w.cfg.StormID,
		ExecutorStats: stats,
		TimeSecs:      int32(now.Unix()),
		UptimeSecs:    int32(now.Sub(w.startTime).Seconds()),
	}
	return w.cfg.State.SetWorkerHeartbeat(w.ctx, w.cfg.StormID, w.cfg.AssignmentID, w.cfg.Port, hb)
}

// clusterHeartbeatLoop beats at once, then every task.heartbeat.frequency.secs.
func (w *worker) clusterHeartbeatLoop() {
	t := w.pollTicker(conf.TaskHeartbeatFrequencySecs, 3)
	defer t.Stop()
	for {
		if err := w.clusterHeartbeat(); err != nil && w.ctx.Err() == nil {
			w.log.Warn("cluster heartbeat failed; will retry", "err", err)
		}
		select {
		case <-t.C():
		case <-w.ctx.Done():
			return
		}
	}
}
