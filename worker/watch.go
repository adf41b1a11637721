package worker

import (
	"slices"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// The watches below follow one pattern: read with a one-shot watch, apply, then wait for the
// watch to fire, the poll period (task.refresh.poll.secs, a safety net for lost watches) or the
// end. A watch is re-armed only after it fired, so polling does not pile up watchers.

func (w *worker) pollTicker(key string, def int64) Ticker {
	n := w.daemonConf.IntOr(key, def)
	if n <= 0 {
		n = def
	}
	return w.clock.NewTicker(secs(n))
}

// watchAssignment keeps connections in line with the assignment and ends the worker when its
// slot's executors are no longer assigned to it (topology killed or rebalanced): a worker cannot
// change its executors, its supervisor starts a new one.
func (w *worker) watchAssignment() {
	poll := w.pollTicker(conf.TaskRefreshPollSecs, 10)
	defer poll.Stop()
	var watch <-chan store.Event
	for {
		var a *stormthrift.Assignment
		var err error
		if watch == nil {
			a, _, watch, err = w.cfg.State.AssignmentW(w.ctx, w.cfg.StormID)
		} else {
			a, _, err = w.cfg.State.Assignment(w.ctx, w.cfg.StormID)
		}
		if err != nil {
			if w.ctx.Err() != nil {
				return
			}
			w.log.Warn("could not read assignment", "err", err)
			watch = nil
		} else if !w.applyAssignment(a) {
			return
		}
		select {
		case <-watch:
			watch = nil
		case <-poll.C():
		case <-w.ctx.Done():
			return
		}
	}
}

// applyAssignment refreshes connections; it returns false (and finishes the worker) when the
// slot's executors changed.
func (w *worker) applyAssignment(a *stormthrift.Assignment) bool {
	if a == nil {
		w.log.Info("worker stopping: the topology's assignment is gone")
		w.finish(nil)
		return false
	}
	if own := executorsOf(a, w.cfg.AssignmentID, w.cfg.Port); !slices.Equal(own, w.own) {
		w.log.Info("worker stopping: the executors assigned to this slot changed", "was", len(w.own), "now", len(own))
		w.finish(nil)
		return false
	}
	w.refreshConnections(a)
	return true
}

// watchStormBase tracks whether the topology is active (StormBase status ACTIVE).
func (w *worker) watchStormBase() {
	poll := w.pollTicker(conf.TaskRefreshPollSecs, 10)
	defer poll.Stop()
	var watch <-chan store.Event
	for {
		var b *stormthrift.StormBase
		var err error
		if watch == nil {
			b, watch, err = w.cfg.State.StormBaseW(w.ctx, w.cfg.StormID)
		} else {
			b, err = w.cfg.State.StormBase(w.ctx, w.cfg.StormID)
		}
		if err != nil {
			if w.ctx.Err() != nil {
				return
			}
			w.log.Warn("could not read storm base", "err", err)
			watch = nil
		} else {
			on := b != nil && b.Status == stormthrift.TopologyStatus_ACTIVE
			if on != w.stormActive.Load() {
				w.log.Info("topology status", "active", on)
			}
			w.stormActive.Store(on)
			w.updateActive()
		}
		select {
		case <-watch:
			watch = nil
		case <-poll.C():
		case <-w.ctx.Done():
			return
		}
	}
}

// backpressureLoop publishes this worker's congestion as /backpressure/<id>/<node>-<port> and
// throttles the spouts while any worker of the topology is congested (topology.backpressure.enable).
// Unlike Storm 1.0.0 the decision is re-evaluated on every change and every poll, so a missed
// notification cannot leave spouts throttled.
func (w *worker) backpressureLoop() {
	poll := w.pollTicker(conf.TaskCredentialsPollSecs, 30)
	defer poll.Stop()
	st := w.cfg.State
	published := false
	var watch <-chan store.Event
	for {
		if want := w.isCongested(); want != published {
			if err := st.WorkerBackpressure(w.ctx, w.cfg.StormID, w.cfg.AssignmentID, w.cfg.Port, want); err != nil {
				if w.ctx.Err() != nil {
					return
				}
				w.log.Warn("could not publish backpressure", "err", err)
			} else {
				published = want
			}
		}
		var on bool
		var err error
		if watch == nil {
			on, watch, err = st.TopologyBackpressureW(w.ctx, w.cfg.StormID)
		} else {
			on, err = st.TopologyBackpressure(w.ctx, w.cfg.StormID)
		}
		if err != nil {
			if w.ctx.Err() != nil {
				return
			}
			w.log.Warn("could not read topology backpressure", "err", err)
			watch, on = nil, false
		}
		w.setTopologyBackpressure(on)
		select {
		case <-watch:
			watch = nil
		case <-w.bpTrigger:
		case <-poll.C():
		case <-w.ctx.Done():
			return
		}
	}
}
