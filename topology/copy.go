package topology

import (
	"slices"

	"github.com/galeproject/gale/stormthrift"
)

// copyTopology deep-copies t (Storm's StormTopology.deepCopy). A nil map in t
// becomes an empty map in the copy.
func copyTopology(t *stormthrift.StormTopology) *stormthrift.StormTopology {
	out := &stormthrift.StormTopology{
		Spouts:      make(map[string]*stormthrift.SpoutSpec, len(t.Spouts)),
		Bolts:       make(map[string]*stormthrift.Bolt, len(t.Bolts)),
		StateSpouts: make(map[string]*stormthrift.StateSpoutSpec, len(t.StateSpouts)),
	}
	for id, s := range t.Spouts {
		if s == nil {
			continue
		}
		out.Spouts[id] = &stormthrift.SpoutSpec{SpoutObject: copyObject(s.SpoutObject), Common: copyCommon(s.Common)}
	}
	for id, b := range t.Bolts {
		if b == nil {
			continue
		}
		out.Bolts[id] = &stormthrift.Bolt{BoltObject: copyObject(b.BoltObject), Common: copyCommon(b.Common)}
	}
	for id, s := range t.StateSpouts {
		if s == nil {
			continue
		}
		out.StateSpouts[id] = &stormthrift.StateSpoutSpec{StateSpoutObject: copyObject(s.StateSpoutObject), Common: copyCommon(s.Common)}
	}
	if t.WorkerHooks != nil {
		out.WorkerHooks = make([][]byte, len(t.WorkerHooks))
		for i, h := range t.WorkerHooks {
			out.WorkerHooks[i] = slices.Clone(h)
		}
	}
	return out
}

func copyCommon(c *stormthrift.ComponentCommon) *stormthrift.ComponentCommon {
	out := &stormthrift.ComponentCommon{
		Inputs:  map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{},
		Streams: map[string]*stormthrift.StreamInfo{},
	}
	if c == nil {
		return out
	}
	for k, g := range c.Inputs {
		if k == nil {
			continue
		}
		out.Inputs[&stormthrift.GlobalStreamId{ComponentId: k.ComponentId, StreamId: k.StreamId}] = copyGrouping(g)
	}
	for id, s := range c.Streams {
		if s == nil {
			continue
		}
		out.Streams[id] = &stormthrift.StreamInfo{OutputFields: slices.Clone(s.OutputFields), Direct: s.Direct}
	}
	if c.ParallelismHint != nil {
		p := *c.ParallelismHint
		out.ParallelismHint = &p
	}
	if c.JSONConf != nil {
		s := *c.JSONConf
		out.JSONConf = &s
	}
	return out
}

func copyGrouping(g *stormthrift.Grouping) *stormthrift.Grouping {
	if g == nil {
		return nil
	}
	return &stormthrift.Grouping{
		Fields:           slices.Clone(g.Fields),
		Shuffle:          copyNull(g.Shuffle),
		All:              copyNull(g.All),
		None:             copyNull(g.None),
		Direct:           copyNull(g.Direct),
		CustomObject:     copyJavaObject(g.CustomObject),
		CustomSerialized: slices.Clone(g.CustomSerialized),
		LocalOrShuffle:   copyNull(g.LocalOrShuffle),
	}
}

func copyNull(n *stormthrift.NullStruct) *stormthrift.NullStruct {
	if n == nil {
		return nil
	}
	return &stormthrift.NullStruct{}
}

func copyObject(o *stormthrift.ComponentObject) *stormthrift.ComponentObject {
	if o == nil {
		return nil
	}
	out := &stormthrift.ComponentObject{
		SerializedJava: slices.Clone(o.SerializedJava),
		JavaObject:     copyJavaObject(o.JavaObject),
	}
	if o.Shell != nil {
		sh := *o.Shell
		out.Shell = &sh
	}
	return out
}

func copyJavaObject(j *stormthrift.JavaObject) *stormthrift.JavaObject {
	if j == nil {
		return nil
	}
	out := &stormthrift.JavaObject{FullClassName: j.FullClassName}
	if j.ArgsList != nil {
		out.ArgsList = make([]*stormthrift.JavaObjectArg, len(j.ArgsList))
		for i, a := range j.ArgsList {
			out.ArgsList[i] = copyArg(a)
		}
	}
	return out
}

func copyArg(a *stormthrift.JavaObjectArg) *stormthrift.JavaObjectArg {
	if a == nil {
		return nil
	}
	out := &stormthrift.JavaObjectArg{BinaryArg: slices.Clone(a.BinaryArg)}
	if a.IntArg != nil {
		v := *a.IntArg
		out.IntArg = &v
	}
	if a.LongArg != nil {
		v := *a.LongArg
		out.LongArg = &v
	}
	if a.StringArg != nil {
		v := *a.StringArg
		out.StringArg = &v
	}
	if a.BoolArg != nil {
		v := *a.BoolArg
		out.BoolArg = &v
	}
	if a.DoubleArg != nil {
		v := *a.DoubleArg
		out.DoubleArg = &v
	}
	return out
}
