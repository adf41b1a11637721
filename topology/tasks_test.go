package topology

import (
	"maps"
	"slices"
	"testing"
)

func TestWordCountTasksAndExecutors(t *testing.T) {
	sys := mustSystem(t, wordCount(), with(defaultConf(), "topology.workers", int64(3)))
	tc, err := TaskComponents(sys)
	if err != nil {
		t.Fatal(err)
	}
	ct := ComponentTasks(tc)
	want := map[string][2]int32{"__acker": {1, 3}, "count": {4, 15}, "split": {16, 23}, "spout": {24, 28}}
	if len(ct) != len(want) {
		t.Errorf("ComponentTasks = %v", ct)
	}
	for comp, r := range want {
		tasks := ct[comp]
		if len(tasks) == 0 || tasks[0] != r[0] || tasks[len(tasks)-1] != r[1] || len(tasks) != int(r[1]-r[0]+1) {
			t.Errorf("%s tasks = %v, want %d..%d", comp, tasks, r[0], r[1])
		}
	}
	ec := ExecutorComponents(ct, ComponentParallelism(sys))
	if len(ec) != 28 {
		t.Errorf("%d executors, want 28 (one task each)", len(ec))
	}
	for e, comp := range ec {
		if e.Start != e.End || tc[e.Start] != comp {
			t.Errorf("executor %v → %s", e, comp)
		}
	}
}

func TestExecutors(t *testing.T) {
	seq := func(a, b int32) []int32 {
		var out []int32
		for i := a; i <= b; i++ {
			out = append(out, i)
		}
		return out
	}
	tests := []struct {
		name  string
		tasks []int32
		n     int
		want  []ExecutorID
	}{
		{"even", seq(1, 4), 2, []ExecutorID{{1, 2}, {3, 4}}},
		{"larger first", seq(1, 7), 3, []ExecutorID{{1, 3}, {4, 5}, {6, 7}}},
		{"more executors than tasks", seq(10, 12), 5, []ExecutorID{{10, 10}, {11, 11}, {12, 12}}},
		{"one executor", seq(5, 9), 1, []ExecutorID{{5, 9}}},
		{"zero executors", seq(1, 3), 0, nil},
		{"no tasks", nil, 3, nil},
		{"negative", seq(1, 3), -1, nil},
		{"uneven 10/4", seq(1, 10), 4, []ExecutorID{{1, 3}, {4, 6}, {7, 8}, {9, 10}}},
	}
	for _, tt := range tests {
		if got := Executors(tt.tasks, tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Executors = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestExecutorComponentsRebalanced(t *testing.T) {
	ct := map[string][]int32{"a": {1, 2, 3, 4}, "b": {5, 6}}
	got := ExecutorComponents(ct, map[string]int{"a": 3, "b": 1, "__system": 0})
	want := map[ExecutorID]string{{1, 2}: "a", {3, 3}: "a", {4, 4}: "a", {5, 6}: "b"}
	if !maps.Equal(got, want) {
		t.Errorf("ExecutorComponents = %v, want %v", got, want)
	}
}

func TestExecutorIDHelpers(t *testing.T) {
	e := ExecutorID{3, 5}
	if !slices.Equal(e.Tasks(), []int32{3, 4, 5}) || e.String() != "[3 5]" {
		t.Errorf("Tasks %v String %s", e.Tasks(), e)
	}
	if (ExecutorID{1, 2}).Compare(ExecutorID{1, 3}) >= 0 || (ExecutorID{2, 2}).Compare(ExecutorID{1, 3}) <= 0 {
		t.Error("Compare order")
	}
}

func TestMaxTasks(t *testing.T) {
	conf := defaultConf()
	for _, tasks := range []string{`{"topology.tasks":1048577}`, `{"topology.tasks":9223372036854775807}`} {
		user := newFixture().bolt("b", 1, str(tasks), nil).t
		n, err := Normalize(user, conf)
		if err != nil {
			t.Fatal(err)
		}
		_, err = System(n, conf)
		wantInvalid(t, err)
		if err.Error() != "Topology requests more than 1048576 tasks" {
			t.Errorf("err = %v", err)
		}
	}
	// Two components that are fine alone but not together.
	half := str(`{"topology.tasks":600000}`)
	user := newFixture().bolt("a", 1, half, nil).bolt("b", 1, half, nil).t
	n, err := Normalize(user, conf)
	if err != nil {
		t.Fatal(err)
	}
	_, err = System(n, conf)
	wantInvalid(t, err)
}
