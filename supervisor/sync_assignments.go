package supervisor

import (
	"context"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/stormthrift"
)

// assignmentWatch is the assignment loop's view of /assignments: the
// assignments read so far with their node versions (re-read only when the
// version moved, as Storm's assignments-snapshot does) and which one-shot
// watches are armed. At most one watch per node is outstanding. Owned by
// the assignment loop.
type assignmentWatch struct {
	byID        map[string]versioned
	watching    map[string]bool // per-assignment data watches armed
	idsWatching bool            // the /assignments children watch is armed
	fired       chan string     // id of a fired watch; "" for the children watch
}

type versioned struct {
	a       *stormthrift.Assignment
	version int32
}

// assignmentLoop is Storm's synchronize-supervisor: it runs at start, every
// poll interval, and whenever an assignment watch fires.
func (s *Supervisor) assignmentLoop(ctx context.Context, g *group) {
	w := &assignmentWatch{byID: map[string]versioned{}, watching: map[string]bool{}, fired: make(chan string, 16)}
	t := time.NewTicker(s.set.pollEvery)
	defer t.Stop()
	for {
		s.syncAssignments(ctx, g, w)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case id := <-w.fired:
			w.disarm(id)
			for drained := false; !drained; { // coalesce a burst of watches
				select {
				case id := <-w.fired:
					w.disarm(id)
				default:
					drained = true
				}
			}
		}
	}
}

func (w *assignmentWatch) disarm(id string) {
	if id == "" {
		w.idsWatching = false
	} else {
		delete(w.watching, id)
	}
}

// arm forwards the firing of ch as id.
func (w *assignmentWatch) arm(g *group, id string, ch <-chan store.Event) {
	if ch == nil {
		return
	}
	if id == "" {
		w.idsWatching = true
	} else {
		w.watching[id] = true
	}
	g.Go("assignment-watch", func(ctx context.Context) {
		select {
		case <-ctx.Done():
			return
		case <-ch:
		}
		select {
		case <-ctx.Done():
		case w.fired <- id:
		}
	})
}

// read returns every topology's assignment.
func (w *assignmentWatch) read(ctx context.Context, st *cluster.State, g *group) (map[string]*stormthrift.Assignment, error) {
	var ids []string
	var err error
	if w.idsWatching {
		ids, err = st.AssignmentIDs(ctx)
	} else {
		var ch <-chan store.Event
		ids, ch, err = st.AssignmentIDsW(ctx)
		w.arm(g, "", ch)
	}
	if err != nil {
		return nil, err
	}
	for id := range w.byID {
		if !slices.Contains(ids, id) {
			delete(w.byID, id)
		}
	}
	for _, id := range ids {
		if !w.watching[id] {
			a, v, ch, err := st.AssignmentW(ctx, id)
			if err != nil {
				return nil, err
			}
			w.arm(g, id, ch)
			w.put(id, a, v)
			continue
		}
		v, ok, err := st.AssignmentVersion(ctx, id)
		if err != nil {
			return nil, err
		}
		if cur, cached := w.byID[id]; ok && cached && cur.version == v {
			continue
		}
		a, v, err := st.Assignment(ctx, id)
		if err != nil {
			return nil, err
		}
		w.put(id, a, v)
	}
	out := make(map[string]*stormthrift.Assignment, len(w.byID))
	for id, va := range w.byID {
		out[id] = va.a
	}
	return out, nil
}

func (w *assignmentWatch) put(id string, a *stormthrift.Assignment, v int32) {
	if a == nil {
		delete(w.byID, id)
		return
	}
	w.byID[id] = versioned{a, v}
}

// syncAssignments reads the assignments, downloads code for topologies
// newly assigned here, publishes the new port assignment (memory and
// local-assignments) for the process sync, and removes code no longer
// needed.
func (s *Supervisor) syncAssignments(ctx context.Context, g *group, w *assignmentWatch) {
	all, err := w.read(ctx, s.state, g)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("reading assignments failed; will retry", "err", err)
		}
		return
	}
	mine, err := MyAssignments(all, s.id)
	if err != nil {
		s.log.Error("inconsistent assignment; keeping the previous one", "err", err)
		return
	}
	for _, id := range slices.Sorted(maps.Keys(topologyIDs(mine))) {
		if s.l.codeComplete(id) || ctx.Err() != nil {
			continue
		}
		s.log.Info("downloading code", "topology", id)
		if err := s.code.download(ctx, id); err != nil {
			s.log.Error("code download failed; will retry", "topology", id, "err", err)
			continue
		}
		s.log.Info("downloaded code", "topology", id, "dir", s.l.codeDir(id))
	}
	if ctx.Err() != nil {
		return
	}
	s.setAssigned(mine)
	s.synced.Store(true)
	s.pokeProcesses()
	s.removeStaleCode(mine)
}

// setAssigned publishes a new port assignment, writing local-assignments
// when it changed.
func (s *Supervisor) setAssigned(mine map[int]SlotAssignment) {
	s.mu.Lock()
	changed := !sameAssignments(s.assigned, mine)
	s.assigned = mine
	s.mu.Unlock()
	if !changed {
		return
	}
	s.log.Info("assignment changed", "ports", slices.Sorted(maps.Keys(mine)))
	if err := s.local.Put(compat.LSLocalAssignments, toLocalAssignments(mine), true); err != nil {
		s.log.Error("writing local assignments", "err", err)
	}
}

// removeStaleCode deletes the code of topologies neither assigned here nor
// used by a local worker (one still being killed keeps its code until it is
// gone).
func (s *Supervisor) removeStaleCode(mine map[int]SlotAssignment) {
	downloaded, err := s.l.downloadedTopologies()
	if err != nil {
		s.log.Warn("listing downloaded code", "err", err)
		return
	}
	assigned := topologyIDs(mine)
	var inUse map[string]bool
	for id, dir := range downloaded {
		if assigned[id] {
			continue
		}
		if inUse == nil {
			inUse = s.topologiesInUse()
		}
		if inUse[id] {
			continue
		}
		s.log.Info("removing code of unassigned topology", "topology", id)
		if err := os.RemoveAll(dir); err != nil {
			s.log.Warn("removing code", "topology", id, "err", err)
		}
	}
}

// topologiesInUse are the topologies of the local workers: from their
// heartbeats, and from what the runners launched.
func (s *Supervisor) topologiesInUse() map[string]bool {
	out := map[string]bool{}
	ids, _ := s.l.workerIDs()
	for _, id := range ids {
		if hb, _ := s.l.readHeartbeat(id); hb != nil {
			out[hb.TopologyID] = true
		}
	}
	for _, r := range s.runnerSnapshot() {
		if _, st, ok := r.status(); ok && st.assignment != nil {
			out[st.assignment.TopologyID] = true
		}
	}
	return out
}
