package multilang

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/galeproject/gale/stormthrift"
)

// Grouping is a grouping as the context describes it.
type Grouping struct {
	// Type is the name of the Grouping union field that is set, upper case:
	// FIELDS, SHUFFLE, ALL, NONE, DIRECT, CUSTOM_OBJECT, CUSTOM_SERIALIZED
	// or LOCAL_OR_SHUFFLE (a global grouping is FIELDS with no fields).
	Type string
	// Fields is set for FIELDS only (possibly empty).
	Fields []string
}

func (g Grouping) jsonValue() any {
	o := &object{}
	o.put("type", g.Type)
	if g.Type == "FIELDS" {
		f := g.Fields
		if f == nil {
			f = []string{}
		}
		o.put("fields", f)
	}
	return o
}

// GroupingOf describes a thrift grouping; ok is false when no arm is set.
func GroupingOf(g *stormthrift.Grouping) (Grouping, bool) {
	switch {
	case g == nil:
		return Grouping{}, false
	case g.IsSetFields():
		return Grouping{Type: "FIELDS", Fields: g.Fields}, true
	case g.IsSetShuffle():
		return Grouping{Type: "SHUFFLE"}, true
	case g.IsSetAll():
		return Grouping{Type: "ALL"}, true
	case g.IsSetNone():
		return Grouping{Type: "NONE"}, true
	case g.IsSetDirect():
		return Grouping{Type: "DIRECT"}, true
	case g.IsSetCustomObject():
		return Grouping{Type: "CUSTOM_OBJECT"}, true
	case g.IsSetCustomSerialized():
		return Grouping{Type: "CUSTOM_SERIALIZED"}, true
	case g.IsSetLocalOrShuffle():
		return Grouping{Type: "LOCAL_OR_SHUFFLE"}, true
	}
	return Grouping{}, false
}

// Context is the "context" of the handshake: what
// TopologyContext.toJSONString writes for one task.
type Context struct {
	// TaskToComponent maps every task of the topology to its component.
	TaskToComponent map[int32]string
	TaskID          int32
	ComponentID     string
	// Streams are the output streams of the component.
	Streams []string
	// StreamOutputFields maps each output stream to its fields.
	StreamOutputFields map[string][]string
	// StreamTargetGrouping maps output stream → consuming component →
	// grouping.
	StreamTargetGrouping map[string]map[string]Grouping
	// SourceStreamGrouping maps source component → stream → grouping for
	// the component's inputs.
	SourceStreamGrouping map[string]map[string]Grouping
	// SourceStreamFields maps each source component to the fields of all
	// its streams (not only the subscribed ones, as in Storm).
	SourceStreamFields map[string]map[string][]string
}

// NewContext describes task taskID of topo (the topology the worker runs,
// normally the system topology) given the task → component map.
func NewContext(topo *stormthrift.StormTopology, taskToComponent map[int32]string, taskID int32) (*Context, error) {
	comp, ok := taskToComponent[taskID]
	if !ok {
		return nil, fmt.Errorf("multilang context: task %d is not in the task map", taskID)
	}
	commons := componentCommons(topo)
	common, ok := commons[comp]
	if !ok {
		return nil, fmt.Errorf("multilang context: component %q of task %d is not in the topology", comp, taskID)
	}
	c := &Context{
		TaskToComponent:      taskToComponent,
		TaskID:               taskID,
		ComponentID:          comp,
		Streams:              javaKeyOrder(common.Streams),
		StreamOutputFields:   streamFields(common),
		StreamTargetGrouping: map[string]map[string]Grouping{},
		SourceStreamGrouping: map[string]map[string]Grouping{},
		SourceStreamFields:   map[string]map[string][]string{},
	}
	for other, oc := range commons {
		for gsid, g := range oc.Inputs {
			if gsid == nil || gsid.ComponentId != comp {
				continue
			}
			gr, ok := GroupingOf(g)
			if !ok {
				return nil, fmt.Errorf("multilang context: component %q subscribes to %s:%s with an empty grouping", other, comp, gsid.StreamId)
			}
			m := c.StreamTargetGrouping[gsid.StreamId]
			if m == nil {
				m = map[string]Grouping{}
				c.StreamTargetGrouping[gsid.StreamId] = m
			}
			m[other] = gr
		}
	}
	for gsid, g := range common.Inputs {
		if gsid == nil {
			continue
		}
		gr, ok := GroupingOf(g)
		if !ok {
			return nil, fmt.Errorf("multilang context: input %s:%s has an empty grouping", gsid.ComponentId, gsid.StreamId)
		}
		m := c.SourceStreamGrouping[gsid.ComponentId]
		if m == nil {
			m = map[string]Grouping{}
			c.SourceStreamGrouping[gsid.ComponentId] = m
		}
		m[gsid.StreamId] = gr
		src, ok := commons[gsid.ComponentId]
		if !ok {
			return nil, fmt.Errorf("multilang context: input from unknown component %q", gsid.ComponentId)
		}
		c.SourceStreamFields[gsid.ComponentId] = streamFields(src)
	}
	return c, nil
}

func componentCommons(topo *stormthrift.StormTopology) map[string]*stormthrift.ComponentCommon {
	out := map[string]*stormthrift.ComponentCommon{}
	if topo == nil {
		return out
	}
	for id, s := range topo.Spouts {
		if s != nil && s.Common != nil {
			out[id] = s.Common
		}
	}
	for id, b := range topo.Bolts {
		if b != nil && b.Common != nil {
			out[id] = b.Common
		}
	}
	for id, s := range topo.StateSpouts {
		if s != nil && s.Common != nil {
			out[id] = s.Common
		}
	}
	return out
}

func streamFields(c *stormthrift.ComponentCommon) map[string][]string {
	out := make(map[string][]string, len(c.Streams))
	for s, info := range c.Streams {
		var f []string
		if info != nil {
			f = info.OutputFields
		}
		if f == nil {
			f = []string{}
		}
		out[s] = f
	}
	return out
}

// javaKeyOrder lists the keys of m in java.util.HashMap order.
func javaKeyOrder[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, j := range javaHashMapOrder(keys) {
		out[i] = keys[j]
	}
	return out
}

func (c *Context) jsonValue() any {
	tasks := make([]int32, 0, len(c.TaskToComponent))
	for t := range c.TaskToComponent {
		tasks = append(tasks, t)
	}
	sort.Slice(tasks, func(i, j int) bool { return tasks[i] < tasks[j] })
	t2c := &object{ordered: true}
	for _, t := range javaIntOrder(tasks) {
		t2c.put(strconv.Itoa(int(t)), c.TaskToComponent[t])
	}
	streams := c.Streams
	if streams == nil {
		streams = []string{}
	}
	o := &object{}
	o.put("task->component", t2c)
	o.put("taskid", c.TaskID)
	o.put("componentid", c.ComponentID)
	o.put("streams", streams)
	o.put("stream->outputfields", c.StreamOutputFields)
	o.put("stream->target->grouping", c.StreamTargetGrouping)
	o.put("source->stream->grouping", c.SourceStreamGrouping)
	o.put("source->stream->fields", c.SourceStreamFields)
	return o
}

// javaIntOrder orders integer keys as a java.util.HashMap<Integer, _>
// iterates them (Integer.hashCode is the value).
func javaIntOrder(keys []int32) []int32 {
	n := len(keys)
	capacity := 16
	for float64(n) > 0.75*float64(capacity) {
		capacity *= 2
	}
	out := append([]int32(nil), keys...)
	bucket := func(k int32) uint32 {
		h := k ^ int32(uint32(k)>>16)
		return uint32(h) & uint32(capacity-1)
	}
	sort.SliceStable(out, func(i, j int) bool { return bucket(out[i]) < bucket(out[j]) })
	return out
}
