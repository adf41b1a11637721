package topology

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// The golden file is produced by real Storm 1.0.0 code from the same case
// descriptions (testdata/gen_system_golden.clj): normalize-topology,
// system-topology!, storm-task-info and compute-executors' partition-fixed.

type goldenCase struct {
	Name         string                   `json:"name"`
	Conf         map[string]any           `json:"conf"`
	StormDiffers bool                     `json:"storm_differs"`
	Spouts       map[string]componentSpec `json:"spouts"`
	Bolts        map[string]componentSpec `json:"bolts"`
	StateSpouts  map[string]componentSpec `json:"state_spouts"`
}

type componentSpec struct {
	P       *int32 `json:"p"`
	Conf    *string
	Streams map[string]struct {
		Fields []string `json:"fields"`
		Direct bool     `json:"direct"`
	} `json:"streams"`
	Inputs []inputSpec `json:"inputs"`
}

type inputSpec struct {
	Component string   `json:"component"`
	Stream    string   `json:"stream"`
	Grouping  string   `json:"grouping"`
	Fields    []string `json:"fields,omitempty"`
}

func (s componentSpec) common() *stormthrift.ComponentCommon {
	c := &stormthrift.ComponentCommon{
		Inputs:          map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{},
		Streams:         map[string]*stormthrift.StreamInfo{},
		ParallelismHint: s.P,
		JSONConf:        s.Conf,
	}
	for id, st := range s.Streams {
		c.Streams[id] = &stormthrift.StreamInfo{OutputFields: st.Fields, Direct: st.Direct}
	}
	for _, in := range s.Inputs {
		g := &stormthrift.Grouping{}
		n := &stormthrift.NullStruct{}
		switch in.Grouping {
		case "fields":
			g.Fields = append([]string{}, in.Fields...)
		case "shuffle":
			g.Shuffle = n
		case "direct":
			g.Direct = n
		case "all":
			g.All = n
		case "none":
			g.None = n
		case "local_or_shuffle":
			g.LocalOrShuffle = n
		}
		c.Inputs[&stormthrift.GlobalStreamId{ComponentId: in.Component, StreamId: in.Stream}] = g
	}
	return c
}

func (gc goldenCase) topology() *stormthrift.StormTopology {
	f := newFixture()
	for id, s := range gc.Spouts {
		f.t.Spouts[id] = &stormthrift.SpoutSpec{SpoutObject: shell(), Common: s.common()}
	}
	for id, s := range gc.Bolts {
		f.t.Bolts[id] = &stormthrift.Bolt{BoltObject: shell(), Common: s.common()}
	}
	for id, s := range gc.StateSpouts {
		f.t.StateSpouts[id] = &stormthrift.StateSpoutSpec{StateSpoutObject: shell(), Common: s.common()}
	}
	return f.t
}

func summarize(t *testing.T, sys *stormthrift.StormTopology) map[string]any {
	t.Helper()
	tc, err := TaskComponents(sys)
	if err != nil {
		t.Fatal(err)
	}
	ct := ComponentTasks(tc)
	ec := ExecutorComponents(ct, ComponentParallelism(sys))
	var execs [][2]int32
	for e := range ec {
		execs = append(execs, [2]int32{e.Start, e.End})
	}
	slices.SortFunc(execs, func(a, b [2]int32) int { return ExecutorID{a[0], a[1]}.Compare(ExecutorID{b[0], b[1]}) })

	comps := map[string]any{}
	add := func(kind, id string, obj *stormthrift.ComponentObject, c *stormthrift.ComponentCommon) {
		object := "shell"
		if obj.JavaObject != nil {
			object = obj.JavaObject.FullClassName
		}
		streams := map[string]any{}
		for sid, s := range c.Streams {
			streams[sid] = map[string]any{"fields": s.OutputFields, "direct": s.Direct}
		}
		var inputs []map[string]any
		for _, in := range sortedInputs(c) {
			m := map[string]any{"component": in.key.ComponentId, "stream": in.key.StreamId}
			g := in.grouping
			switch {
			case g.Fields != nil:
				m["grouping"], m["fields"] = "fields", g.Fields
			case g.Shuffle != nil:
				m["grouping"] = "shuffle"
			case g.Direct != nil:
				m["grouping"] = "direct"
			case g.All != nil:
				m["grouping"] = "all"
			case g.None != nil:
				m["grouping"] = "none"
			case g.LocalOrShuffle != nil:
				m["grouping"] = "local_or_shuffle"
			}
			inputs = append(inputs, m)
		}
		if inputs == nil {
			inputs = []map[string]any{}
		}
		comps[id] = map[string]any{
			"kind": kind, "object": object, "p": c.ParallelismHint,
			"conf": jsonConf(t, c), "streams": streams, "inputs": inputs,
		}
	}
	for id, s := range sys.Spouts {
		add("spout", id, s.SpoutObject, s.Common)
	}
	for id, b := range sys.Bolts {
		add("bolt", id, b.BoltObject, b.Common)
	}
	for id, s := range sys.StateSpouts {
		add("state_spout", id, s.StateSpoutObject, s.Common)
	}
	return map[string]any{"components": comps, "tasks": ct, "executors": execs}
}

// roundTrip makes Go values and decoded JSON comparable.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSystemMatchesStorm(t *testing.T) {
	var cases []goldenCase
	readJSON(t, "testdata/system_cases.json", &cases)
	var golden []map[string]any
	readJSON(t, "testdata/system_golden.json", &golden)
	if len(golden) != len(cases) {
		t.Fatalf("%d golden results for %d cases", len(golden), len(cases))
	}
	for i, gc := range cases {
		want := golden[i]
		t.Run(gc.Name, func(t *testing.T) {
			caseConf, err := conf.FromMap(gc.Conf)
			if err != nil {
				t.Fatal(err)
			}
			topoConf := conf.Defaults().Merge(caseConf)
			n, err := Normalize(gc.topology(), topoConf)
			var sys *stormthrift.StormTopology
			if err == nil {
				sys, err = System(n, topoConf)
			}
			if gc.StormDiffers {
				// Storm 1.0.0 misses duplicate ids and fails later with an
				// unrelated message; we reject them up front.
				if err == nil {
					t.Fatal("accepted a topology Storm rejects")
				}
				return
			}
			if msg, ok := want["error"]; ok {
				if err == nil || err.Error() != msg {
					t.Fatalf("err = %v, want %q", err, msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := roundTrip(t, summarize(t, sys))
			delete(want, "name")
			if !reflect.DeepEqual(got, any(want)) {
				gb, _ := json.MarshalIndent(got, "", " ")
				t.Errorf("system topology differs from Storm's:\n%s", gb)
			}
		})
	}
}

func readJSON(t *testing.T, path string, into any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
