package nimbus

import (
	"testing"

	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

func TestStatsWithoutHeartbeats(t *testing.T) {
	in := []execInput{
		{exec: topology.ExecutorID{Start: 1, End: 2}, comp: "s", host: "n1", port: 1, bolt: false},
		{exec: topology.ExecutorID{Start: 3, End: 3}, comp: "b", host: "n1", port: 1, bolt: true, uptime: ptr(int32(0)),
			stats: &stormthrift.ExecutorStats{Specific: &stormthrift.ExecutorSpecificStats{Bolt: &stormthrift.BoltStats{}}}},
		{exec: topology.ExecutorID{Start: 4, End: 4}, comp: "__acker", host: "n2", port: 2, bolt: true},
	}
	page := aggTopoPage("t", in, 4, 3, ":all-time", false, nil)
	if page.GetNumWorkers() != 1 || page.TopologyStats == nil || page.TopologyStats.WindowToEmitted == nil {
		t.Fatalf("page %v", page)
	}
	s := page.GetIDToSpoutAggStats()["s"]
	if s.GetCommonStats().GetNumTasks() != 2 || s.GetSpecificStats().GetSpout() == nil || s.GetCommonStats().GetEmitted() != 0 {
		t.Fatalf("spout %v", s)
	}
	b := page.GetIDToBoltAggStats()["b"]
	if b.GetSpecificStats().GetBolt().GetCapacity() != 0 || b.GetSpecificStats().GetBolt().GetExecuteLatencyMs() != 0 {
		t.Fatalf("bolt %v (uptime 0 must not divide by zero)", b)
	}
	comp := aggCompPage("t", "b", true, in, "600", false)
	if comp.GetNumExecutors() != 1 || len(comp.GetExecStats()) != 1 || comp.GetExecStats()[0].GetStats().GetSpecificStats().GetBolt() == nil ||
		comp.WindowToStats == nil || comp.GsidToInputStats == nil || comp.SidToOutputStats == nil {
		t.Fatalf("component page %v", comp)
	}
	sys := aggCompPage("t", "__acker", true, in, ":all-time", false)
	if sys.NumExecutors != nil || len(sys.GetExecStats()) != 0 {
		t.Fatalf("system component without include_sys: %v", sys)
	}
}

func TestUsableStats(t *testing.T) {
	both := &stormthrift.ExecutorStats{Specific: &stormthrift.ExecutorSpecificStats{Bolt: &stormthrift.BoltStats{}, Spout: &stormthrift.SpoutStats{}}}
	for name, st := range map[string]*stormthrift.ExecutorStats{
		"nil":         nil,
		"no specific": {},
		"empty union": {Specific: &stormthrift.ExecutorSpecificStats{}},
		"both arms":   both,
	} {
		if usableStats(st) != nil {
			t.Errorf("%s: usable", name)
		}
	}
	ok := usableStats(&stormthrift.ExecutorStats{Specific: &stormthrift.ExecutorSpecificStats{Spout: &stormthrift.SpoutStats{}}})
	if ok == nil || ok.Emitted == nil || ok.Transferred == nil {
		t.Fatalf("spout stats not usable: %v", ok)
	}
}

func TestEventLoggerTask(t *testing.T) {
	tasks := []int32{10, 11, 12}
	// listHashCode(["split"]) = 31 + "split".hashCode() = 109648697; mod 3 = 2.
	if got, ok := eventLoggerTask("split", tasks); !ok || got != 12 {
		t.Fatalf("eventlogger task %d %v", got, ok)
	}
	if _, ok := eventLoggerTask("split", nil); ok {
		t.Fatal("task without eventloggers")
	}
}
