package nimbus

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/nimbus/scheduler"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

func (h *harness) assignment(id string) *stormthrift.Assignment {
	h.t.Helper()
	a, _, err := h.state().Assignment(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

func (h *harness) waitAssignment(id string, execs int) *stormthrift.Assignment {
	h.t.Helper()
	var a *stormthrift.Assignment
	testutil.CheckFor(h.t, 5*time.Second, func() error {
		a = h.assignment(id)
		if a == nil {
			return errors.New("no assignment")
		}
		if len(a.ExecutorNodePort) != execs {
			return fmt.Errorf("%d executors assigned, want %d", len(a.ExecutorNodePort), execs)
		}
		return nil
	})
	return a
}

func spoutStats(emitted, acked int64, latency float64) *stormthrift.ExecutorStats {
	w := map[string]map[string]int64{":all-time": {"default": emitted, "__ack_init": emitted}, "600": {"default": emitted}}
	return &stormthrift.ExecutorStats{
		Emitted: w, Transferred: w, Rate: 20,
		Specific: &stormthrift.ExecutorSpecificStats{Spout: &stormthrift.SpoutStats{
			Acked:         map[string]map[string]int64{":all-time": {"default": acked}},
			Failed:        map[string]map[string]int64{":all-time": {"default": 2}},
			CompleteMsAvg: map[string]map[string]float64{":all-time": {"default": latency}},
		}},
	}
}

func boltStats(src string, executed, executed600 int64, execAvg, execAvg600, procAvg float64) *stormthrift.ExecutorStats {
	g := func() *stormthrift.GlobalStreamId {
		return &stormthrift.GlobalStreamId{ComponentId: src, StreamId: "default"}
	}
	w := map[string]map[string]int64{":all-time": {"default": 50}}
	return &stormthrift.ExecutorStats{
		Emitted: w, Transferred: w, Rate: 20,
		Specific: &stormthrift.ExecutorSpecificStats{Bolt: &stormthrift.BoltStats{
			Acked:        map[string]map[*stormthrift.GlobalStreamId]int64{":all-time": {g(): executed}},
			Failed:       map[string]map[*stormthrift.GlobalStreamId]int64{":all-time": {}},
			Executed:     map[string]map[*stormthrift.GlobalStreamId]int64{":all-time": {g(): executed}, "600": {g(): executed600}},
			ExecuteMsAvg: map[string]map[*stormthrift.GlobalStreamId]float64{":all-time": {g(): execAvg}, "600": {g(): execAvg600}},
			ProcessMsAvg: map[string]map[*stormthrift.GlobalStreamId]float64{":all-time": {g(): procAvg}},
		}},
	}
}

// writeBeats writes one heartbeat per assigned worker with stats from
// statsFor (nil: executor left out).
func writeBeats(t testing.TB, st *cluster.State, id string, a *stormthrift.Assignment, timeSecs, uptime int32,
	comp func(e topology.ExecutorID) string, statsFor func(comp string) *stormthrift.ExecutorStats) {
	t.Helper()
	slots, _ := assignmentSlots(a)
	beats := map[scheduler.Slot]*stormthrift.ClusterWorkerHeartbeat{}
	for e, s := range slots {
		hb := beats[s]
		if hb == nil {
			hb = &stormthrift.ClusterWorkerHeartbeat{StormID: id, ExecutorStats: map[*stormthrift.ExecutorInfo]*stormthrift.ExecutorStats{},
				TimeSecs: timeSecs, UptimeSecs: uptime}
			beats[s] = hb
		}
		if es := statsFor(comp(e)); es != nil {
			hb.ExecutorStats[&stormthrift.ExecutorInfo{TaskStart: e.Start, TaskEnd: e.End}] = es
		}
	}
	for s, hb := range beats {
		if err := st.SetWorkerHeartbeat(context.Background(), id, s.Node, s.Port, hb); err != nil {
			t.Fatal(err)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestAssignmentAndStats(t *testing.T) {
	clock := newFakeClock()
	h := startNimbus(t, harnessOpts{clock: clock})
	ctx := context.Background()
	c := h.client()
	st := h.state()
	addSupervisor(t, st, "sup-1", "host-a", 6700, 6701, 6702, 6703)
	id := h.submit(c, "st", `{"topology.workers": 2}`, stormthrift.TopologyInitialStatus_ACTIVE)
	a := h.waitAssignment(id, 2+5+8+12)

	// The Assignment Storm's supervisors and workers read.
	t0 := clock.Now().Unix()
	if a.MasterCodeDir != h.dir || a.NodeHost["sup-1"] != "host-a" || len(a.NodeHost) != 1 {
		t.Fatalf("assignment header: dir %q hosts %v", a.MasterCodeDir, a.NodeHost)
	}
	slots, starts := assignmentSlots(a)
	used := map[scheduler.Slot]bool{}
	for e, s := range slots {
		used[s] = true
		if starts[e] != t0 {
			t.Fatalf("start time of %v = %d, want %d", e, starts[e], t0)
		}
	}
	if len(used) != 2 || len(a.WorkerResources) != 2 {
		t.Fatalf("workers: %v, resources %v", used, a.WorkerResources)
	}
	for _, r := range a.WorkerResources {
		if !r.Resources.IsSetMemOnHeap() || !r.Resources.IsSetMemOffHeap() || !r.Resources.IsSetCPU() || !used[scheduler.Slot{Node: r.Node.Node, Port: int(r.Node.Port[0])}] {
			t.Fatalf("worker resources entry %v", r)
		}
	}

	// Heartbeats -> TopologyInfo and the UI pages.
	td, err := h.n.topo(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	writeBeats(t, st, id, a, 1000, 300, td.executorComponent, func(comp string) *stormthrift.ExecutorStats {
		switch comp {
		case "spout":
			return spoutStats(100, 40, 10)
		case "split":
			return boltStats("spout", 100, 60, 2, 5, 3)
		}
		return nil
	})
	if err := st.ReportError(ctx, id, "split", "host-a", 6700, "boom", clock.Now()); err != nil {
		t.Fatal(err)
	}

	info, err := c.GetTopologyInfo(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if info.GetName() != "st" || info.GetStatus() != "ACTIVE" || len(info.GetExecutors()) != 27 || info.GetOwner() == "" || info.GetReplicationCount() != 1 {
		t.Fatalf("topology info: %v", info)
	}
	withStats := 0
	for _, e := range info.GetExecutors() {
		if e.GetHost() != "host-a" || e.GetUptimeSecs() != 300 && e.Stats != nil {
			t.Fatalf("executor summary %v", e)
		}
		if e.Stats != nil {
			withStats++
		}
	}
	if withStats != 13 {
		t.Fatalf("%d executors with stats, want 13", withStats)
	}
	if errs := info.GetErrors()["split"]; len(errs) != 1 || errs[0].GetError() != "boom" || errs[0].GetPort() != 6700 {
		t.Fatalf("errors %v", info.GetErrors())
	}
	for _, comp := range []string{"__acker", "spout", "split", "count"} {
		if _, ok := info.GetErrors()[comp]; !ok {
			t.Fatalf("errors lacks %s: %v", comp, info.GetErrors())
		}
	}
	none, err := c.GetTopologyInfoWithOpts(ctx, id, &stormthrift.GetInfoOptions{NumErrChoice: ptr(stormthrift.NumErrorsChoice_NONE)})
	if err != nil || len(none.GetErrors()["split"]) != 0 {
		t.Fatalf("NONE errors: %v %v", none.GetErrors(), err)
	}
	one, err := c.GetTopologyInfoWithOpts(ctx, id, &stormthrift.GetInfoOptions{NumErrChoice: ptr(stormthrift.NumErrorsChoice_ONE)})
	if err != nil || len(one.GetErrors()["split"]) != 1 {
		t.Fatalf("ONE errors: %v %v", one.GetErrors(), err)
	}

	page, err := c.GetTopologyPageInfo(ctx, id, ":all-time", false)
	if err != nil {
		t.Fatal(err)
	}
	if page.GetNumExecutors() != 27 || page.GetNumTasks() != 27 || page.GetNumWorkers() != 2 || page.GetName() != "st" ||
		page.GetStatus() != "ACTIVE" || page.GetTopologyConf() == "" || page.TopologyStats == nil {
		t.Fatalf("page header %v", page)
	}
	sp := page.GetIDToSpoutAggStats()["spout"]
	if sp == nil || sp.GetCommonStats().GetNumExecutors() != 5 || sp.GetCommonStats().GetEmitted() != 500 ||
		sp.GetCommonStats().GetAcked() != 200 || sp.GetCommonStats().GetFailed() != 10 ||
		!near(sp.GetSpecificStats().GetSpout().GetCompleteLatencyMs(), 10) || sp.GetSpecificStats().GetBolt() != nil {
		t.Fatalf("spout agg %v", sp)
	}
	sb := page.GetIDToBoltAggStats()["split"]
	if sb == nil || sb.GetCommonStats().GetNumExecutors() != 8 || sb.GetSpecificStats().GetBolt().GetExecuted() != 800 ||
		!near(sb.GetSpecificStats().GetBolt().GetExecuteLatencyMs(), 2) || !near(sb.GetSpecificStats().GetBolt().GetProcessLatencyMs(), 3) ||
		!near(sb.GetSpecificStats().GetBolt().GetCapacity(), 5.0*60/(1000*300)) || sb.GetLastError().GetError() != "boom" {
		t.Fatalf("split agg %v", sb)
	}
	cb := page.GetIDToBoltAggStats()["count"]
	if cb == nil || cb.GetCommonStats() == nil || cb.GetSpecificStats().GetBolt() == nil || cb.GetCommonStats().GetNumExecutors() != 12 {
		t.Fatalf("count agg (no beats) %v", cb)
	}
	if _, ok := page.GetIDToBoltAggStats()["__acker"]; ok {
		t.Fatal("system component on page without include_sys")
	}
	ts := page.GetTopologyStats()
	if ts.GetWindowToEmitted()[":all-time"] != 500+400 || ts.GetWindowToAcked()[":all-time"] != 200 ||
		!near(ts.GetWindowToCompleteLatenciesMs()[":all-time"], 10) {
		t.Fatalf("topology stats %v", ts)
	}
	sys, err := c.GetTopologyPageInfo(ctx, id, ":all-time", true)
	if err != nil || sys.GetIDToBoltAggStats()["__acker"] == nil || sys.GetTopologyStats().GetWindowToEmitted()[":all-time"] != 1000+400 {
		t.Fatalf("include_sys page: %v %v", sys.GetTopologyStats(), err)
	}

	comp, err := c.GetComponentPageInfo(ctx, id, "split", ":all-time", false)
	if err != nil {
		t.Fatal(err)
	}
	if comp.GetComponentType() != stormthrift.ComponentType_BOLT || comp.GetNumExecutors() != 8 || comp.GetTopologyName() != "st" ||
		len(comp.GetExecStats()) != 8 || len(comp.GetErrors()) != 1 || comp.GetTopologyStatus() != "ACTIVE" {
		t.Fatalf("component page %v", comp)
	}
	for _, es := range comp.GetExecStats() {
		if es.GetExecSummary().GetHost() != "host-a" || es.GetStats().GetCommonStats() == nil || es.GetStats().GetSpecificStats().GetBolt() == nil {
			t.Fatalf("exec stats %v", es)
		}
	}
	var in *stormthrift.ComponentAggregateStats
	for k, v := range comp.GetGsidToInputStats() {
		if k.GetComponentId() == "spout" && k.GetStreamId() == "default" {
			in = v
		}
	}
	if in == nil || in.GetSpecificStats().GetBolt().GetExecuted() != 800 || !near(in.GetSpecificStats().GetBolt().GetExecuteLatencyMs(), 2) {
		t.Fatalf("input stats %v", comp.GetGsidToInputStats())
	}
	w600 := comp.GetWindowToStats()["600"]
	if w600 == nil || w600.GetSpecificStats().GetBolt().GetExecuted() != 480 || !near(w600.GetSpecificStats().GetBolt().GetExecuteLatencyMs(), 5) {
		t.Fatalf("600 window %v", comp.GetWindowToStats())
	}
	spoutPage, err := c.GetComponentPageInfo(ctx, id, "spout", "600", false)
	if err != nil || spoutPage.GetComponentType() != stormthrift.ComponentType_SPOUT ||
		spoutPage.GetSidToOutputStats()["default"].GetCommonStats().GetEmitted() != 500 {
		t.Fatalf("spout page %v %v", spoutPage, err)
	}

	// Liveness: heartbeats that stop changing kill the executors once the
	// launch grace and the task timeout have passed; they move and get
	// new start times.
	// Nimbus must have seen the heartbeats once (its own clock marks when).
	h.n.assignAndCleanup(ctx)
	clock.Advance(200 * time.Second)
	h.n.assignAndCleanup(ctx)
	testutil.CheckFor(t, 5*time.Second, func() error {
		a2 := h.assignment(id)
		_, starts2 := assignmentSlots(a2)
		for e, s := range starts2 {
			if s != clock.Now().Unix() {
				return fmt.Errorf("executor %v start %d, want reassignment at %d", e, s, clock.Now().Unix())
			}
		}
		return nil
	})
}

func TestLiveness(t *testing.T) {
	e := topology.ExecutorID{Start: 1, End: 1}
	execs := []topology.ExecutorID{e}
	beat := func(ts int32) map[topology.ExecutorID]*execBeat {
		return map[topology.ExecutorID]*execBeat{e: {timeSecs: ts}}
	}
	var cache map[topology.ExecutorID]*beatState
	steps := []struct {
		now   int64
		beats map[topology.ExecutorID]*execBeat
		start int64
		alive bool
	}{
		{now: 100, beats: nil, start: 100, alive: true},      // first sight
		{now: 110, beats: beat(5), start: 100, alive: true},  // new beat
		{now: 200, beats: beat(5), start: 100, alive: true},  // in launch grace (120 s)
		{now: 230, beats: beat(5), start: 100, alive: false}, // stale 120 s ≥ 30 s, grace over
		{now: 231, beats: beat(6), start: 100, alive: true},  // beat changed again
		{now: 260, beats: nil, start: 100, alive: true},      // 29 s without change
		{now: 261, beats: nil, start: 100, alive: false},     // 30 s
		{now: 262, beats: nil, start: 200, alive: true},      // reassigned: grace again
	}
	for i, s := range steps {
		cache = updateBeats(cache, s.beats, execs, s.now, 30)
		alive := aliveExecutors(execs, map[topology.ExecutorID]int64{e: s.start}, cache, s.now, 120)
		if alive[e] != s.alive {
			t.Fatalf("step %d (now %d): alive %v, want %v", i, s.now, alive[e], s.alive)
		}
	}
	if len(aliveExecutors(execs, nil, cache, 300, 120)) != 0 {
		t.Fatal("executor without a start time is alive")
	}
}

func TestJavaHashes(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int32
	}{{"", 0}, {"a", 97}, {"split", 109648666}, {"hello world", 1794106052}, {"\U0001F600", 1772899}} {
		if got := javaStringHash(tc.s); got != tc.want {
			t.Errorf("hash(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}
