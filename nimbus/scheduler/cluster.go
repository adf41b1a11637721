package scheduler

import (
	"slices"

	"github.com/galeproject/gale/topology"
)

// cluster is the mutable working state of one round (Storm's Cluster.java
// plus the inputs nimbus prepares in compute-new-scheduler-assignments).
// Iteration orders are fixed: supervisors by id, ports ascending, topologies
// by id.
type cluster struct {
	supervisors []*supervisor // sorted by id
	byID        map[string]*supervisor
	topoIDs     []string               // topologies with an assignment, sorted
	assignments map[string]*assignment // topology id → its assignment
	occupied    map[Slot]int           // slot → number of topologies using it
}

type supervisor struct {
	id    string
	ports []int        // assignable ports (offered minus dead), ascending
	has   map[int]bool // the same as a set
}

// assignment is one topology's executor ↔ slot mapping.
type assignment struct {
	execSlot  map[topology.ExecutorID]Slot
	slotExecs map[Slot][]topology.ExecutorID
}

func newAssignment() *assignment {
	return &assignment{execSlot: map[topology.ExecutorID]Slot{}, slotExecs: map[Slot][]topology.ExecutorID{}}
}

// newCluster applies nimbus's preparation: existing assignments keep only
// alive executors that still exist, and ports holding a dead executor are
// removed from their supervisor's assignable ports for this round.
func newCluster(snap Snapshot, topos []*Topology) *cluster {
	c := &cluster{
		byID:        map[string]*supervisor{},
		assignments: map[string]*assignment{},
		occupied:    map[Slot]int{},
	}
	dead := map[Slot]bool{}
	for _, t := range topos {
		if t.Existing == nil {
			continue
		}
		all := executorSet(t.Executors)
		a := newAssignment()
		for _, e := range sortedExecutors(t.Existing) {
			if !all[e] {
				continue // no longer an executor of the topology
			}
			s := t.Existing[e]
			if t.Alive[e] {
				a.add(e, s)
			} else {
				dead[s] = true
			}
		}
		c.assignments[t.ID] = a
		c.topoIDs = append(c.topoIDs, t.ID)
		for s := range a.slotExecs {
			c.occupied[s]++
		}
	}
	for _, sv := range snap.Supervisors {
		s := c.byID[sv.ID]
		if s == nil {
			s = &supervisor{id: sv.ID, has: map[int]bool{}}
			c.byID[sv.ID] = s
			c.supervisors = append(c.supervisors, s)
		}
		for _, p := range sv.Ports {
			if !dead[Slot{sv.ID, p}] && !s.has[p] {
				s.has[p] = true
				s.ports = append(s.ports, p)
			}
		}
	}
	slices.SortFunc(c.supervisors, func(a, b *supervisor) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	for _, s := range c.supervisors {
		slices.Sort(s.ports)
	}
	return c
}

func (a *assignment) add(e topology.ExecutorID, s Slot) {
	a.execSlot[e] = s
	a.slotExecs[s] = append(a.slotExecs[s], e)
}

// slots lists the assignment's slots in (node, port) order.
func (a *assignment) slots() []Slot {
	out := make([]Slot, 0, len(a.slotExecs))
	for s := range a.slotExecs {
		out = append(out, s)
	}
	slices.SortFunc(out, Slot.compare)
	return out
}

// availableSlots is Cluster.getAvailableSlots: assignable ports of every
// supervisor that no topology uses, supervisors in id order, ports ascending.
func (c *cluster) availableSlots() []Slot {
	var out []Slot
	for _, s := range c.supervisors {
		for _, p := range s.ports {
			if sl := (Slot{s.id, p}); c.occupied[sl] == 0 {
				out = append(out, sl)
			}
		}
	}
	return out
}

// assignable reports whether s is one of its supervisor's assignable ports.
func (c *cluster) assignable(s Slot) bool {
	sup := c.byID[s.Node]
	return sup != nil && sup.has[s.Port]
}

// freeSlot is Cluster.freeSlot: every topology's executors on s are
// unassigned.
func (c *cluster) freeSlot(s Slot) {
	for _, id := range c.topoIDs {
		a := c.assignments[id]
		execs, ok := a.slotExecs[s]
		if !ok {
			continue
		}
		for _, e := range execs {
			delete(a.execSlot, e)
		}
		delete(a.slotExecs, s)
		c.occupied[s]--
	}
}

// assign is Cluster.assign for a free slot.
func (c *cluster) assign(s Slot, topoID string, execs []topology.ExecutorID) {
	a := c.assignments[topoID]
	if a == nil {
		a = newAssignment()
		c.assignments[topoID] = a
		c.topoIDs = append(c.topoIDs, topoID)
		slices.Sort(c.topoIDs)
	}
	if _, used := a.slotExecs[s]; !used {
		c.occupied[s]++
	}
	for _, e := range execs {
		a.add(e, s)
	}
}

// needsScheduling is Cluster.needsScheduling: fewer workers than asked
// for, or an executor without a slot.
func (c *cluster) needsScheduling(t *Topology) bool {
	a := c.assignments[t.ID]
	if a == nil {
		return t.NumWorkers > 0 || len(t.Executors) > 0
	}
	if t.NumWorkers > len(a.slotExecs) {
		return true
	}
	for _, e := range t.Executors {
		if _, ok := a.execSlot[e]; !ok {
			return true
		}
	}
	return false
}

func executorSet(execs []topology.ExecutorID) map[topology.ExecutorID]bool {
	out := make(map[topology.ExecutorID]bool, len(execs))
	for _, e := range execs {
		out[e] = true
	}
	return out
}

func sortedExecutors[V any](m map[topology.ExecutorID]V) []topology.ExecutorID {
	out := make([]topology.ExecutorID, 0, len(m))
	for e := range m {
		out = append(out, e)
	}
	slices.SortFunc(out, topology.ExecutorID.Compare)
	return out
}
