package topology

import "github.com/galeproject/gale/stormthrift"

// commons maps every component id (spouts, bolts, state spouts) to its
// ComponentCommon, as Storm's all-components does (a later kind wins on a
// duplicate id; System rejects duplicates before relying on this).
func commons(t *stormthrift.StormTopology) map[string]*stormthrift.ComponentCommon {
	out := make(map[string]*stormthrift.ComponentCommon, len(t.Spouts)+len(t.Bolts)+len(t.StateSpouts))
	for id, s := range t.Spouts {
		if s != nil {
			out[id] = s.Common
		}
	}
	for id, b := range t.Bolts {
		if b != nil {
			out[id] = b.Common
		}
	}
	for id, s := range t.StateSpouts {
		if s != nil {
			out[id] = s.Common
		}
	}
	return out
}

// parallelismHint is thrift/parallelism-hint: the hint if set, else 1.
func parallelismHint(c *stormthrift.ComponentCommon) int64 {
	if c == nil || c.ParallelismHint == nil {
		return 1
	}
	return int64(*c.ParallelismHint)
}

// fieldsGrouping reports whether g is a fields grouping (an empty field list
// is the global grouping, which is also a fields grouping).
func fieldsGrouping(g *stormthrift.Grouping) bool {
	return g != nil && g.Fields != nil
}
