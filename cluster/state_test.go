package cluster_test

import (
	"encoding/binary"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/stormthrift"
)

func ptr[T any](v T) *T { return &v }

func TestNewMakesSubtrees(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		st := b.state()
		if _, err := cluster.New(st.Store(), nil); err != nil {
			t.Fatalf("second New: %v", err)
		}
		for _, p := range cluster.StartupSubtrees() {
			data, _, err := st.Store().Get(ctx, p)
			must(t, err)
			if string(data) != "\x07" {
				t.Fatalf("%s holds %v, want 0x07", p, data)
			}
		}
		kids, err := st.Store().Children(ctx, "/")
		must(t, err)
		if len(kids) != 9 {
			t.Fatalf("root children %v", kids)
		}
	})
}

func testAssignment(node string) *stormthrift.Assignment {
	return &stormthrift.Assignment{
		MasterCodeDir: "/var/storm/nimbus/stormdist/t-1-1",
		NodeHost:      map[string]string{node: "host-" + node},
		ExecutorNodePort: []stormthrift.ExecutorNodePort{
			{Executor: []int64{1, 1}, Node: &stormthrift.NodeInfo{Node: node, Port: []int64{6700}}},
			{Executor: []int64{2, 3}, Node: &stormthrift.NodeInfo{Node: node, Port: []int64{6701}}},
		},
		ExecutorStartTimeSecs: []stormthrift.ExecutorStartTime{
			{Executor: []int64{1, 1}, StartTimeSecs: 1000}, {Executor: []int64{2, 3}, StartTimeSecs: 1000},
		},
	}
}

func TestAssignments(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		nimbus, sup := b.state(), b.state()

		ids, idsW, err := sup.AssignmentIDsW(ctx)
		must(t, err)
		if len(ids) != 0 {
			t.Fatalf("ids %v", ids)
		}
		a, v, aW, err := sup.AssignmentW(ctx, "t-1-1")
		must(t, err)
		if a != nil || v != 0 {
			t.Fatalf("missing assignment read as %v v%d", a, v)
		}

		must(t, nimbus.SetAssignment(ctx, "t-1-1", testAssignment("sup1")))
		if ev := waitEvent(t, idsW); ev.Type != store.EventChildrenChanged || ev.Path != cluster.AssignmentsRoot {
			t.Fatalf("ids event %+v", ev)
		}
		if ev := waitEvent(t, aW); ev.Type != store.EventCreated {
			t.Fatalf("assignment event %+v", ev)
		}
		ids, err = sup.AssignmentIDs(ctx)
		must(t, err)
		if !slices.Equal(ids, []string{"t-1-1"}) {
			t.Fatalf("ids %v", ids)
		}
		a, v, aW, err = sup.AssignmentW(ctx, "t-1-1")
		must(t, err)
		if v != 0 {
			t.Fatalf("version %d", v)
		}
		sameThrift(t, a, testAssignment("sup1"))

		must(t, nimbus.SetAssignment(ctx, "t-1-1", testAssignment("sup2")))
		if ev := waitEvent(t, aW); ev.Type != store.EventDataChanged || ev.Path != "/assignments/t-1-1" {
			t.Fatalf("assignment event %+v", ev)
		}
		a, v, err = sup.Assignment(ctx, "t-1-1")
		must(t, err)
		sameThrift(t, a, testAssignment("sup2"))
		if ver, ok, err := sup.AssignmentVersion(ctx, "t-1-1"); err != nil || !ok || ver != 1 || v != 1 {
			t.Fatalf("version %d/%d %v %v", v, ver, ok, err)
		}

		// The payload is Storm's gzip-thrift.
		raw, _, err := sup.Store().Get(ctx, "/assignments/t-1-1")
		must(t, err)
		if raw[0] != 0x1f || raw[1] != 0x8b {
			t.Fatalf("payload is not gzip: % x", raw[:4])
		}
		var back stormthrift.Assignment
		must(t, compat.Deserialize(raw, &back))
		sameThrift(t, &back, testAssignment("sup2"))

		must(t, nimbus.RemoveAssignment(ctx, "t-1-1"))
		must(t, nimbus.RemoveAssignment(ctx, "t-1-1"))
		a, _, err = sup.Assignment(ctx, "t-1-1")
		if err != nil || a != nil {
			t.Fatalf("removed assignment: %v %v", a, err)
		}
		if _, ok, _ := sup.AssignmentVersion(ctx, "t-1-1"); ok {
			t.Fatal("version of removed assignment")
		}
	})
}

func TestStorms(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		st := b.state()
		base := &stormthrift.StormBase{
			Name: "wc", Status: stormthrift.TopologyStatus_ACTIVE, NumWorkers: 2,
			ComponentExecutors: map[string]int32{"spout": 2, "count": 4},
			LaunchTimeSecs:     ptr[int32](1000), Owner: ptr("alice"),
		}
		got, ch, err := st.StormBaseW(ctx, "wc-1-1000")
		must(t, err)
		if got != nil {
			t.Fatalf("missing base read as %v", got)
		}
		must(t, st.SetStormBase(ctx, "wc-1-1000", base))
		waitEvent(t, ch)
		got, ch, err = st.StormBaseW(ctx, "wc-1-1000")
		must(t, err)
		sameThrift(t, got, base)
		base.Status = stormthrift.TopologyStatus_INACTIVE
		must(t, st.SetStormBase(ctx, "wc-1-1000", base))
		if ev := waitEvent(t, ch); ev.Type != store.EventDataChanged {
			t.Fatalf("event %+v", ev)
		}
		ids, err := st.StormIDs(ctx)
		must(t, err)
		if !slices.Equal(ids, []string{"wc-1-1000"}) {
			t.Fatalf("ids %v", ids)
		}

		// remove-storm! takes everything keyed by the topology.
		must(t, st.SetAssignment(ctx, "wc-1-1000", testAssignment("s")))
		must(t, st.SetCredentials(ctx, "wc-1-1000", &stormthrift.Credentials{Creds: map[string]string{}}))
		must(t, st.SetLogConfig(ctx, "wc-1-1000", &stormthrift.LogConfig{}))
		must(t, st.SetWorkerProfileRequest(ctx, "wc-1-1000", &stormthrift.ProfileRequest{
			NodeInfo: &stormthrift.NodeInfo{Node: "h", Port: []int64{6700}}, Action: stormthrift.ProfileAction_JSTACK_DUMP}))
		_, ch, err = st.StormBaseW(ctx, "wc-1-1000")
		must(t, err)
		must(t, st.RemoveStorm(ctx, "wc-1-1000"))
		if ev := waitEvent(t, ch); ev.Type != store.EventDeleted {
			t.Fatalf("event %+v", ev)
		}
		for _, p := range []string{"/assignments/wc-1-1000", "/credentials/wc-1-1000", "/logconfigs/wc-1-1000",
			"/profilerconfigs/wc-1-1000", "/storms/wc-1-1000"} {
			if ok, _, err := st.Store().Exists(ctx, p); err != nil || ok {
				t.Fatalf("%s left after remove-storm: %v %v", p, ok, err)
			}
		}
	})
}

func TestSupervisors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		nimbus := b.state()
		supStore := b.open()
		sup, err := cluster.New(supStore, nil)
		must(t, err)
		info := &stormthrift.SupervisorInfo{TimeSecs: 10, Hostname: "host1", AssignmentID: ptr("sup-1"),
			UsedPorts: []int64{}, Meta: []int64{6700, 6701}, UptimeSecs: ptr[int64](5), Version: ptr("1.0.0")}
		_, ch, err := nimbus.SupervisorIDsW(ctx)
		must(t, err)
		must(t, sup.SetSupervisorInfo(ctx, "sup-1", info))
		waitEvent(t, ch)
		info.TimeSecs = 15
		must(t, sup.SetSupervisorInfo(ctx, "sup-1", info))
		got, err := nimbus.SupervisorInfo(ctx, "sup-1")
		must(t, err)
		sameThrift(t, got, info)
		_, stat, err := nimbus.Store().Get(ctx, "/supervisors/sup-1")
		must(t, err)
		if stat.EphemeralOwner != supStore.SessionID() {
			t.Fatalf("supervisor node owner %d, want the supervisor's session %d", stat.EphemeralOwner, supStore.SessionID())
		}
		ids, err := nimbus.SupervisorIDs(ctx)
		must(t, err)
		if !slices.Equal(ids, []string{"sup-1"}) {
			t.Fatalf("ids %v", ids)
		}
		must(t, supStore.Close())
		got, err = nimbus.SupervisorInfo(ctx, "sup-1")
		if err != nil || got != nil {
			t.Fatalf("dead supervisor read as %v %v", got, err)
		}
	})
}

func testHeartbeat(stormID string, t int32) *stormthrift.ClusterWorkerHeartbeat {
	return &stormthrift.ClusterWorkerHeartbeat{
		StormID: stormID,
		ExecutorStats: map[*stormthrift.ExecutorInfo]*stormthrift.ExecutorStats{
			{TaskStart: 1, TaskEnd: 1}: {
				Emitted:     map[string]map[string]int64{"600": {"default": 10}},
				Transferred: map[string]map[string]int64{"600": {"default": 10}},
				Specific:    &stormthrift.ExecutorSpecificStats{Bolt: &stormthrift.BoltStats{}},
				Rate:        1,
			},
		},
		TimeSecs: t, UptimeSecs: 3,
	}
}

func TestHeartbeats(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		st := b.state()
		must(t, st.SetupHeartbeats(ctx, "t-1"))
		must(t, st.SetWorkerHeartbeat(ctx, "t-1", "sup-a", 6700, testHeartbeat("t-1", 100)))
		must(t, st.SetWorkerHeartbeat(ctx, "t-1", "sup-b-x", 6701, testHeartbeat("t-1", 101)))
		must(t, st.SetWorkerHeartbeat(ctx, "t-1", "sup-a", 6700, testHeartbeat("t-1", 102)))
		hb, err := st.WorkerHeartbeat(ctx, "t-1", "sup-a", 6700)
		must(t, err)
		if hb.TimeSecs != 102 || len(hb.ExecutorStats) != 1 {
			t.Fatalf("heartbeat %v", hb)
		}
		all, err := st.WorkerHeartbeats(ctx, "t-1")
		must(t, err)
		if len(all) != 2 || all["sup-a-6700"] == nil || all["sup-b-x-6701"].TimeSecs != 101 {
			t.Fatalf("heartbeats %v", all)
		}
		node, port, err := cluster.SplitNodePort("sup-b-x-6701")
		if err != nil || node != "sup-b-x" || port != 6701 {
			t.Fatalf("split %q %d %v", node, port, err)
		}
		storms, err := st.HeartbeatStorms(ctx)
		must(t, err)
		if !slices.Equal(storms, []string{"t-1"}) {
			t.Fatalf("storms %v", storms)
		}
		must(t, st.RemoveWorkerHeartbeat(ctx, "t-1", "sup-a", 6700))
		if hb, err := st.WorkerHeartbeat(ctx, "t-1", "sup-a", 6700); err != nil || hb != nil {
			t.Fatalf("removed heartbeat %v %v", hb, err)
		}
		must(t, st.TeardownHeartbeats(ctx, "t-1"))
		storms, err = st.HeartbeatStorms(ctx)
		must(t, err)
		if len(storms) != 0 {
			t.Fatalf("storms after teardown %v", storms)
		}
		all, err = st.WorkerHeartbeats(ctx, "t-1")
		if err != nil || len(all) != 0 {
			t.Fatalf("heartbeats after teardown %v %v", all, err)
		}
	})
}

func TestErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		st := b.state()
		const comp = "split sentence/ü"
		start := time.Unix(1_000_000, 0)
		for i := range 12 {
			must(t, st.ReportError(ctx, "t-1", comp, "host1", 6700, fmt.Sprintf("boom %d", i), start.Add(time.Duration(i)*time.Second)))
		}
		errs, err := st.Errors(ctx, "t-1", comp)
		must(t, err)
		if len(errs) != cluster.MaxErrorsKept {
			t.Fatalf("%d errors kept", len(errs))
		}
		for i, e := range errs {
			want := fmt.Sprintf("boom %d", 11-i)
			if e.Error != want || e.ErrorTimeSecs != int32(start.Unix())+int32(11-i) || *e.Host != "host1" || *e.Port != 6700 {
				t.Fatalf("error %d = %v, want %q", i, e, want)
			}
		}
		dir := "/errors/t-1/split%20sentence%2F%C3%BC"
		kids, err := st.Store().Children(ctx, dir)
		must(t, err)
		slices.Sort(kids)
		if len(kids) != 10 || kids[0] != "e0000000002" || kids[9] != "e0000000011" {
			t.Fatalf("error nodes %v", kids)
		}
		last, err := st.LastError(ctx, "t-1", comp)
		must(t, err)
		if last.Error != "boom 11" {
			t.Fatalf("last error %v", last)
		}
		if ok, _, _ := st.Store().Exists(ctx, dir+"-last-error"); !ok {
			t.Fatal("no -last-error node")
		}
		if e, err := st.LastError(ctx, "t-1", "other"); e != nil || err != nil {
			t.Fatalf("last error of a quiet component: %v %v", e, err)
		}
		if e, err := st.Errors(ctx, "t-1", "other"); len(e) != 0 || err != nil {
			t.Fatalf("errors of a quiet component: %v %v", e, err)
		}
		tops, err := st.ErrorTopologies(ctx)
		must(t, err)
		if !slices.Equal(tops, []string{"t-1"}) {
			t.Fatalf("error topologies %v", tops)
		}
		must(t, st.TeardownErrors(ctx, "t-1"))
		if tops, _ := st.ErrorTopologies(ctx); len(tops) != 0 {
			t.Fatalf("after teardown %v", tops)
		}
	})
}

func TestNimbuses(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		reader := b.state()
		nimbusStore := b.open()
		nimbus, err := cluster.New(nimbusStore, nil)
		must(t, err)
		sum := &stormthrift.NimbusSummary{Host: "n1", Port: 6627, UptimeSecs: 1_700_000_000, Version: "1.0.0"}
		must(t, nimbus.AddNimbusHost(ctx, "n1:6627", sum))
		must(t, nimbus.AddNimbusHost(ctx, "n1:6627", sum))
		must(t, reader.AddNimbusHost(ctx, "n2:6627", &stormthrift.NimbusSummary{Host: "n2", Port: 6627, Version: "1.0.0"}))
		all, err := reader.NimbusSummaries(ctx)
		must(t, err)
		if len(all) != 2 {
			t.Fatalf("summaries %v", all)
		}
		must(t, nimbusStore.Close())
		all, err = reader.NimbusSummaries(ctx)
		must(t, err)
		if len(all) != 1 || all[0].Host != "n2" {
			t.Fatalf("summaries after n1 left: %v", all)
		}
	})
}

func TestBlobstore(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		n1, n2 := b.state(), b.state()
		const key = "wc-1-1000-stormjar.jar"
		must(t, n1.SetupBlobstore(ctx, key, "n1:6627", 1))
		must(t, n1.SetupBlobstore(ctx, key, "n1:6627", 2))
		must(t, n2.SetupBlobstore(ctx, key, "n2:6627", 2))
		info, err := n1.BlobstoreInfo(ctx, key)
		must(t, err)
		slices.Sort(info)
		if !slices.Equal(info, []string{"n1:6627-2", "n2:6627-2"}) {
			t.Fatalf("holders %v", info)
		}
		data, stat, err := n1.Store().Get(ctx, "/blobstore/"+key+"/n1:6627-2")
		must(t, err)
		if len(data) != 0 || stat.EphemeralOwner != n1.Store().SessionID() {
			t.Fatalf("holder node data %v owner %d", data, stat.EphemeralOwner)
		}
		keys, err := n2.BlobstoreKeys(ctx)
		must(t, err)
		if !slices.Equal(keys, []string{key}) {
			t.Fatalf("keys %v", keys)
		}
		if info, err := n1.BlobstoreInfo(ctx, "nope"); err != nil || info != nil {
			t.Fatalf("unknown key %v %v", info, err)
		}

		if _, ok, err := n1.MaxKeySequence(ctx, key); ok || err != nil {
			t.Fatalf("sequence before any: %v %v", ok, err)
		}
		must(t, n1.SetMaxKeySequence(ctx, key, 1))
		must(t, n1.SetMaxKeySequence(ctx, key, 2))
		n, ok, err := n2.MaxKeySequence(ctx, key)
		if err != nil || !ok || n != 2 {
			t.Fatalf("sequence %d %v %v", n, ok, err)
		}
		raw, _, err := n1.Store().Get(ctx, "/blobstoremaxkeysequencenumber/"+key)
		must(t, err)
		if binary.BigEndian.Uint32(raw) != 2 || len(raw) != 4 {
			t.Fatalf("sequence bytes % x", raw)
		}
		must(t, n1.RemoveKeyVersion(ctx, key))
		if _, ok, _ := n1.MaxKeySequence(ctx, key); ok {
			t.Fatal("sequence after remove")
		}
		must(t, n1.RemoveBlobstoreKey(ctx, key))
		if keys, _ := n2.BlobstoreKeys(ctx); len(keys) != 0 {
			t.Fatalf("keys after remove %v", keys)
		}
	})
}

func TestBackpressure(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		nimbus, worker := b.state(), b.state()
		on, err := nimbus.TopologyBackpressure(ctx, "t-1")
		if on || err != nil {
			t.Fatalf("before setup: %v %v", on, err)
		}
		must(t, nimbus.SetupBackpressure(ctx, "t-1"))
		on, ch, err := nimbus.TopologyBackpressureW(ctx, "t-1")
		must(t, err)
		if on {
			t.Fatal("throttled with no congested worker")
		}
		must(t, worker.WorkerBackpressure(ctx, "t-1", "sup-1", 6700, true))
		must(t, worker.WorkerBackpressure(ctx, "t-1", "sup-1", 6700, true))
		waitEvent(t, ch)
		if on, _ := nimbus.TopologyBackpressure(ctx, "t-1"); !on {
			t.Fatal("not throttled")
		}
		_, stat, err := nimbus.Store().Get(ctx, "/backpressure/t-1/sup-1-6700")
		must(t, err)
		if stat.EphemeralOwner != worker.Store().SessionID() {
			t.Fatal("backpressure node is not the worker's ephemeral")
		}
		must(t, worker.WorkerBackpressure(ctx, "t-1", "sup-1", 6700, false))
		must(t, worker.WorkerBackpressure(ctx, "t-1", "sup-1", 6700, false))
		if on, _ := nimbus.TopologyBackpressure(ctx, "t-1"); on {
			t.Fatal("still throttled")
		}
		tops, err := nimbus.BackpressureTopologies(ctx)
		must(t, err)
		if !slices.Equal(tops, []string{"t-1"}) {
			t.Fatalf("topologies %v", tops)
		}
		must(t, nimbus.RemoveBackpressure(ctx, "t-1"))
		if tops, _ := nimbus.BackpressureTopologies(ctx); len(tops) != 0 {
			t.Fatalf("after remove %v", tops)
		}
	})
}

func TestTopologyConfigs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b *backend) {
		ctx := ctxT(t)
		nimbus, worker := b.state(), b.state()

		c, ch, err := worker.CredentialsW(ctx, "t-1")
		if c != nil || err != nil {
			t.Fatalf("credentials before any: %v %v", c, err)
		}
		creds := &stormthrift.Credentials{Creds: map[string]string{"k": "v"}}
		must(t, nimbus.SetCredentials(ctx, "t-1", creds))
		waitEvent(t, ch)
		c, err = worker.Credentials(ctx, "t-1")
		must(t, err)
		sameThrift(t, c, creds)

		lc := &stormthrift.LogConfig{NamedLoggerLevel: map[string]*stormthrift.LogLevel{
			"ROOT": {Action: stormthrift.LogLevelAction_UPDATE, TargetLogLevel: ptr("DEBUG")}}}
		_, ch, err = worker.LogConfigW(ctx, "t-1")
		must(t, err)
		must(t, nimbus.SetLogConfig(ctx, "t-1", lc))
		waitEvent(t, ch)
		got, err := worker.LogConfig(ctx, "t-1")
		must(t, err)
		sameThrift(t, got, lc)

		reqs := []*stormthrift.ProfileRequest{
			{NodeInfo: &stormthrift.NodeInfo{Node: "h1", Port: []int64{6700}}, Action: stormthrift.ProfileAction_JPROFILE_STOP, TimeStamp: ptr[int64](5)},
			{NodeInfo: &stormthrift.NodeInfo{Node: "h1", Port: []int64{6700}}, Action: stormthrift.ProfileAction_JSTACK_DUMP, TimeStamp: ptr[int64](6)},
			{NodeInfo: &stormthrift.NodeInfo{Node: "h2", Port: []int64{6701}}, Action: stormthrift.ProfileAction_JMAP_DUMP, TimeStamp: ptr[int64](7)},
		}
		for _, r := range reqs {
			must(t, nimbus.SetWorkerProfileRequest(ctx, "t-1", r))
		}
		kids, err := nimbus.Store().Children(ctx, "/profilerconfigs/t-1")
		must(t, err)
		slices.Sort(kids)
		if !slices.Equal(kids, []string{"h1_6700_JPROFILE_STOP", "h1_6700_JSTACK_DUMP", "h2_6701_JMAP_DUMP"}) {
			t.Fatalf("profiler nodes %v", kids)
		}
		all, err := worker.ProfileRequests(ctx, "t-1")
		must(t, err)
		if len(all) != 3 {
			t.Fatalf("requests %v", all)
		}
		mine, err := worker.WorkerProfileRequests(ctx, "t-1", "h1", 6700)
		must(t, err)
		if len(mine) != 2 {
			t.Fatalf("h1:6700 requests %v", mine)
		}
		must(t, nimbus.DeleteProfileRequest(ctx, "t-1", reqs[0]))
		all, err = worker.ProfileRequests(ctx, "t-1")
		must(t, err)
		if len(all) != 2 {
			t.Fatalf("after delete %v", all)
		}
		if none, err := worker.ProfileRequests(ctx, "t-2"); err != nil || len(none) != 0 {
			t.Fatalf("other topology %v %v", none, err)
		}
	})
}
