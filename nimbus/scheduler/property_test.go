package scheduler

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/galeproject/gale/topology"
)

// TestScheduleProperties simulates clusters over several rounds — executors
// dying, supervisors leaving and joining, topologies rebalanced — feeding
// each plan back as the next round's assignments, and checks every round
// with checkPlan plus determinism under input reordering.
func TestScheduleProperties(t *testing.T) {
	for seed := uint64(0); seed < 400; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 0x5eed))
			sim := newSim(r)
			for round := 0; round < 6; round++ {
				snap := sim.snapshot()
				freed := map[string][]Slot{}
				plan := schedule(snap, freed)
				checkPlan(t, snap, plan, freed)
				shuffled := shuffleSnapshot(r, snap)
				if again := Schedule(shuffled); planDiff(plan.Assignments, again.Assignments) != "" {
					t.Fatalf("round %d: plan depends on input order:\n%s", round, planDiff(plan.Assignments, again.Assignments))
				}
				if t.Failed() {
					t.Fatalf("round %d failed; snapshot %+v", round, snap)
				}
				sim.apply(plan)
				sim.events(r)
			}
		})
	}
}

type simTopology struct {
	id        string
	workers   int
	executors []topology.ExecutorID
	existing  map[topology.ExecutorID]Slot // nil = no assignment
	dead      map[topology.ExecutorID]bool
}

type sim struct {
	supervisors []Supervisor
	topologies  []*simTopology
	nextSup     int
}

func newSim(r *rand.Rand) *sim {
	s := &sim{}
	for range 1 + r.IntN(5) {
		s.addSupervisor(r)
	}
	for i := range 1 + r.IntN(4) {
		s.topologies = append(s.topologies, &simTopology{
			id:        fmt.Sprintf("topo-%d", i),
			workers:   r.IntN(6),
			executors: randomExecutors(r),
		})
	}
	return s
}

func randomExecutors(r *rand.Rand) []topology.ExecutorID {
	var out []topology.ExecutorID
	next := int32(1)
	for range r.IntN(4) { // components
		n := r.IntN(8)
		var tasks []int32
		for range n {
			tasks = append(tasks, next)
			next++
		}
		out = append(out, topology.Executors(tasks, 1+r.IntN(6))...)
	}
	return out
}

func (s *sim) addSupervisor(r *rand.Rand) {
	var ports []int
	for p := 6700; p < 6708; p++ {
		if r.IntN(2) == 0 {
			ports = append(ports, p)
		}
	}
	s.supervisors = append(s.supervisors, Supervisor{ID: fmt.Sprintf("sup-%d", s.nextSup), Host: "h", Ports: ports})
	s.nextSup++
}

func (s *sim) snapshot() Snapshot {
	snap := Snapshot{Supervisors: slices.Clone(s.supervisors)}
	for _, t := range s.topologies {
		top := Topology{ID: t.id, NumWorkers: t.workers, Executors: slices.Clone(t.executors)}
		if t.existing != nil {
			top.Existing = maps.Clone(t.existing)
			top.Alive = map[topology.ExecutorID]bool{}
			for e := range t.existing {
				if !t.dead[e] {
					top.Alive[e] = true
				}
			}
		}
		snap.Topologies = append(snap.Topologies, top)
	}
	return snap
}

func (s *sim) apply(p Plan) {
	for _, t := range s.topologies {
		if a, ok := p.Assignments[t.id]; ok {
			t.existing = maps.Clone(a)
		}
		t.dead = nil
	}
}

func (s *sim) events(r *rand.Rand) {
	for _, t := range s.topologies {
		switch r.IntN(6) {
		case 0: // some executors die
			t.dead = map[topology.ExecutorID]bool{}
			for e := range t.existing {
				if r.IntN(3) == 0 {
					t.dead[e] = true
				}
			}
		case 1: // rebalance: new worker count, assignment dropped
			t.workers = r.IntN(6)
			t.existing = nil
		}
	}
	switch r.IntN(4) {
	case 0:
		if len(s.supervisors) > 0 {
			i := r.IntN(len(s.supervisors))
			gone := s.supervisors[i].ID
			s.supervisors = slices.Delete(s.supervisors, i, i+1)
			timedOut := r.IntN(2) == 0 // else heartbeats not yet timed out
			for _, t := range s.topologies {
				for e, sl := range t.existing {
					if sl.Node == gone && timedOut {
						if t.dead == nil {
							t.dead = map[topology.ExecutorID]bool{}
						}
						t.dead[e] = true
					}
				}
			}
		}
	case 1:
		s.addSupervisor(r)
	}
}

func shuffleSnapshot(r *rand.Rand, snap Snapshot) Snapshot {
	out := Snapshot{Now: snap.Now}
	for _, sv := range snap.Supervisors {
		sv.Ports = slices.Clone(sv.Ports)
		r.Shuffle(len(sv.Ports), func(i, j int) { sv.Ports[i], sv.Ports[j] = sv.Ports[j], sv.Ports[i] })
		out.Supervisors = append(out.Supervisors, sv)
	}
	r.Shuffle(len(out.Supervisors), func(i, j int) {
		out.Supervisors[i], out.Supervisors[j] = out.Supervisors[j], out.Supervisors[i]
	})
	for _, t := range snap.Topologies {
		t.Executors = slices.Clone(t.Executors)
		r.Shuffle(len(t.Executors), func(i, j int) { t.Executors[i], t.Executors[j] = t.Executors[j], t.Executors[i] })
		out.Topologies = append(out.Topologies, t)
	}
	r.Shuffle(len(out.Topologies), func(i, j int) {
		out.Topologies[i], out.Topologies[j] = out.Topologies[j], out.Topologies[i]
	})
	return out
}
