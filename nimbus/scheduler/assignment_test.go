package scheduler

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

func ex(s, e int32) topology.ExecutorID { return topology.ExecutorID{Start: s, End: e} }

func TestChangedExecutorsAndNewSlots(t *testing.T) {
	old := map[topology.ExecutorID]Slot{ex(1, 1): {"a", 1}, ex(2, 2): {"a", 1}, ex(3, 3): {"b", 1}, ex(4, 4): {"b", 2}}
	cur := map[topology.ExecutorID]Slot{ex(1, 1): {"a", 1}, ex(2, 2): {"a", 1}, ex(3, 3): {"b", 1}, ex(4, 4): {"c", 1}, ex(5, 5): {"b", 1}}
	if got, want := ChangedExecutors(old, cur), []topology.ExecutorID{ex(3, 3), ex(4, 4), ex(5, 5)}; !slices.Equal(got, want) {
		t.Errorf("ChangedExecutors = %v, want %v", got, want)
	}
	if got, want := NewlyAddedSlots(old, cur), []Slot{{"c", 1}}; !slices.Equal(got, want) {
		t.Errorf("NewlyAddedSlots = %v, want %v", got, want)
	}
	if got := ChangedExecutors(cur, cur); len(got) != 0 {
		t.Errorf("unchanged assignment: ChangedExecutors = %v", got)
	}
}

func TestBuildAssignment(t *testing.T) {
	t0, t1 := time.Unix(1000, 0), time.Unix(2000, 0)
	hosts := map[string]string{"a": "host-a", "b": "host-b", "z": "unused"}
	first := map[topology.ExecutorID]Slot{ex(1, 1): {"a", 6700}, ex(2, 2): {"b", 6700}}
	a1 := BuildAssignment(nil, first, hosts, "/storm", t0)
	if a1.MasterCodeDir != "/storm" || !maps.Equal(a1.NodeHost, map[string]string{"a": "host-a", "b": "host-b"}) {
		t.Errorf("a1 = %v", a1)
	}
	slots, starts := FromAssignment(a1)
	if !maps.Equal(slots, first) || !maps.Equal(starts, map[topology.ExecutorID]int64{ex(1, 1): 1000, ex(2, 2): 1000}) {
		t.Errorf("FromAssignment(a1) = %v %v", slots, starts)
	}
	if len(a1.WorkerResources) != 2 || *a1.WorkerResources[0].Resources.CPU != 0 {
		t.Errorf("worker resources = %v", a1.WorkerResources)
	}

	// Same plan later: identical assignment, nothing to write.
	if same := BuildAssignment(a1, first, hosts, "/storm", t1); !SameAssignment(a1, same) {
		t.Errorf("unchanged plan gave a different assignment: %v vs %v", a1, same)
	}
	// Executor 2 moves to a node nimbus no longer knows: it gets a new start
	// time, executor 1 keeps its own, the host of "a" comes from prev.
	moved := map[topology.ExecutorID]Slot{ex(1, 1): {"a", 6700}, ex(2, 2): {"c", 6701}}
	a2 := BuildAssignment(a1, moved, map[string]string{"c": "host-c"}, "/storm", t1)
	_, starts = FromAssignment(a2)
	if !maps.Equal(starts, map[topology.ExecutorID]int64{ex(1, 1): 1000, ex(2, 2): 2000}) {
		t.Errorf("start times = %v", starts)
	}
	if !maps.Equal(a2.NodeHost, map[string]string{"a": "host-a", "c": "host-c"}) {
		t.Errorf("node_host = %v", a2.NodeHost)
	}
	if SameAssignment(a1, a2) {
		t.Error("SameAssignment(a1, a2) = true")
	}
}

func TestSameAssignmentIgnoresOrder(t *testing.T) {
	zero := 0.0
	mk := func(rev bool) *stormthrift.Assignment {
		a := &stormthrift.Assignment{MasterCodeDir: "d", NodeHost: map[string]string{"a": "h"}}
		enps := []stormthrift.ExecutorNodePort{
			{Executor: []int64{1, 1}, Node: &stormthrift.NodeInfo{Node: "a", Port: []int64{1}}},
			{Executor: []int64{2, 2}, Node: &stormthrift.NodeInfo{Node: "a", Port: []int64{2}}},
		}
		res := []stormthrift.SlotResources{
			{Node: &stormthrift.NodeInfo{Node: "a", Port: []int64{1}}, Resources: &stormthrift.WorkerResources{CPU: &zero}},
			{Node: &stormthrift.NodeInfo{Node: "a", Port: []int64{2}}, Resources: &stormthrift.WorkerResources{}},
		}
		if rev {
			slices.Reverse(enps)
			slices.Reverse(res)
		}
		a.ExecutorNodePort, a.WorkerResources = enps, res
		return a
	}
	if !SameAssignment(mk(false), mk(true)) {
		t.Error("entry order changed equality")
	}
	if SameAssignment(mk(false), nil) || !SameAssignment(nil, nil) {
		t.Error("nil handling")
	}
}
