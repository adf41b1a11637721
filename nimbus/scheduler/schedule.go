package scheduler

import (
	"maps"
	"slices"

	"github.com/galeproject/gale/topology"
)

// Schedule runs one round of Storm 1.0.0's DefaultScheduler over snap and
// returns the resulting assignments. It is a pure function: same snapshot,
// same plan.
//
// For each topology that needs scheduling (fewer slots than NumWorkers, or
// executors without a slot), in topology id order:
//
//  1. total = min(NumWorkers, kept slots still offered + free slots);
//  2. if that is more slots than it has, or executors are missing, free
//     the "bad" slots: those whose executor count does not fit the even
//     split of all executors over total slots;
//  3. EvenScheduler: take total − kept free slots, ordered by sortSlots,
//     and deal the unassigned executors (sorted) round-robin over them.
//
// Executors that stay alive on a slot that fits the even split are never
// moved.
func Schedule(snap Snapshot) Plan { return schedule(snap, nil) }

// schedule is Schedule; when freed is non-nil it records, per topology, the
// slots freed as bad (for tests).
func schedule(snap Snapshot, freed map[string][]Slot) Plan {
	topos := make([]*Topology, 0, len(snap.Topologies))
	seen := map[string]bool{}
	for i := range snap.Topologies {
		t := &snap.Topologies[i]
		if !seen[t.ID] {
			seen[t.ID] = true
			topos = append(topos, t)
		}
	}
	// Storm iterates a HashMap of topologies; we use id order.
	slices.SortFunc(topos, func(a, b *Topology) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	c := newCluster(snap, topos)

	// DefaultScheduler/default-schedule: the list is fixed up front.
	var needs []*Topology
	for _, t := range topos {
		if c.needsScheduling(t) {
			needs = append(needs, t)
		}
	}
	for _, t := range needs {
		available := c.availableSlots()
		all := executorSet(t.Executors)
		var aliveAssigned []Slot
		assignedExecs := 0
		if a := c.assignments[t.ID]; a != nil {
			aliveAssigned = a.slots()
			assignedExecs = len(a.execSlot)
		}
		canReassign := 0
		for _, s := range aliveAssigned {
			if c.assignable(s) {
				canReassign++
			}
		}
		total := min(t.NumWorkers, canReassign+len(available))
		if total > len(aliveAssigned) || assignedExecs != len(all) {
			for _, s := range badSlots(c.assignments[t.ID], aliveAssigned, len(all), total) {
				c.freeSlot(s)
				if freed != nil {
					freed[t.ID] = append(freed[t.ID], s)
				}
			}
		}
		scheduleEvenly(c, t)
	}

	plan := Plan{Assignments: make(map[string]map[topology.ExecutorID]Slot, len(c.assignments))}
	for id, a := range c.assignments {
		plan.Assignments[id] = maps.Clone(a.execSlot)
	}
	return plan
}

// badSlots is DefaultScheduler's bad-slots: walking the topology's slots
// (in (node, port) order; Storm walks a hash map), keep a slot while the
// even split integer-divided(numExecutors, numWorkers) still has a worker
// of its executor count; the rest are bad.
func badSlots(a *assignment, slots []Slot, numExecutors, numWorkers int) []Slot {
	if numWorkers <= 0 || a == nil {
		return nil
	}
	distribution := integerDivided(numExecutors, numWorkers)
	var bad []Slot
	for _, s := range slots {
		n := len(a.slotExecs[s])
		if distribution[n] > 0 {
			distribution[n]--
		} else {
			bad = append(bad, s)
		}
	}
	return bad
}

// integerDivided splits sum into pieces as evenly as possible: piece size →
// how many pieces have it (Utils.integerDivided).
func integerDivided(sum, pieces int) map[int]int {
	base, extra := sum/pieces, sum%pieces
	out := map[int]int{base: pieces - extra}
	if extra != 0 {
		out[base+1] = extra
	}
	return out
}

// scheduleEvenly is EvenScheduler's schedule-topologies-evenly for one
// topology.
func scheduleEvenly(c *cluster, t *Topology) {
	if !c.needsScheduling(t) {
		return
	}
	available := c.availableSlots()
	a := c.assignments[t.ID]
	kept := 0
	assigned := map[topology.ExecutorID]bool{}
	if a != nil {
		kept = len(a.slotExecs)
		for e := range a.execSlot {
			assigned[e] = true
		}
	}
	total := min(t.NumWorkers, len(available)+kept)
	slots := sortSlots(available)
	slots = slots[:max(0, min(total-kept, len(slots)))]
	if len(slots) == 0 {
		return
	}
	var reassign []topology.ExecutorID
	for e := range executorSet(t.Executors) {
		if !assigned[e] {
			reassign = append(reassign, e)
		}
	}
	slices.SortFunc(reassign, topology.ExecutorID.Compare)
	bySlot := map[Slot][]topology.ExecutorID{}
	for i, e := range reassign {
		s := slots[i%len(slots)]
		bySlot[s] = append(bySlot[s], e)
	}
	for _, s := range slots {
		if execs := bySlot[s]; len(execs) > 0 {
			c.assign(s, t.ID, execs)
		}
	}
}

// sortSlots is EvenScheduler's sort-slots: group the slots by node (in
// first-seen order), order the groups by size, largest first (stable), and
// interleave them: one slot from each node in turn.
func sortSlots(slots []Slot) []Slot {
	var groups [][]Slot
	index := map[string]int{}
	for _, s := range slots {
		i, ok := index[s.Node]
		if !ok {
			i = len(groups)
			index[s.Node] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], s)
	}
	slices.SortStableFunc(groups, func(a, b []Slot) int { return len(b) - len(a) })
	out := make([]Slot, 0, len(slots))
	for round := 0; len(out) < len(slots); round++ {
		for _, g := range groups {
			if round < len(g) {
				out = append(out, g[round])
			}
		}
	}
	return out
}
