package supervisor

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// processLoop is Storm's sync-processes: it runs every
// supervisor.monitor.frequency.secs and whenever something asks for it (an
// assignment change, a worker exit, a restart delay running out).
func (s *Supervisor) processLoop(ctx context.Context, g *group) {
	t := time.NewTicker(s.set.monitorEvery)
	defer t.Stop()
	rep := &reports{missing: map[string]bool{}, states: map[string]WorkerState{}}
	for {
		s.syncProcesses(ctx, g, rep)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.processPoke:
		}
	}
}

// observe reads the local workers: directories, approvals, heartbeats, and
// what the runners know of the workers they hold. A worker no runner holds
// (adopted, or an orphan) has exited when none of its pid files names a live
// process.
func (s *Supervisor) observe(runners map[int]*runner) ([]WorkerRecord, error) {
	ids, err := s.l.workerIDs()
	if err != nil {
		return nil, err
	}
	approved := s.approvals.snapshot()
	live := make(map[string]workerStatus, len(runners))
	livePort := make(map[string]int, len(runners))
	for port, r := range runners {
		if id, st, ok := r.status(); ok {
			live[id], livePort[id] = st, port
		}
	}
	records := make([]WorkerRecord, 0, len(ids))
	for _, id := range ids {
		rec := WorkerRecord{ID: id, Port: approved[id]}
		if port, ok := livePort[id]; ok {
			// Held by a runner, which approves it for its port (perhaps
			// just after the snapshot above was taken).
			rec.Port = port
		}
		hb, err := s.l.readHeartbeat(id)
		if err != nil {
			s.log.Warn("unreadable worker heartbeat", "worker", id, "err", err)
		}
		rec.Heartbeat = hb
		st, ok := live[id]
		if ok {
			rec.LaunchedAt, rec.Assignment = st.launchedAt, st.assignment
		}
		if ok && st.exitKnown {
			rec.Exited = st.exited
		} else {
			pids := signalablePIDs(s.l.readPIDs(id), s.killer.self)
			rec.Exited = len(pids) > 0 && !anyAlive(pids)
		}
		records = append(records, rec)
	}
	// Forget approvals of workers that are gone.
	var gone []string
	for id := range approved {
		if _, held := live[id]; !held && !slices.Contains(ids, id) {
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		if err := s.approvals.revoke(gone...); err != nil {
			s.log.Warn("pruning approved workers", "err", err)
		}
	}
	return records, nil
}

// syncProcesses reconciles the local workers with the assignment: observe,
// Reconcile (pure), then hand every slot runner its part of the plan.
// Workers on ports without a runner are killed here. Until the first
// assignment sync has finished nothing is launched: the assignment read
// from local state may be stale.
func (s *Supervisor) syncProcesses(ctx context.Context, g *group, rep *reports) {
	assigned := s.Assigned()
	for port := range assigned {
		s.runner(g, port) // a port Nimbus assigned outside supervisor.slots.ports still gets a runner
	}
	runners := s.runnerSnapshot()
	records, err := s.observe(runners)
	if err != nil {
		s.log.Warn("reading local workers failed", "err", err)
		return
	}
	plan := Reconcile(assigned, records, s.clock(), s.set.timeouts)

	plans := make(map[int]*slotPlan, len(runners))
	for port := range runners {
		sp := &slotPlan{}
		if a, ok := assigned[port]; ok {
			sp.assigned = &a
		}
		plans[port] = sp
	}
	portOf := make(map[string]int, len(records))
	for _, rec := range records {
		portOf[rec.ID] = rec.Port
	}
	rep.states = rep.logStates(s, plan, records, portOf)
	for _, id := range plan.Kill {
		if sp, ok := plans[portOf[id]]; ok {
			sp.kill = append(sp.kill, killOrder{id, plan.States[id]})
		} else {
			s.killOrphan(g, id)
		}
	}
	for _, id := range plan.Keep {
		if sp, ok := plans[portOf[id]]; ok {
			sp.keep = id
		}
	}
	for _, port := range plan.Launch {
		sp := plans[port]
		topo := sp.assigned.TopologyID
		switch {
		case !s.synced.Load():
		case !s.l.codeComplete(topo):
			if !rep.missing[topo] {
				s.log.Warn("missing topology code; not launching", "topology", topo, "port", port)
				rep.missing[topo] = true
			}
		default:
			delete(rep.missing, topo)
			sp.launch = true
		}
	}
	for _, port := range slices.Sorted(maps.Keys(plans)) {
		runners[port].offer(*plans[port])
	}
}

// reports remembers what the process loop has logged, so that a condition
// lasting several rounds is logged once.
type reports struct {
	missing map[string]bool        // topologies reported as lacking code
	states  map[string]WorkerState // worker states last logged
}

// logStates logs each worker whose state changed and returns the new
// states.
func (rep *reports) logStates(s *Supervisor, plan Plan, records []WorkerRecord, portOf map[string]int) map[string]WorkerState {
	for _, rec := range records {
		st := plan.States[rec.ID]
		if prev, ok := rep.states[rec.ID]; ok && prev == st {
			continue
		}
		lvl := slog.LevelDebug
		if st != Valid && st != Starting {
			lvl = slog.LevelInfo
		}
		var hb any
		if rec.Heartbeat != nil {
			hb = *rec.Heartbeat
		}
		s.log.Log(context.Background(), lvl, "worker state", "worker", rec.ID, "state", st, "port", portOf[rec.ID],
			"exited", rec.Exited, "heartbeat", hb)
	}
	return plan.States
}

// killOrphan kills, on its own goroutine, a worker that belongs to no slot
// runner (not approved, or approved for a port this supervisor no longer
// serves).
func (s *Supervisor) killOrphan(g *group, id string) {
	s.orphansMu.Lock()
	defer s.orphansMu.Unlock()
	if s.orphans[id] {
		return
	}
	s.orphans[id] = true
	g.Go("kill-"+id, func(ctx context.Context) {
		var h Worker
		if lk, ok := s.cfg.Launcher.(WorkerLookup); ok {
			if w, ok := lk.Lookup(id); ok {
				h = w
			}
		}
		if err := s.killer.kill(ctx, id, h); err != nil {
			s.log.Warn("worker shutdown incomplete; will retry", "worker", id, "err", err)
		}
		if err := s.approvals.revoke(id); err != nil {
			s.log.Warn("revoke worker", "worker", id, "err", err)
		}
		s.orphansMu.Lock()
		delete(s.orphans, id)
		s.orphansMu.Unlock()
	})
}
