package nimbus

import (
	"errors"
	"maps"
	"strings"

	"github.com/galeproject/gale/components"
	"github.com/galeproject/gale/nimbus/scheduler"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// A cluster may mix Gale's supervisors with Storm 1.0.0's own (Java)
// supervisors. Their workers do not talk to each other (Gale's workers
// use Gale's transport, Storm's use Netty), so one topology must never
// have workers on both kinds; and some topologies can run on one kind
// only: a component class that needs a JVM (a plain BaseRichSpout) only
// on Storm's, a Go SDK component only on Gale's. Storm's test components
// and multilang components run on both.
//
// The rule: each topology is placed on one kind of supervisor —
//   - the only kind that can run it, when one kind cannot and the other
//     has supervisors;
//   - else the kind its current assignment is on, when every slot of it is
//     on registered supervisors of one kind (a running topology stays);
//   - else Gale's, when any Gale supervisor is registered; else Storm's.
//
// and the scheduler runs once per kind, on that kind's supervisors and
// topologies. With one kind of supervisor registered (every cluster
// without Storm's supervisors) every topology goes there, as before.

// supervisorKind is which supervisor program registered a SupervisorInfo.
type supervisorKind int

const (
	galeSupervisor supervisorKind = iota // Gale's supervisor: Gale workers
	javaSupervisor                       // Storm's own supervisor: JVM workers
)

// galeVersionSuffix ends the SupervisorInfo.version of Gale's supervisors
// ("1.0.0-gale"); Storm's report the plain release ("1.0.0").
const galeVersionSuffix = "-gale"

// kindOf tells Gale's supervisors from Storm's by SupervisorInfo.version.
func kindOf(info *stormthrift.SupervisorInfo) supervisorKind {
	if strings.HasSuffix(info.GetVersion(), galeVersionSuffix) {
		return galeSupervisor
	}
	return javaSupervisor
}

// runnableOn says which kinds of worker can run every component of the
// user topology t. A component that cannot be resolved at all leaves both
// (its worker reports the problem wherever it runs).
func runnableOn(t *stormthrift.StormTopology) (gale, java bool) {
	gale, java = true, true
	check := func(obj *stormthrift.ComponentObject, spout bool) {
		spec, err := components.Resolve(obj, spout)
		var nj *components.NeedsJVMError
		switch {
		case errors.As(err, &nj):
			gale = false
		case err == nil:
			if _, ok := spec.(*components.GoComponent); ok {
				java = false
			}
		}
	}
	if t == nil {
		return gale, java
	}
	for _, s := range t.GetSpouts() {
		check(s.GetSpoutObject(), true)
	}
	for _, b := range t.GetBolts() {
		check(b.GetBoltObject(), false)
	}
	return gale, java
}

// chooseKind places one topology (see the rule above): gale and java say
// which kinds can run it, existing is its current assignment, kinds the
// kind of every registered supervisor.
func chooseKind(gale, java bool, existing map[topology.ExecutorID]scheduler.Slot, kinds map[string]supervisorKind) supervisorKind {
	have := map[supervisorKind]bool{}
	for _, k := range kinds {
		have[k] = true
	}
	switch {
	case gale && !java && have[galeSupervisor]:
		return galeSupervisor
	case java && !gale && have[javaSupervisor]:
		return javaSupervisor
	}
	cur, first := galeSupervisor, true
	sticky := len(existing) > 0
	for _, s := range existing {
		k, ok := kinds[s.Node]
		if !ok || (!first && k != cur) {
			sticky = false
			break
		}
		cur, first = k, false
	}
	if sticky {
		return cur
	}
	if have[galeSupervisor] || !have[javaSupervisor] {
		return galeSupervisor
	}
	return javaSupervisor
}

// scheduleByKind runs the scheduler once per kind of supervisor, on that
// kind's supervisors and the topologies placed on it (placed: topology
// id -> kind), and merges the plans.
func scheduleByKind(snap scheduler.Snapshot, kinds map[string]supervisorKind, placed map[string]supervisorKind) scheduler.Plan {
	plan := scheduler.Plan{Assignments: map[string]map[topology.ExecutorID]scheduler.Slot{}}
	for _, k := range []supervisorKind{galeSupervisor, javaSupervisor} {
		sub := scheduler.Snapshot{Now: snap.Now}
		for _, s := range snap.Supervisors {
			if kinds[s.ID] == k {
				sub.Supervisors = append(sub.Supervisors, s)
			}
		}
		for _, t := range snap.Topologies {
			if placed[t.ID] == k {
				sub.Topologies = append(sub.Topologies, t)
			}
		}
		if len(sub.Topologies) == 0 {
			continue
		}
		maps.Copy(plan.Assignments, scheduler.Schedule(sub).Assignments)
	}
	return plan
}
