package scheduler

import (
	"maps"
	"slices"
	"time"

	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// Helpers for the caller's write step (nimbus.clj mk-assignments): turn a
// plan entry into the Assignment Storm would write, and tell whether it
// differs from the stored one, so only changed assignments are written.

// FromAssignment reads a stored Assignment: executor → slot, and the
// executors' start times. Malformed entries (an executor that is not
// [start end], a NodeInfo without a port) are skipped.
func FromAssignment(a *stormthrift.Assignment) (map[topology.ExecutorID]Slot, map[topology.ExecutorID]int64) {
	slots := map[topology.ExecutorID]Slot{}
	starts := map[topology.ExecutorID]int64{}
	if a == nil {
		return slots, starts
	}
	for _, enp := range a.ExecutorNodePort {
		e, ok := executorFromList(enp.Executor)
		if !ok || enp.Node == nil || len(enp.Node.Port) == 0 {
			continue
		}
		slots[e] = Slot{Node: enp.Node.Node, Port: int(enp.Node.Port[0])}
	}
	for _, st := range a.ExecutorStartTimeSecs {
		if e, ok := executorFromList(st.Executor); ok {
			starts[e] = st.StartTimeSecs
		}
	}
	return slots, starts
}

func executorFromList(l []int64) (topology.ExecutorID, bool) {
	if len(l) != 2 {
		return topology.ExecutorID{}, false
	}
	return topology.ExecutorID{Start: int32(l[0]), End: int32(l[1])}, true
}

// ChangedExecutors is Storm's changed-executors: the executors of every slot
// whose executor set differs between old and cur (new slots included),
// sorted. They get a fresh start time.
func ChangedExecutors(old, cur map[topology.ExecutorID]Slot) []topology.ExecutorID {
	before, after := groupBySlot(old), groupBySlot(cur)
	var out []topology.ExecutorID
	for s, execs := range after {
		if !slices.Equal(before[s], execs) {
			out = append(out, execs...)
		}
	}
	slices.SortFunc(out, topology.ExecutorID.Compare)
	return out
}

// NewlyAddedSlots is Storm's newly-added-slots: slots used in cur but not
// in old, sorted.
func NewlyAddedSlots(old, cur map[topology.ExecutorID]Slot) []Slot {
	before := map[Slot]bool{}
	for _, s := range old {
		before[s] = true
	}
	seen := map[Slot]bool{}
	var out []Slot
	for _, s := range cur {
		if !before[s] && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	slices.SortFunc(out, Slot.compare)
	return out
}

func groupBySlot(m map[topology.ExecutorID]Slot) map[Slot][]topology.ExecutorID {
	out := map[Slot][]topology.ExecutorID{}
	for _, e := range sortedExecutors(m) {
		out[m[e]] = append(out[m[e]], e)
	}
	return out
}

// BuildAssignment makes the Assignment nimbus writes for one topology
// (mk-assignments): prev is the stored one (nil if none), slots the plan's
// executor → slot map, hosts supervisor id → hostname for the supervisors
// nimbus knows, masterCodeDir nimbus's storm.local.dir.
//
//   - node_host: the used nodes' hostnames (hosts, else prev's);
//   - executor_start_time_secs: prev's start times (Storm keeps them all),
//     now for ChangedExecutors;
//   - worker_resources: 0.0 memory/CPU for every used slot (the default
//     scheduler does not account resources).
//
// Entries are in executor / slot order, so equal inputs give equal bytes.
func BuildAssignment(prev *stormthrift.Assignment, slots map[topology.ExecutorID]Slot, hosts map[string]string,
	masterCodeDir string, now time.Time) *stormthrift.Assignment {
	oldSlots, starts := FromAssignment(prev)
	for _, e := range ChangedExecutors(oldSlots, slots) {
		starts[e] = now.Unix()
	}
	a := &stormthrift.Assignment{MasterCodeDir: masterCodeDir, NodeHost: map[string]string{}}
	used := map[Slot]bool{}
	for _, e := range sortedExecutors(slots) {
		s := slots[e]
		used[s] = true
		a.ExecutorNodePort = append(a.ExecutorNodePort, stormthrift.ExecutorNodePort{
			Executor: []int64{int64(e.Start), int64(e.End)},
			Node:     &stormthrift.NodeInfo{Node: s.Node, Port: []int64{int64(s.Port)}},
		})
		if h, ok := hosts[s.Node]; ok {
			a.NodeHost[s.Node] = h
		} else if prev != nil {
			if h, ok := prev.NodeHost[s.Node]; ok {
				a.NodeHost[s.Node] = h
			}
		}
	}
	for _, e := range sortedExecutors(starts) {
		a.ExecutorStartTimeSecs = append(a.ExecutorStartTimeSecs, stormthrift.ExecutorStartTime{
			Executor: []int64{int64(e.Start), int64(e.End)}, StartTimeSecs: starts[e],
		})
	}
	for _, s := range slices.SortedFunc(maps.Keys(used), Slot.compare) {
		zero := 0.0
		a.WorkerResources = append(a.WorkerResources, stormthrift.SlotResources{
			Node:      &stormthrift.NodeInfo{Node: s.Node, Port: []int64{int64(s.Port)}},
			Resources: &stormthrift.WorkerResources{MemOnHeap: &zero, MemOffHeap: &zero, CPU: &zero},
		})
	}
	return a
}

// SameAssignment reports whether a and b hold the same assignment, ignoring
// entry order (Storm compares the records; nimbus writes only on a change).
// An unset resource counts as 0.0, as the Java getters read it.
func SameAssignment(a, b *stormthrift.Assignment) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.MasterCodeDir != b.MasterCodeDir || !maps.Equal(orEmpty(a.NodeHost), orEmpty(b.NodeHost)) {
		return false
	}
	return maps.Equal(nodePorts(a), nodePorts(b)) && maps.Equal(startTimes(a), startTimes(b)) &&
		maps.Equal(resources(a), resources(b))
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

type execKey [2]int64

// nodeKey is a NodeInfo as a comparable value (ports sorted; Storm's port
// field is a set).
type nodeKey struct {
	node  string
	ports string
}

func toNodeKey(n *stormthrift.NodeInfo) nodeKey {
	if n == nil {
		return nodeKey{}
	}
	ports := slices.Clone(n.Port)
	slices.Sort(ports)
	ports = slices.Compact(ports)
	var b []byte
	for _, p := range ports {
		b = append(b, byte(p>>56), byte(p>>48), byte(p>>40), byte(p>>32), byte(p>>24), byte(p>>16), byte(p>>8), byte(p))
	}
	return nodeKey{n.Node, string(b)}
}

func toExecKey(l []int64) (execKey, bool) {
	if len(l) != 2 {
		return execKey{}, false
	}
	return execKey{l[0], l[1]}, true
}

func nodePorts(a *stormthrift.Assignment) map[execKey]nodeKey {
	out := map[execKey]nodeKey{}
	for _, e := range a.ExecutorNodePort {
		if k, ok := toExecKey(e.Executor); ok {
			out[k] = toNodeKey(e.Node)
		}
	}
	return out
}

func startTimes(a *stormthrift.Assignment) map[execKey]int64 {
	out := map[execKey]int64{}
	for _, e := range a.ExecutorStartTimeSecs {
		if k, ok := toExecKey(e.Executor); ok {
			out[k] = e.StartTimeSecs
		}
	}
	return out
}

func resources(a *stormthrift.Assignment) map[nodeKey][3]float64 {
	out := map[nodeKey][3]float64{}
	for _, r := range a.WorkerResources {
		var v [3]float64
		if r.Resources != nil {
			for i, f := range []*float64{r.Resources.MemOnHeap, r.Resources.MemOffHeap, r.Resources.CPU} {
				if f != nil {
					v[i] = *f
				}
			}
		}
		out[toNodeKey(r.Node)] = v
	}
	return out
}
