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

func TestTopologyTotals(t *testing.T) {
	gs := func(c, s string) *stormthrift.GlobalStreamId {
		return &stormthrift.GlobalStreamId{ComponentId: c, StreamId: s}
	}
	w := func(m map[string]int64) map[string]map[string]int64 {
		return map[string]map[string]int64{":all-time": m, "600": {"default": 1}}
	}
	info := &stormthrift.TopologyInfo{Executors: []*stormthrift.ExecutorSummary{
		{ExecutorInfo: &stormthrift.ExecutorInfo{TaskStart: 4, TaskEnd: 4}, ComponentID: "word", Stats: &stormthrift.ExecutorStats{
			Emitted: w(map[string]int64{"default": 40, "__ack_init": 40}), Transferred: w(map[string]int64{"default": 40}),
			Specific: &stormthrift.ExecutorSpecificStats{Spout: &stormthrift.SpoutStats{
				Acked: w(map[string]int64{"default": 30}), Failed: w(map[string]int64{"default": 2})}}}},
		{ExecutorInfo: &stormthrift.ExecutorInfo{TaskStart: 5, TaskEnd: 5}, ComponentID: "word", Stats: &stormthrift.ExecutorStats{
			Emitted: w(map[string]int64{"default": 20}), Transferred: w(map[string]int64{}),
			Specific: &stormthrift.ExecutorSpecificStats{Spout: &stormthrift.SpoutStats{}}}},
		{ExecutorInfo: &stormthrift.ExecutorInfo{TaskStart: 1, TaskEnd: 2}, ComponentID: "count", Stats: &stormthrift.ExecutorStats{
			Emitted: w(nil), Transferred: w(nil),
			Specific: &stormthrift.ExecutorSpecificStats{Bolt: &stormthrift.BoltStats{
				Acked:    map[string]map[*stormthrift.GlobalStreamId]int64{":all-time": {gs("word", "default"): 50, gs("__system", "__tick"): 7}},
				Executed: map[string]map[*stormthrift.GlobalStreamId]int64{":all-time": {gs("word", "default"): 55}}}}}},
		{ExecutorInfo: &stormthrift.ExecutorInfo{TaskStart: 3, TaskEnd: 3}, ComponentID: "count"}, // no heartbeat yet
	}}
	tree, err := normalize(topologyTotals(info))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/components/word/emitted":     "60",
		"/components/word/transferred": "40",
		"/components/word/acked":       "30",
		"/components/word/failed":      "2",
		"/components/count/acked":      "50",
		"/components/count/executed":   "55",
		"/executors/[4-4]/emitted":     "40",
		"/executors/[1-2]/executed":    "55",
		"/executors/[3-3]/executed":    "0",
	} {
		got, err := Lookup(tree, path)
		if err != nil || Canon(got) != want {
			t.Errorf("%s = %v, %v; want %s", path, Canon(got), err, want)
		}
	}
}

func TestAssignmentJSON(t *testing.T) {
	a := &stormthrift.Assignment{
		MasterCodeDir: "/nimbus",
		NodeHost:      map[string]string{"sup-1": "host-a"},
		ExecutorNodePort: []stormthrift.ExecutorNodePort{
			{Executor: []int64{1, 1}, Node: &stormthrift.NodeInfo{Node: "sup-1", Port: []int64{6700}}},
		},
		ExecutorStartTimeSecs: []stormthrift.ExecutorStartTime{{Executor: []int64{1, 1}, StartTimeSecs: 1000}},
		WorkerResources: []stormthrift.SlotResources{{Node: &stormthrift.NodeInfo{Node: "sup-1", Port: []int64{6700}},
			Resources: &stormthrift.WorkerResources{}}},
	}
	tree, err := normalize(assignmentJSON(a))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/master_code_dir":                   "/nimbus",
		"/node_host/sup-1":                   "host-a",
		"/executor_node_port/0/key":          "[1,1]",
		"/executor_node_port/0/value/port/0": "6700",
		"/executor_start_time_secs/0/value":  "1000",
		"/worker_resources/0/key/node":       "sup-1",
	} {
		got, err := Lookup(tree, path)
		if err != nil || Canon(got) != want {
			t.Errorf("%s = %v, %v; want %s", path, Canon(got), err, want)
		}
	}
	if assignmentJSON(nil) != nil {
		t.Error("nil assignment")
	}
}
