package conformance

import (
	"testing"

	"github.com/galeproject/gale/stormthrift"
)

func TestThriftJSON(t *testing.T) {
	status := stormthrift.TopologyInitialStatus_INACTIVE
	v := thriftJSON(&stormthrift.ClusterSummary{
		Supervisors: []*stormthrift.SupervisorSummary{},
		Topologies:  []*stormthrift.TopologySummary{{ID: "t-1-2", Name: "t", NumTasks: 3, Status: "ACTIVE"}},
	})
	tree, err := normalize(v)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/topologies/id=t-1-2/num_tasks": "3",
		"/topologies/0/status":           "ACTIVE",
		"/supervisors":                   "[]",
	} {
		got, err := Lookup(tree, path)
		if err != nil || Canon(got) != want {
			t.Errorf("%s = %v, %v; want %s", path, Canon(got), err, want)
		}
	}
	if _, err := Lookup(tree, "/nimbuses"); err == nil {
		t.Error("unset list present")
	}
	opts := thriftJSON(&stormthrift.SubmitOptions{InitialStatus: status})
	if got, _ := Lookup(opts, "/initial_status"); got != "INACTIVE" {
		t.Errorf("enum as %v, want its name", got)
	}
	inputs := thriftJSON(&stormthrift.ComponentCommon{Inputs: map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{
		{ComponentId: "word", StreamId: "default"}: {},
	}})
	if got, err := Lookup(inputs, "/inputs/0/key/componentId"); err != nil || got != "word" {
		t.Errorf("struct-keyed map: %v, %v", got, err)
	}
}
