package scheduler

import (
	"maps"
	"slices"
	"testing"

	"github.com/galeproject/gale/topology"
)

func TestSortSlots(t *testing.T) {
	s := func(n string, p int) Slot { return Slot{n, p} }
	tests := []struct {
		name string
		in   []Slot
		want []Slot
	}{
		{"empty", nil, []Slot{}},
		{"one node", []Slot{s("a", 1), s("a", 2)}, []Slot{s("a", 1), s("a", 2)}},
		{"interleave", []Slot{s("a", 1), s("a", 2), s("b", 1), s("b", 2)}, []Slot{s("a", 1), s("b", 1), s("a", 2), s("b", 2)}},
		{"most free first", []Slot{s("a", 1), s("b", 1), s("b", 2), s("b", 3), s("c", 1), s("c", 2)},
			[]Slot{s("b", 1), s("c", 1), s("a", 1), s("b", 2), s("c", 2), s("b", 3)}},
		{"ties keep first-seen order", []Slot{s("z", 1), s("a", 1)}, []Slot{s("z", 1), s("a", 1)}},
	}
	for _, tt := range tests {
		if got := sortSlots(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("%s: sortSlots = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIntegerDivided(t *testing.T) {
	tests := []struct {
		sum, pieces int
		want        map[int]int
	}{
		{10, 4, map[int]int{2: 2, 3: 2}},
		{8, 4, map[int]int{2: 4}},
		{3, 5, map[int]int{0: 2, 1: 3}},
		{0, 2, map[int]int{0: 2}},
	}
	for _, tt := range tests {
		if got := integerDivided(tt.sum, tt.pieces); !maps.Equal(got, tt.want) {
			t.Errorf("integerDivided(%d, %d) = %v, want %v", tt.sum, tt.pieces, got, tt.want)
		}
	}
}

func TestBadSlots(t *testing.T) {
	e := func(i int32) topology.ExecutorID { return topology.ExecutorID{Start: i, End: i} }
	a := newAssignment()
	// a:1 holds 3, a:2 holds 2, b:1 holds 2, b:2 holds 1.
	for i, s := range []Slot{{"a", 1}, {"a", 1}, {"a", 1}, {"a", 2}, {"a", 2}, {"b", 1}, {"b", 1}, {"b", 2}} {
		a.add(e(int32(i+1)), s)
	}
	tests := []struct {
		name               string
		executors, workers int
		want               []Slot
	}{
		{"8 over 4: sizes 2,2,2,2", 8, 4, []Slot{{"a", 1}, {"b", 2}}},
		{"8 over 3: sizes 3,3,2", 8, 3, []Slot{{"b", 1}, {"b", 2}}},
		{"no workers", 8, 0, nil},
		{"8 over 1", 8, 1, []Slot{{"a", 1}, {"a", 2}, {"b", 1}, {"b", 2}}},
	}
	for _, tt := range tests {
		if got := badSlots(a, a.slots(), tt.executors, tt.workers); !slices.Equal(got, tt.want) {
			t.Errorf("%s: badSlots = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestScheduleWordCount places storm-starter's WordCount (§6.1: 28
// one-task executors, 3 workers) on two 4-port supervisors.
func TestScheduleWordCount(t *testing.T) {
	var execs []topology.ExecutorID
	for i := int32(1); i <= 28; i++ {
		execs = append(execs, topology.ExecutorID{Start: i, End: i})
	}
	ports := []int{6700, 6701, 6702, 6703}
	snap := Snapshot{
		Supervisors: []Supervisor{{ID: "sup-b", Host: "hb", Ports: ports}, {ID: "sup-a", Host: "ha", Ports: ports}},
		Topologies:  []Topology{{ID: "wc-1-1", NumWorkers: 3, Executors: execs}},
	}
	plan := Schedule(snap)
	got := plan.Assignments["wc-1-1"]
	if len(got) != 28 {
		t.Fatalf("%d executors assigned, want 28", len(got))
	}
	// Slots interleave the nodes; executors are dealt round-robin.
	want := map[Slot]int{{"sup-a", 6700}: 10, {"sup-b", 6700}: 9, {"sup-a", 6701}: 9}
	count := map[Slot]int{}
	for _, s := range got {
		count[s]++
	}
	if !maps.Equal(count, want) {
		t.Errorf("executors per slot = %v, want %v", count, want)
	}
	if got[topology.ExecutorID{Start: 1, End: 1}] != (Slot{"sup-a", 6700}) || got[topology.ExecutorID{Start: 2, End: 2}] != (Slot{"sup-b", 6700}) {
		t.Errorf("first executors at %v, %v", got[topology.ExecutorID{Start: 1, End: 1}], got[topology.ExecutorID{Start: 2, End: 2}])
	}

	// Everything alive: the next round changes nothing.
	alive := map[topology.ExecutorID]bool{}
	for e := range got {
		alive[e] = true
	}
	snap.Topologies[0].Existing, snap.Topologies[0].Alive = got, alive
	if again := Schedule(snap).Assignments["wc-1-1"]; !maps.Equal(again, got) {
		t.Errorf("stable topology rescheduled:\n%s\n%s", render(got), render(again))
	}
}

func TestScheduleKeepsEmptyAssignment(t *testing.T) {
	snap := Snapshot{Topologies: []Topology{
		{ID: "t", NumWorkers: 1, Executors: []topology.ExecutorID{{Start: 1, End: 1}}, Existing: map[topology.ExecutorID]Slot{}},
		{ID: "u", NumWorkers: 1, Executors: []topology.ExecutorID{{Start: 1, End: 1}}},
	}}
	plan := Schedule(snap)
	if a, ok := plan.Assignments["t"]; !ok || len(a) != 0 {
		t.Errorf("t: %v %v, want an empty assignment", a, ok)
	}
	if _, ok := plan.Assignments["u"]; ok {
		t.Error("u: got an assignment without slots")
	}
}

func TestScheduleDoesNotModifySnapshot(t *testing.T) {
	existing := map[topology.ExecutorID]Slot{{Start: 1, End: 1}: {"a", 1}, {Start: 2, End: 2}: {"a", 1}}
	snap := Snapshot{
		Supervisors: []Supervisor{{ID: "a", Ports: []int{2, 1}}, {ID: "b", Ports: []int{1}}},
		Topologies: []Topology{{ID: "t", NumWorkers: 2,
			Executors: []topology.ExecutorID{{Start: 2, End: 2}, {Start: 1, End: 1}},
			Existing:  existing, Alive: map[topology.ExecutorID]bool{{Start: 1, End: 1}: true}}},
	}
	before := maps.Clone(existing)
	plan := Schedule(snap)
	if !maps.Equal(existing, before) || !slices.Equal(snap.Supervisors[0].Ports, []int{2, 1}) ||
		snap.Topologies[0].Executors[0] != (topology.ExecutorID{Start: 2, End: 2}) {
		t.Error("Schedule modified its snapshot")
	}
	plan.Assignments["t"][topology.ExecutorID{Start: 9, End: 9}] = Slot{}
	if len(existing) != 2 {
		t.Error("plan shares maps with the snapshot")
	}
}
