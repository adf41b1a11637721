package scheduler

import (
	"maps"
	"slices"
	"testing"

	"github.com/galeproject/gale/topology"
)

// checkPlan asserts the scheduler's safety properties for one round.
// freed, when known, lists the slots each topology freed as bad.
func checkPlan(t *testing.T, snap Snapshot, plan Plan, freed map[string][]Slot) {
	t.Helper()
	offered := map[Slot]bool{}
	for _, s := range snap.Supervisors {
		for _, p := range s.Ports {
			offered[Slot{s.ID, p}] = true
		}
	}
	dead := map[Slot]bool{}
	for _, top := range snap.Topologies {
		all := executorSet(top.Executors)
		for e, s := range top.Existing {
			if all[e] && !top.Alive[e] {
				dead[s] = true
			}
		}
	}

	owner := map[Slot]string{}
	freeCapacity := 0
	for s := range offered {
		if !dead[s] {
			freeCapacity++
		}
	}
	wanted, allAliveOffered := 0, true
	for _, top := range snap.Topologies {
		got, ok := plan.Assignments[top.ID]
		if top.Existing != nil && !ok {
			t.Errorf("%s: had an assignment, missing from the plan", top.ID)
		}
		all := executorSet(top.Executors)
		kept := map[topology.ExecutorID]Slot{} // alive part of Existing
		for e, s := range top.Existing {
			if all[e] && top.Alive[e] {
				kept[e] = s
				if !offered[s] {
					allAliveOffered = false
				}
			}
		}
		wanted += top.NumWorkers
		slots := map[Slot]bool{}
		for e, s := range got {
			if !all[e] {
				t.Errorf("%s: assigned %v, not one of its executors", top.ID, e)
			}
			slots[s] = true
			if o, used := owner[s]; used && o != top.ID {
				t.Errorf("slot %v used by %s and %s", s, o, top.ID)
			}
			owner[s] = top.ID
			if kept[e] != s && (!offered[s] || dead[s]) {
				t.Errorf("%s: %v placed on %v, which is not an offered live port", top.ID, e, s)
			}
		}
		bySlot := map[Slot][]topology.ExecutorID{}
		for e, s := range kept {
			bySlot[s] = append(bySlot[s], e)
		}
		// Alive executors move only when their whole slot was freed as
		// bad, and a slot that was not freed gets no new executors.
		if freed != nil {
			gotBySlot := map[Slot]int{}
			for _, s := range got {
				gotBySlot[s]++
			}
			for s, execs := range bySlot {
				if slices.Contains(freed[top.ID], s) {
					continue
				}
				for _, e := range execs {
					if got[e] != s {
						t.Errorf("%s: alive %v moved from %v, which was not freed", top.ID, e, s)
					}
				}
				if gotBySlot[s] != len(execs) {
					t.Errorf("%s: kept slot %v went from %d to %d executors", top.ID, s, len(execs), gotBySlot[s])
				}
			}
			for _, s := range freed[top.ID] {
				if len(bySlot[s]) == 0 {
					t.Errorf("%s: freed %v, which held none of its alive executors", top.ID, s)
				}
			}
		}
		if !maps.Equal(got, kept) && len(slots) > top.NumWorkers {
			t.Errorf("%s: %d slots for %d workers", top.ID, len(slots), top.NumWorkers)
		}
		// A complete, well-spread assignment on live ports does not move.
		keptSlots := len(bySlot)
		complete := len(kept) == len(all)
		if complete && keptSlots == min(top.NumWorkers, len(all)) && keptSlots > 0 {
			stable := true
			for s := range bySlot {
				stable = stable && offered[s] && !dead[s]
			}
			if stable && !maps.Equal(got, kept) {
				t.Errorf("%s: complete assignment changed:\n was %s\n now %s", top.ID, render(kept), render(got))
			}
		}
	}
	// With room for every worker, every executor gets a slot.
	if allAliveOffered && wanted <= freeCapacity {
		for _, top := range snap.Topologies {
			if top.NumWorkers < 1 {
				continue
			}
			for _, e := range top.Executors {
				if _, ok := plan.Assignments[top.ID][e]; !ok {
					t.Errorf("%s: %v unassigned although %d slots exist for %d workers", top.ID, e, freeCapacity, wanted)
				}
			}
		}
	}
}
