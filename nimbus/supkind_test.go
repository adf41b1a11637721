package nimbus

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/nimbus/scheduler"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// javaObject is a component given as a class name (streamparse's
// JavaComponentSpec, a Go SDK component).
func javaObject(class string) *stormthrift.ComponentObject {
	return &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: class, ArgsList: []*stormthrift.JavaObjectArg{}}}
}

// twoComponents is spout -> bolt with the given component objects.
func twoComponents(spout, bolt *stormthrift.ComponentObject) *stormthrift.StormTopology {
	t := &stormthrift.StormTopology{
		Spouts:      map[string]*stormthrift.SpoutSpec{"spout": {SpoutObject: spout, Common: common(2, map[string][]string{"default": {"word"}})}},
		Bolts:       map[string]*stormthrift.Bolt{"bolt": {BoltObject: bolt, Common: common(2, nil)}},
		StateSpouts: map[string]*stormthrift.StateSpoutSpec{},
	}
	t.Bolts["bolt"].Common.Inputs[&stormthrift.GlobalStreamId{ComponentId: "spout", StreamId: "default"}] =
		&stormthrift.Grouping{Shuffle: &stormthrift.NullStruct{}}
	return t
}

const (
	wordSpoutClass = "org.apache.storm.testing.TestWordSpout"
	counterClass   = "org.apache.storm.testing.TestWordCounter"
	kafkaSpout     = "org.apache.storm.kafka.KafkaSpout" // a Java class Gale's worker does not run
)

func TestRunnableOn(t *testing.T) {
	tests := []struct {
		name             string
		topo             *stormthrift.StormTopology
		wantGale, wantJV bool
	}{
		{"multilang", wordCount(), true, true},
		{"storm test components", twoComponents(javaObject(wordSpoutClass), javaObject(counterClass)), true, true},
		{"a class that needs a JVM", twoComponents(javaObject(kafkaSpout), shellObject()), false, true},
		{"a Go SDK component", twoComponents(shellObject(), javaObject("wordcount.Split")), true, false},
		{"both", twoComponents(javaObject(kafkaSpout), javaObject("wordcount.Split")), false, false},
		{"unresolvable component", twoComponents(&stormthrift.ComponentObject{}, shellObject()), true, true},
		{"nil topology", nil, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, j := runnableOn(tt.topo)
			if g != tt.wantGale || j != tt.wantJV {
				t.Errorf("runnableOn = gale %v, java %v; want %v, %v", g, j, tt.wantGale, tt.wantJV)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	for v, want := range map[string]supervisorKind{"1.0.0-gale": galeSupervisor, "1.0.0": javaSupervisor, "": javaSupervisor} {
		info := &stormthrift.SupervisorInfo{}
		if v != "" {
			info.Version = ptr(v)
		}
		if got := kindOf(info); got != want {
			t.Errorf("kindOf(version %q) = %v, want %v", v, got, want)
		}
	}
}

func TestChooseKind(t *testing.T) {
	mixed := map[string]supervisorKind{"g": galeSupervisor, "j": javaSupervisor}
	onlyGale := map[string]supervisorKind{"g": galeSupervisor}
	onlyJava := map[string]supervisorKind{"j": javaSupervisor}
	on := func(nodes ...string) map[topology.ExecutorID]scheduler.Slot {
		m := map[topology.ExecutorID]scheduler.Slot{}
		for i, n := range nodes {
			m[topology.ExecutorID{Start: int32(i + 1), End: int32(i + 1)}] = scheduler.Slot{Node: n, Port: 6700}
		}
		return m
	}
	tests := []struct {
		name       string
		gale, java bool
		existing   map[topology.ExecutorID]scheduler.Slot
		kinds      map[string]supervisorKind
		want       supervisorKind
	}{
		{name: "needs a JVM", gale: false, java: true, kinds: mixed, want: javaSupervisor},
		{name: "needs a JVM, was on Gale", gale: false, java: true, existing: on("g"), kinds: mixed, want: javaSupervisor},
		{name: "Go topology", gale: true, java: false, existing: on("j"), kinds: mixed, want: galeSupervisor},
		{name: "either, new", gale: true, java: true, kinds: mixed, want: galeSupervisor},
		{name: "either, running on Storm's", gale: true, java: true, existing: on("j", "j"), kinds: mixed, want: javaSupervisor},
		{name: "either, running on Gale's", gale: true, java: true, existing: on("g"), kinds: mixed, want: galeSupervisor},
		{name: "either, split (never written by Gale)", gale: true, java: true, existing: on("j", "g"), kinds: mixed, want: galeSupervisor},
		{name: "either, on a dead supervisor", gale: true, java: true, existing: on("x"), kinds: mixed, want: galeSupervisor},
		{name: "either, only Storm's", gale: true, java: true, kinds: onlyJava, want: javaSupervisor},
		{name: "needs a JVM, only Gale's: as before", gale: false, java: true, kinds: onlyGale, want: galeSupervisor},
		{name: "Go topology, only Storm's: as before", gale: true, java: false, kinds: onlyJava, want: javaSupervisor},
		{name: "no supervisors", gale: true, java: true, kinds: map[string]supervisorKind{}, want: galeSupervisor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chooseKind(tt.gale, tt.java, tt.existing, tt.kinds); got != tt.want {
				t.Errorf("chooseKind = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestScheduleByKind(t *testing.T) {
	execs := func(n int) []topology.ExecutorID {
		var out []topology.ExecutorID
		for i := 1; i <= n; i++ {
			out = append(out, topology.ExecutorID{Start: int32(i), End: int32(i)})
		}
		return out
	}
	snap := scheduler.Snapshot{
		Now: time.Unix(1000, 0),
		Supervisors: []scheduler.Supervisor{
			{ID: "gale-1", Host: "h1", Ports: []int{6700, 6701}},
			{ID: "java-1", Host: "h2", Ports: []int{6700, 6701}},
			{ID: "gale-2", Host: "h3", Ports: []int{6700}},
		},
		Topologies: []scheduler.Topology{
			{ID: "jvm", NumWorkers: 2, Executors: execs(5)},
			{ID: "go", NumWorkers: 3, Executors: execs(6)},
		},
	}
	kinds := map[string]supervisorKind{"gale-1": galeSupervisor, "gale-2": galeSupervisor, "java-1": javaSupervisor}
	plan := scheduleByKind(snap, kinds, map[string]supervisorKind{"jvm": javaSupervisor, "go": galeSupervisor})
	for id, want := range map[string]supervisorKind{"jvm": javaSupervisor, "go": galeSupervisor} {
		slots := plan.Assignments[id]
		if len(slots) != len(snap.Topologies[map[string]int{"jvm": 0, "go": 1}[id]].Executors) {
			t.Fatalf("%s: %d executors assigned: %v", id, len(slots), slots)
		}
		workers := map[scheduler.Slot]bool{}
		for e, s := range slots {
			if kinds[s.Node] != want {
				t.Errorf("%s: executor %v on %s, a supervisor of the other kind", id, e, s)
			}
			workers[s] = true
		}
		if n := map[string]int{"jvm": 2, "go": 3}[id]; len(workers) != n {
			t.Errorf("%s: %d workers, want %d", id, len(workers), n)
		}
	}
	// Placed on a kind without supervisors: unassigned, as with no slots.
	plan = scheduleByKind(snap, map[string]supervisorKind{"gale-1": galeSupervisor, "gale-2": galeSupervisor, "java-1": galeSupervisor},
		map[string]supervisorKind{"jvm": javaSupervisor, "go": galeSupervisor})
	if len(plan.Assignments["jvm"]) != 0 || len(plan.Assignments["go"]) != 6 {
		t.Errorf("plan = %v", plan.Assignments)
	}
}

// addSupervisorVersion registers a supervisor that reports version.
func addSupervisorVersion(t testing.TB, st *cluster.State, id, version string, ports ...int64) {
	t.Helper()
	info := &stormthrift.SupervisorInfo{
		TimeSecs: time.Now().Unix(), Hostname: "host-" + id, AssignmentID: &id,
		Meta: ports, UsedPorts: []int64{}, UptimeSecs: ptr(int64(5)), Version: ptr(version),
	}
	if err := st.SetSupervisorInfo(context.Background(), id, info); err != nil {
		t.Fatal(err)
	}
}

// TestMixedClusterPlacement: with a Gale supervisor and one of Storm's,
// a topology that needs a JVM gets only the Java supervisor's slots, one
// Gale's worker runs natively only Gale's, and neither is split.
func TestMixedClusterPlacement(t *testing.T) {
	h := startNimbus(t, harnessOpts{clock: newFakeClock()})
	c := h.client()
	st := h.state()
	addSupervisorVersion(t, st, "gale-sup", "1.0.0-gale", 6700, 6701)
	addSupervisorVersion(t, st, "java-sup", "1.0.0", 6700, 6701)
	submit := func(name string, topo *stormthrift.StormTopology) string {
		t.Helper()
		err := c.SubmitTopologyWithOpts(context.Background(), name, upload(t, c, []byte("jar "+name)), `{"topology.workers": 2}`, topo,
			&stormthrift.SubmitOptions{InitialStatus: stormthrift.TopologyInitialStatus_ACTIVE})
		if err != nil {
			t.Fatalf("submit %s: %v", name, err)
		}
		id, _, err := h.n.stormIDByName(context.Background(), name)
		if err != nil || id == "" {
			t.Fatalf("id of %s: %q %v", name, id, err)
		}
		return id
	}
	jvm := submit("jvm", twoComponents(javaObject(kafkaSpout), shellObject()))
	native := submit("native", twoComponents(javaObject(wordSpoutClass), javaObject(counterClass)))
	for id, node := range map[string]string{jvm: "java-sup", native: "gale-sup"} {
		testutil.CheckFor(t, 10*time.Second, func() error {
			a := h.assignment(id)
			if a == nil {
				return fmt.Errorf("%s: no assignment", id)
			}
			slots, _ := assignmentSlots(a)
			if len(slots) == 0 {
				return fmt.Errorf("%s: nothing assigned", id)
			}
			for e, s := range slots {
				if s.Node != node {
					return fmt.Errorf("%s: executor %v on %s, want %s", id, e, s, node)
				}
			}
			if len(a.NodeHost) != 1 || a.NodeHost[node] != "host-"+node {
				return fmt.Errorf("%s: node hosts %v", id, a.NodeHost)
			}
			return nil
		})
	}
}
