package topology

import (
	"fmt"
	"slices"

	"github.com/galeproject/gale/stormthrift"
)

// validateBasic is common.clj validate-basic!. orig is the submitted
// topology (for duplicate ids, which the copy's maps cannot tell apart
// anyway), t its deep copy (nil commons filled in).
//
// Storm 1.0.0 compares map entries rather than ids when looking for
// duplicates, so it never reports them; we do, in its message format.
func validateBasic(orig, t *stormthrift.StormTopology) error {
	count := map[string]int{}
	for id := range orig.Spouts {
		count[id]++
	}
	for id := range orig.Bolts {
		count[id]++
	}
	for id := range orig.StateSpouts {
		count[id]++
	}
	var dups []string
	for id, n := range count {
		if n > 1 {
			dups = append(dups, id)
		}
	}
	if len(dups) > 0 {
		return invalid("Duplicate component ids: " + clojureListString(sortJava(dups)))
	}

	kinds := []map[string]*stormthrift.ComponentCommon{{}, {}, {}}
	for id, s := range t.Spouts {
		kinds[0][id] = s.Common
	}
	for id, b := range t.Bolts {
		kinds[1][id] = b.Common
	}
	for id, s := range t.StateSpouts {
		kinds[2][id] = s.Common
	}
	for _, kind := range kinds {
		ids := sortedKeys(kind)
		for _, id := range ids {
			if IsSystemID(id) {
				return invalid(id + " is not a valid component id")
			}
		}
		for _, id := range ids {
			for _, s := range sortedKeys(kind[id].Streams) {
				if IsSystemID(s) {
					return invalid(s + " is not a valid stream id")
				}
			}
		}
	}
	for _, kind := range []map[string]*stormthrift.ComponentCommon{kinds[0], kinds[2]} {
		for _, id := range sortedKeys(kind) {
			if len(kind[id].Inputs) > 0 {
				return invalid("May not declare inputs for a spout")
			}
		}
	}
	all := commons(t)
	for _, id := range sortedKeys(all) {
		c := all[id]
		conf, err := parseComponentConf(id, c.JSONConf)
		if err != nil {
			return err
		}
		tasks, _, err := confInt(conf, keyTopologyTasks, fmt.Sprintf("Component [%s]", id))
		if err != nil {
			return err
		}
		if tasks > 0 && parallelismHint(c) <= 0 {
			return invalid("Number of executors must be greater than 0 when number of tasks is greater than 0")
		}
	}
	return nil
}

// validateStructure is common.clj validate-structure!: every subscription
// names an existing component and stream, and a fields grouping names only
// fields that stream declares.
func validateStructure(t *stormthrift.StormTopology) error {
	all := commons(t)
	for _, id := range sortedKeys(all) {
		for _, in := range sortedInputs(all[id]) {
			src, stream := in.key.ComponentId, in.key.StreamId
			source, ok := all[src]
			if !ok {
				return invalid(fmt.Sprintf("Component: [%s] subscribes from non-existent component [%s]", id, src))
			}
			info, ok := source.Streams[stream]
			if !ok {
				return invalid(fmt.Sprintf("Component: [%s] subscribes from non-existent stream: [%s] of component [%s]", id, stream, src))
			}
			if !fieldsGrouping(in.grouping) {
				continue
			}
			var missing []string
			for _, f := range in.grouping.Fields {
				if !slices.Contains(info.OutputFields, f) && !slices.Contains(missing, f) {
					missing = append(missing, f)
				}
			}
			if len(missing) > 0 {
				return invalid(fmt.Sprintf("Component: [%s] subscribes from stream: [%s] of component [%s] with non-existent fields: %s",
					id, stream, src, clojureSetString(missing)))
			}
		}
	}
	return nil
}

type input struct {
	key      *stormthrift.GlobalStreamId
	grouping *stormthrift.Grouping
}

// sortedInputs lists c's subscriptions ordered by (component, stream).
func sortedInputs(c *stormthrift.ComponentCommon) []input {
	out := make([]input, 0, len(c.Inputs))
	for k, g := range c.Inputs {
		out = append(out, input{k, g})
	}
	slices.SortFunc(out, func(a, b input) int {
		if c := javaCompare(a.key.ComponentId, b.key.ComponentId); c != 0 {
			return c
		}
		return javaCompare(a.key.StreamId, b.key.StreamId)
	})
	return out
}
