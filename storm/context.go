package storm

import (
	"slices"

	"github.com/galeproject/gale/worker/tuple"
)

// TopologyContextConfig is what the worker runtime knows about a task; it builds the task's
// TopologyContext from it.
type TopologyContextConfig struct {
	StormID     string
	TaskID      int32
	ComponentID string
	// TaskToComponent maps every task of the topology to its component.
	TaskToComponent map[int32]string
	// StreamFields maps component → stream → declared fields.
	StreamFields map[string]map[string]*Fields
	// Sources maps each component to the streams it subscribes to (its inputs).
	Sources map[string][]GlobalStreamID
	// WorkerPort is the port of this worker; WorkerTasks the tasks it runs.
	WorkerPort  int
	WorkerTasks []int32
	// ResourcesDir is the directory of the topology's extracted resources.
	ResourcesDir string
}

// TopologyContext tells a task where it stands in the topology (Storm's TopologyContext).
type TopologyContext struct {
	c              TopologyContextConfig
	componentTasks map[string][]int32
}

// NewTopologyContext returns the context for c. The maps are shared, not copied: the runtime must
// not change them afterwards.
func NewTopologyContext(c TopologyContextConfig) *TopologyContext {
	ct := map[string][]int32{}
	for task, comp := range c.TaskToComponent {
		ct[comp] = append(ct[comp], task)
	}
	for _, tasks := range ct {
		slices.Sort(tasks)
	}
	return &TopologyContext{c: c, componentTasks: ct}
}

// StormID returns the topology id.
func (c *TopologyContext) StormID() string { return c.c.StormID }

// ThisTaskID returns the task this context belongs to.
func (c *TopologyContext) ThisTaskID() int32 { return c.c.TaskID }

// ThisComponentID returns the component of this task.
func (c *TopologyContext) ThisComponentID() string { return c.c.ComponentID }

// ThisTaskIndex returns the position of this task among its component's sorted tasks.
func (c *TopologyContext) ThisTaskIndex() int {
	i, _ := slices.BinarySearch(c.componentTasks[c.c.ComponentID], c.c.TaskID)
	return i
}

// ComponentID returns the component of task ("" if unknown; "__system" for task -1).
func (c *TopologyContext) ComponentID(task int32) string {
	if task == tuple.SystemTaskID {
		return tuple.SystemComponent
	}
	return c.c.TaskToComponent[task]
}

// ComponentTasks returns the sorted tasks of component (shared; do not modify).
func (c *TopologyContext) ComponentTasks(component string) []int32 {
	return c.componentTasks[component]
}

// ComponentIDs returns the ids of all components with tasks, sorted.
func (c *TopologyContext) ComponentIDs() []string {
	ids := make([]string, 0, len(c.componentTasks))
	for id := range c.componentTasks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// ComponentOutputFields returns the declared fields of a component's stream (nil if unknown).
func (c *TopologyContext) ComponentOutputFields(component, stream string) *Fields {
	return c.c.StreamFields[component][stream]
}

// ThisOutputFields returns the declared fields of one of this component's streams.
func (c *TopologyContext) ThisOutputFields(stream string) *Fields {
	return c.ComponentOutputFields(c.c.ComponentID, stream)
}

// ThisStreams returns this component's declared stream ids, sorted.
func (c *TopologyContext) ThisStreams() []string {
	var ids []string
	for id := range c.c.StreamFields[c.c.ComponentID] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// ThisSources returns the streams this component subscribes to (shared; do not modify).
func (c *TopologyContext) ThisSources() []GlobalStreamID { return c.c.Sources[c.c.ComponentID] }

// ThisWorkerPort returns the port of this worker.
func (c *TopologyContext) ThisWorkerPort() int { return c.c.WorkerPort }

// ThisWorkerTasks returns the tasks running in this worker (shared; do not modify).
func (c *TopologyContext) ThisWorkerTasks() []int32 { return c.c.WorkerTasks }

// ResourcesDir returns the directory of the topology's resources.
func (c *TopologyContext) ResourcesDir() string { return c.c.ResourcesDir }
