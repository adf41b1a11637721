package topology

import (
	"fmt"
	"slices"

	"github.com/galeproject/gale/stormthrift"
)

// MaxTasks bounds the tasks of one topology. Storm has no such bound; a
// submitted topology.tasks of 2^31-1 would make Nimbus build a task table it
// cannot hold, so System and TaskComponents reject larger topologies.
const MaxTasks = 1 << 20

func tooManyTasks() error {
	return invalid(fmt.Sprintf("Topology requests more than %d tasks", MaxTasks))
}

// ExecutorID is an executor: the contiguous task range [Start, End] it runs
// (Storm's [first-task last-task], ExecutorInfo{task_start, task_end}).
type ExecutorID struct{ Start, End int32 }

func (e ExecutorID) String() string { return fmt.Sprintf("[%d %d]", e.Start, e.End) }

// Compare orders executors by Start, then End (Clojure's sort of [start end]).
func (e ExecutorID) Compare(o ExecutorID) int {
	if e.Start != o.Start {
		if e.Start < o.Start {
			return -1
		}
		return 1
	}
	switch {
	case e.End < o.End:
		return -1
	case e.End > o.End:
		return 1
	}
	return 0
}

// Tasks lists the executor's task ids, Start..End.
func (e ExecutorID) Tasks() []int32 {
	if e.End < e.Start {
		return nil
	}
	out := make([]int32, 0, int64(e.End)-int64(e.Start)+1)
	for t := int64(e.Start); t <= int64(e.End); t++ {
		out = append(out, int32(t))
	}
	return out
}

// TaskComponents maps task ids to component ids (common.clj storm-task-info):
// components in Java string order, each given topology.tasks (from its
// json_conf) consecutive ids, starting at 1. A component whose conf has no
// topology.tasks, or a value ≤ 0, gets none. system must come from System.
func TaskComponents(system *stormthrift.StormTopology) (map[int32]string, error) {
	counts, err := taskCounts(system)
	if err != nil {
		return nil, err
	}
	out := map[int32]string{}
	next := int32(1)
	for _, c := range counts {
		for i := int32(0); i < c.tasks; i++ {
			out[next] = c.id
			next++
		}
	}
	return out, nil
}

type componentCount struct {
	id    string
	tasks int32
}

// taskCounts lists the components with tasks, in task id order, with their
// topology.tasks; it enforces MaxTasks.
func taskCounts(system *stormthrift.StormTopology) ([]componentCount, error) {
	all := commons(system)
	var out []componentCount
	total := int64(0)
	for _, id := range sortedKeys(all) {
		conf, err := parseComponentConf(id, all[id].JSONConf)
		if err != nil {
			return nil, err
		}
		n, _, err := confInt(conf, keyTopologyTasks, fmt.Sprintf("Component [%s]", id))
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			continue
		}
		if total += n; n > MaxTasks || total > MaxTasks {
			return nil, tooManyTasks()
		}
		out = append(out, componentCount{id, int32(n)})
	}
	return out, nil
}

// ComponentTasks inverts TaskComponents: component → its task ids, sorted.
// The returned slices are owned by the caller.
func ComponentTasks(taskComponents map[int32]string) map[string][]int32 {
	out := map[string][]int32{}
	for task, comp := range taskComponents {
		out[comp] = append(out[comp], task)
	}
	for _, tasks := range out {
		slices.Sort(tasks)
	}
	return out
}

// Executors splits a component's sorted tasks into at most numExecutors
// contiguous executors (util.clj partition-fixed): with n tasks over k
// executors, n%k executors get n/k+1 tasks and come first, the rest get n/k;
// empty executors are dropped, so there are min(n, k) of them.
func Executors(tasks []int32, numExecutors int) []ExecutorID {
	n := len(tasks)
	if numExecutors <= 0 || n == 0 {
		return nil
	}
	base, extra := n/numExecutors, n%numExecutors
	var out []ExecutorID
	for i := 0; i < numExecutors && len(tasks) > 0; i++ {
		size := base
		if i < extra {
			size++
		}
		if size == 0 {
			break
		}
		out = append(out, ExecutorID{Start: tasks[0], End: tasks[size-1]})
		tasks = tasks[size:]
	}
	return out
}

// ExecutorComponents computes a topology's executors (nimbus's
// compute-executors): each component's tasks split by Executors into
// componentExecutors[component] executors (StormBase.component_executors).
// A component missing from componentExecutors gets no executors.
func ExecutorComponents(componentTasks map[string][]int32, componentExecutors map[string]int) map[ExecutorID]string {
	out := map[ExecutorID]string{}
	for comp, tasks := range componentTasks {
		n, ok := componentExecutors[comp]
		if !ok {
			continue
		}
		for _, e := range Executors(tasks, n) {
			out[e] = comp
		}
	}
	return out
}

// ComponentParallelism maps every component of the system topology to its
// parallelism hint (1 when unset): the initial executor counts stored in
// StormBase.component_executors.
func ComponentParallelism(system *stormthrift.StormTopology) map[string]int {
	all := commons(system)
	out := make(map[string]int, len(all))
	for id, c := range all {
		out[id] = int(parallelismHint(c))
	}
	return out
}

// StreamIDs lists the streams component declares in the system topology,
// in Java string order: stream i (from 0) is numbered i+1 on the wire
// (Kryo tuple serialization, SerializationFactory.IdDictionary). Nil if
// there is no such component.
func StreamIDs(system *stormthrift.StormTopology, component string) []string {
	c, ok := commons(system)[component]
	if !ok || c == nil {
		return nil
	}
	return sortedKeys(c.Streams)
}
