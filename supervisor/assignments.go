package supervisor

import (
	"fmt"
	"maps"
	"slices"

	"github.com/galeproject/gale/stormthrift"
)

// Resources are what Nimbus reserved for one worker slot
// (Assignment.worker_resources); Storm 1.0.0's default scheduler writes
// zeros.
type Resources struct {
	MemOnHeap, MemOffHeap, CPU float64
}

// MyAssignments picks, from every topology's assignment, the executors
// Nimbus placed on this supervisor (NodeInfo.node == assignmentID) and groups
// them by port, as Storm's read-assignments does. Executors are sorted. Two
// topologies on one port is an error (Storm retries, then dies; the caller
// keeps its previous view).
func MyAssignments(all map[string]*stormthrift.Assignment, assignmentID string) (map[int]SlotAssignment, error) {
	out := make(map[int]SlotAssignment)
	for _, id := range slices.Sorted(maps.Keys(all)) {
		a := all[id]
		if a == nil {
			continue
		}
		for _, enp := range a.ExecutorNodePort {
			if enp.Node == nil || enp.Node.Node != assignmentID || len(enp.Node.Port) == 0 || len(enp.Executor) != 2 {
				continue
			}
			port := int(enp.Node.Port[0])
			sa, ok := out[port]
			if ok && sa.TopologyID != id {
				return nil, fmt.Errorf("supervisor: port %d is assigned to both %s and %s", port, sa.TopologyID, id)
			}
			if !ok {
				sa = SlotAssignment{TopologyID: id, Resources: slotResources(a, assignmentID, port)}
			}
			sa.Executors = append(sa.Executors, Executor{int32(enp.Executor[0]), int32(enp.Executor[1])})
			out[port] = sa
		}
	}
	for port, sa := range out {
		slices.SortFunc(sa.Executors, compareExecutors)
		sa.Executors = slices.Compact(sa.Executors)
		out[port] = sa
	}
	return out, nil
}

func slotResources(a *stormthrift.Assignment, node string, port int) *Resources {
	for _, r := range a.WorkerResources {
		if r.Node == nil || r.Node.Node != node || len(r.Node.Port) == 0 || int(r.Node.Port[0]) != port || r.Resources == nil {
			continue
		}
		return &Resources{r.Resources.GetMemOnHeap(), r.Resources.GetMemOffHeap(), r.Resources.GetCPU()}
	}
	return nil
}

func compareExecutors(x, y Executor) int {
	if x.Start != y.Start {
		return int(x.Start) - int(y.Start)
	}
	return int(x.End) - int(y.End)
}

// sameAssignments reports whether a and b give every port the same slot
// assignment.
func sameAssignments(a, b map[int]SlotAssignment) bool {
	return maps.EqualFunc(a, b, sameSlot)
}

// sameSlot reports whether x and y are the same topology, executors (in
// order) and resources.
func sameSlot(x, y SlotAssignment) bool {
	return x.TopologyID == y.TopologyID && slices.Equal(x.Executors, y.Executors) &&
		(x.Resources == nil) == (y.Resources == nil) && (x.Resources == nil || *x.Resources == *y.Resources)
}

// topologyIDs are the distinct topologies of a port assignment.
func topologyIDs(assigned map[int]SlotAssignment) map[string]bool {
	out := make(map[string]bool, len(assigned))
	for _, sa := range assigned {
		out[sa.TopologyID] = true
	}
	return out
}

// toLocalAssignments is the LocalState form (LSSupervisorAssignments) of a
// port assignment.
func toLocalAssignments(assigned map[int]SlotAssignment) *stormthrift.LSSupervisorAssignments {
	ls := &stormthrift.LSSupervisorAssignments{Assignments: make(map[int32]*stormthrift.LocalAssignment, len(assigned))}
	for port, sa := range assigned {
		la := &stormthrift.LocalAssignment{TopologyID: sa.TopologyID, Executors: toExecutorInfos(sa.Executors)}
		if r := sa.Resources; r != nil {
			la.Resources = &stormthrift.WorkerResources{MemOnHeap: &r.MemOnHeap, MemOffHeap: &r.MemOffHeap, CPU: &r.CPU}
		}
		ls.Assignments[int32(port)] = la
	}
	return ls
}

// fromLocalAssignments reads an LSSupervisorAssignments back.
func fromLocalAssignments(ls *stormthrift.LSSupervisorAssignments) map[int]SlotAssignment {
	out := make(map[int]SlotAssignment, len(ls.GetAssignments()))
	for port, la := range ls.GetAssignments() {
		if la == nil {
			continue
		}
		sa := SlotAssignment{TopologyID: la.TopologyID, Executors: fromExecutorInfos(la.Executors)}
		if r := la.Resources; r != nil {
			sa.Resources = &Resources{r.GetMemOnHeap(), r.GetMemOffHeap(), r.GetCPU()}
		}
		slices.SortFunc(sa.Executors, compareExecutors)
		out[int(port)] = sa
	}
	return out
}

func toExecutorInfos(es []Executor) []*stormthrift.ExecutorInfo {
	out := make([]*stormthrift.ExecutorInfo, len(es))
	for i, e := range es {
		out[i] = &stormthrift.ExecutorInfo{TaskStart: e.Start, TaskEnd: e.End}
	}
	return out
}

func fromExecutorInfos(es []*stormthrift.ExecutorInfo) []Executor {
	out := make([]Executor, 0, len(es))
	for _, e := range es {
		if e != nil {
			out = append(out, Executor{e.TaskStart, e.TaskEnd})
		}
	}
	return out
}

// heartbeatFromLS converts a worker's LocalState heartbeat.
func heartbeatFromLS(hb *stormthrift.LSWorkerHeartbeat) *Heartbeat {
	return &Heartbeat{
		Time:       unixSecs(int64(hb.TimeSecs)),
		TopologyID: hb.TopologyID,
		Executors:  fromExecutorInfos(hb.Executors),
		Port:       int(hb.Port),
	}
}
