package nimbus

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/nimbus/scheduler"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// The assignment pass (nimbus.clj mk-assignments):
//
//	/storms + blobs ──► executors per topology ─┐
//	/assignments ─────► existing slots ─────────┤
//	/workerbeats ─────► liveness cache ─────────┼─► scheduler.Snapshot ─► scheduler.Schedule ─► Plan
//	/supervisors ─────► slots ──────────────────┘                                                │
//	                        /assignments/<id> ◄── only assignments that changed ◄── Assignment ◄─┘
//
// It runs every nimbus.monitor.freq.secs, right after submissions and
// kills, and (with a scratch topology) when a rebalance is applied. Only
// the leader runs it, under submitMu.

// assignmentLoop runs assignment + cleanup passes until ctx is done.
func (n *Nimbus) assignmentLoop(ctx context.Context) {
	freq := n.secs(conf.NimbusMonitorFreqSecs, 10)
	if freq <= 0 {
		freq = 10 * time.Second
	}
	t := time.NewTicker(freq)
	defer t.Stop()
	for {
		n.assignAndCleanup(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-n.kick:
		}
	}
}

// assignAndCleanup is one tick of the monitor timer.
func (n *Nimbus) assignAndCleanup(ctx context.Context) {
	if !n.isLeader() || ctx.Err() != nil {
		return
	}
	n.submitMu.Lock()
	defer n.submitMu.Unlock()
	if !n.conf.BoolOr(conf.NimbusDoNotReassign, false) {
		if err := n.mkAssignmentsLocked(ctx, ""); err != nil && ctx.Err() == nil {
			n.log.Warn("assignment pass failed", "err", err)
		}
	}
	if err := n.cleanupLocked(ctx); err != nil && ctx.Err() == nil {
		n.log.Warn("cleanup pass failed", "err", err)
	}
}

// schedTopo is one topology as the assignment pass sees it.
type schedTopo struct {
	id    string
	base  *stormthrift.StormBase
	td    *topoData
	execs []topology.ExecutorID
}

// mkAssignmentsLocked computes and writes assignments. scratch names a
// topology being rebalanced: its current assignment is ignored, so its
// slots count as free. Called with submitMu held.
func (n *Nimbus) mkAssignmentsLocked(ctx context.Context, scratch string) error {
	if !n.isLeader() {
		return nil
	}
	now := n.now()
	nowSecs := now.Unix()
	ids, err := n.state.StormIDs(ctx)
	if err != nil {
		return fmt.Errorf("list storms: %w", err)
	}
	slices.Sort(ids)
	var topos []schedTopo
	for _, id := range ids {
		base, err := n.state.StormBase(ctx, id)
		if err != nil {
			return fmt.Errorf("read storm base %s: %w", id, err)
		}
		if base == nil {
			continue
		}
		td, err := n.topo(ctx, id)
		if err != nil {
			n.log.Warn("cannot schedule topology without readable code", "storm_id", id, "err", err)
			continue
		}
		topos = append(topos, schedTopo{id: id, base: base, td: td, execs: td.executors(base)})
	}
	assignedIDs, err := n.state.AssignmentIDs(ctx)
	if err != nil {
		return fmt.Errorf("list assignments: %w", err)
	}
	existing := map[string]*stormthrift.Assignment{}
	for _, id := range assignedIDs {
		if id == scratch {
			continue
		}
		a, _, err := n.state.Assignment(ctx, id)
		if err != nil {
			return fmt.Errorf("read assignment %s: %w", id, err)
		}
		if a != nil {
			existing[id] = a
		}
	}

	timeout := n.conf.IntOr(conf.NimbusTaskTimeoutSecs, 30)
	launch := n.conf.IntOr(conf.NimbusTaskLaunchSecs, 120)
	snap := scheduler.Snapshot{Now: now}
	for _, t := range topos {
		st := scheduler.Topology{ID: t.id, NumWorkers: int(t.base.GetNumWorkers()), Executors: t.execs}
		if a := existing[t.id]; a != nil {
			slots, starts := assignmentSlots(a)
			beats, err := n.readExecutorBeats(ctx, t.id, slots)
			if err != nil {
				return err
			}
			n.mu.Lock()
			cache := updateBeats(n.beats[t.id], beats, t.execs, nowSecs, timeout)
			n.beats[t.id] = cache
			n.mu.Unlock()
			st.Existing = slots
			st.Alive = aliveExecutors(t.execs, starts, cache, nowSecs, launch)
			var dead []string
			for _, e := range t.execs {
				if _, ok := slots[e]; ok && !st.Alive[e] {
					dead = append(dead, e.String())
				}
			}
			if len(dead) > 0 {
				n.log.Info("executors not alive", "storm_id", t.id, "executors", dead)
			}
		}
		snap.Topologies = append(snap.Topologies, st)
	}
	hosts, kinds, err := n.supervisorSlots(ctx, &snap)
	if err != nil {
		return err
	}
	// One kind of supervisor per topology (supkind.go).
	placed := map[string]supervisorKind{}
	for i, t := range topos {
		placed[t.id] = chooseKind(t.td.galeOK, t.td.javaOK, snap.Topologies[i].Existing, kinds)
	}
	plan := scheduleByKind(snap, kinds, placed)

	for _, t := range topos {
		old := existing[t.id]
		slots := plan.Assignments[t.id]
		if len(slots) == 0 && old == nil {
			continue
		}
		na := buildAssignment(n.localDir, slots, old, hosts, nowSecs)
		if old != nil && assignmentsEqual(old, na) {
			continue
		}
		n.log.Info("setting new assignment", "storm_id", t.id, "executors", len(slots), "workers", len(na.WorkerResources))
		if err := n.state.SetAssignment(ctx, t.id, na); err != nil {
			return fmt.Errorf("write assignment %s: %w", t.id, err)
		}
	}
	// Assignments of topologies without a StormBase keep nothing (Storm
	// writes them empty so that supervisors stop their workers).
	scheduled := map[string]bool{}
	for _, t := range topos {
		scheduled[t.id] = true
	}
	for id, old := range existing {
		if scheduled[id] || len(old.ExecutorNodePort) == 0 {
			continue
		}
		na := buildAssignment(n.localDir, nil, old, hosts, nowSecs)
		if err := n.state.SetAssignment(ctx, id, na); err != nil {
			return fmt.Errorf("write assignment %s: %w", id, err)
		}
	}
	return nil
}

// supervisorSlots adds every registered supervisor and its ports
// (SupervisorInfo.meta) to snap and returns supervisor id -> hostname and
// supervisor id -> kind (Gale's or Storm's).
func (n *Nimbus) supervisorSlots(ctx context.Context, snap *scheduler.Snapshot) (map[string]string, map[string]supervisorKind, error) {
	sids, err := n.state.SupervisorIDs(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("list supervisors: %w", err)
	}
	slices.Sort(sids)
	hosts := map[string]string{}
	kinds := map[string]supervisorKind{}
	for _, sid := range sids {
		info, err := n.state.SupervisorInfo(ctx, sid)
		if err != nil {
			n.log.Warn("unreadable supervisor info", "supervisor", sid, "err", err)
			continue
		}
		if info == nil {
			continue
		}
		var ports []int
		for _, p := range info.GetMeta() {
			if !slices.Contains(ports, int(p)) {
				ports = append(ports, int(p))
			}
		}
		slices.Sort(ports)
		hosts[sid] = info.GetHostname()
		kinds[sid] = kindOf(info)
		snap.Supervisors = append(snap.Supervisors, scheduler.Supervisor{ID: sid, Host: info.GetHostname(), Ports: ports})
	}
	return hosts, kinds, nil
}

// readExecutorBeats reads the heartbeat of every assigned worker and maps
// it onto the executors assigned to that worker.
func (n *Nimbus) readExecutorBeats(ctx context.Context, id string, slots map[topology.ExecutorID]scheduler.Slot) (map[topology.ExecutorID]*execBeat, error) {
	bySlot := map[scheduler.Slot][]topology.ExecutorID{}
	for e, s := range slots {
		bySlot[s] = append(bySlot[s], e)
	}
	out := map[topology.ExecutorID]*execBeat{}
	for s, execs := range bySlot {
		hb, err := n.state.WorkerHeartbeat(ctx, id, s.Node, s.Port)
		if err != nil {
			n.log.Debug("unreadable worker heartbeat", "storm_id", id, "node", s.Node, "port", s.Port, "err", err)
			continue
		}
		executorBeats(hb, execs, out)
	}
	return out, nil
}

// assignmentSlots decodes an Assignment's executor -> slot map and start
// times.
func assignmentSlots(a *stormthrift.Assignment) (map[topology.ExecutorID]scheduler.Slot, map[topology.ExecutorID]int64) {
	slots := map[topology.ExecutorID]scheduler.Slot{}
	for _, e := range a.ExecutorNodePort {
		id, ok := execFromList(e.Executor)
		if !ok || e.Node == nil || len(e.Node.Port) == 0 {
			continue
		}
		slots[id] = scheduler.Slot{Node: e.Node.Node, Port: int(e.Node.Port[0])}
	}
	starts := map[topology.ExecutorID]int64{}
	for _, s := range a.ExecutorStartTimeSecs {
		if id, ok := execFromList(s.Executor); ok {
			starts[id] = s.StartTimeSecs
		}
	}
	return slots, starts
}

func execFromList(l []int64) (topology.ExecutorID, bool) {
	if len(l) != 2 {
		return topology.ExecutorID{}, false
	}
	return topology.ExecutorID{Start: int32(l[0]), End: int32(l[1])}, true
}

// buildAssignment makes the Assignment for a plan: node hosts for the used
// nodes (current supervisor hostnames over old values), start times kept
// for executors whose worker is unchanged and "now" for the rest, and
// zero worker resources for every slot (default scheduler).
func buildAssignment(localDir string, slots map[topology.ExecutorID]scheduler.Slot, old *stormthrift.Assignment,
	hosts map[string]string, nowSecs int64) *stormthrift.Assignment {
	var oldSlots map[topology.ExecutorID]scheduler.Slot
	var oldStarts map[topology.ExecutorID]int64
	if old != nil {
		oldSlots, oldStarts = assignmentSlots(old)
	}
	changed := changedExecutors(oldSlots, slots)
	a := &stormthrift.Assignment{MasterCodeDir: localDir, NodeHost: map[string]string{}}
	execs := slices.SortedFunc(maps.Keys(slots), cmpExec)
	used := map[scheduler.Slot]bool{}
	for _, e := range execs {
		s := slots[e]
		used[s] = true
		if h, ok := hosts[s.Node]; ok {
			a.NodeHost[s.Node] = h
		} else if old != nil {
			if h, ok := old.NodeHost[s.Node]; ok {
				a.NodeHost[s.Node] = h
			}
		}
		a.ExecutorNodePort = append(a.ExecutorNodePort, stormthrift.ExecutorNodePort{
			Executor: []int64{int64(e.Start), int64(e.End)},
			Node:     &stormthrift.NodeInfo{Node: s.Node, Port: []int64{int64(s.Port)}},
		})
		start, ok := oldStarts[e]
		if !ok || changed[e] {
			start = nowSecs
		}
		a.ExecutorStartTimeSecs = append(a.ExecutorStartTimeSecs, stormthrift.ExecutorStartTime{
			Executor: []int64{int64(e.Start), int64(e.End)}, StartTimeSecs: start,
		})
	}
	usedSlots := slices.SortedFunc(maps.Keys(used), func(x, y scheduler.Slot) int {
		if x.Node != y.Node {
			if x.Node < y.Node {
				return -1
			}
			return 1
		}
		return x.Port - y.Port
	})
	for _, s := range usedSlots {
		a.WorkerResources = append(a.WorkerResources, stormthrift.SlotResources{
			Node:      &stormthrift.NodeInfo{Node: s.Node, Port: []int64{int64(s.Port)}},
			Resources: &stormthrift.WorkerResources{MemOnHeap: ptr(0.0), MemOffHeap: ptr(0.0), CPU: ptr(0.0)},
		})
	}
	return a
}

// changedExecutors is changed-executors: the executors of every slot whose
// set of executors is new or different.
func changedExecutors(old, cur map[topology.ExecutorID]scheduler.Slot) map[topology.ExecutorID]bool {
	group := func(m map[topology.ExecutorID]scheduler.Slot) map[scheduler.Slot][]topology.ExecutorID {
		g := map[scheduler.Slot][]topology.ExecutorID{}
		for e, s := range m {
			g[s] = append(g[s], e)
		}
		for s := range g {
			slices.SortFunc(g[s], cmpExec)
		}
		return g
	}
	og, ng := group(old), group(cur)
	out := map[topology.ExecutorID]bool{}
	for s, execs := range ng {
		if !slices.Equal(og[s], execs) {
			for _, e := range execs {
				out[e] = true
			}
		}
	}
	return out
}

// assignmentsEqual compares two Assignments as maps (entry order and
// duplicate encodings do not matter).
func assignmentsEqual(a, b *stormthrift.Assignment) bool {
	if a.MasterCodeDir != b.MasterCodeDir || !maps.Equal(nonNil(a.NodeHost), nonNil(b.NodeHost)) {
		return false
	}
	as, at := assignmentSlots(a)
	bs, bt := assignmentSlots(b)
	if !maps.Equal(as, bs) || !maps.Equal(at, bt) {
		return false
	}
	type res struct{ on, off, cpu float64 }
	wr := func(x *stormthrift.Assignment) map[scheduler.Slot]res {
		m := map[scheduler.Slot]res{}
		for _, r := range x.WorkerResources {
			if r.Node == nil || len(r.Node.Port) == 0 {
				continue
			}
			var v res
			if r.Resources != nil {
				v = res{r.Resources.GetMemOnHeap(), r.Resources.GetMemOffHeap(), r.Resources.GetCPU()}
			}
			m[scheduler.Slot{Node: r.Node.Node, Port: int(r.Node.Port[0])}] = v
		}
		return m
	}
	return maps.Equal(wr(a), wr(b))
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
