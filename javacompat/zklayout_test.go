package javacompat

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/stormthrift"
)

// TestZKLayout submits with StormSubmitter, checks the 1.0.0 paths under
// the ZooKeeper root, registers a supervisor whose SupervisorInfo bytes come
// from Storm's Utils.serialize, and has Storm's Utils.deserialize decode
// the nodes Gale wrote.
func TestZKLayout(t *testing.T) {
	c := startCluster(t)
	ctx := context.Background()
	dir := t.TempDir()
	supFile := filepath.Join(dir, "supervisor.bin")
	c.java(t,
		[]string{"submit", "zk", "word"},
		[]string{"encode-supervisor", supFile, "sup-java", "127.0.0.1", "6700", "6701", "6702"},
	)[0].must(t)
	id := c.topologyID(t, "zk")
	hostPort := "127.0.0.1:" + strconv.Itoa(c.port)

	// Directory nodes hold the single byte 0x07.
	for _, p := range append(cluster.StartupSubtrees(), "/workerbeats/"+id, "/backpressure/"+id) {
		data, _, err := c.store.Get(ctx, p)
		if err != nil || !bytes.Equal(data, []byte{7}) {
			t.Errorf("%s: data %x, err %v; want 07", p, data, err)
		}
	}
	for _, p := range []string{"/storms/" + id, "/credentials/" + id, "/nimbuses/" + hostPort} {
		if ok, _, err := c.store.Exists(ctx, p); !ok || err != nil {
			t.Errorf("%s missing (err %v)", p, err)
		}
	}
	for _, suffix := range []string{"-stormjar.jar", "-stormcode.ser", "-stormconf.ser"} {
		key := id + suffix
		kids, err := c.store.Children(ctx, "/blobstore/"+key)
		if err != nil || !slices.Equal(kids, []string{hostPort + "-1"}) {
			t.Errorf("/blobstore/%s children %q (err %v), want [%s-1]", key, kids, err, hostPort)
		}
		seq, _, err := c.store.Get(ctx, "/blobstoremaxkeysequencenumber/"+key)
		if err != nil || len(seq) != 4 || binary.BigEndian.Uint32(seq) != 1 {
			t.Errorf("/blobstoremaxkeysequencenumber/%s = %x (err %v), want 00000001", key, seq, err)
		}
	}
	latch, err := c.store.Children(ctx, "/leader-lock")
	if err != nil || len(latch) != 1 || !regexp.MustCompile(`^_c_[0-9a-f-]{36}-latch-\d{10}$`).MatchString(latch[0]) {
		t.Errorf("/leader-lock children %q (err %v), want one Curator protected latch node", latch, err)
	} else if data, _, err := c.store.Get(ctx, "/leader-lock/"+latch[0]); err != nil || string(data) != hostPort {
		t.Errorf("latch node data %q (err %v), want %q", data, err, hostPort)
	}
	// No supervisor yet: Nimbus 1.0.0 writes no assignment.
	time.Sleep(1500 * time.Millisecond) // > nimbus.monitor.freq.secs
	if ok, _, _ := c.store.Exists(ctx, "/assignments/"+id); ok {
		t.Errorf("/assignments/%s exists before any supervisor registered", id)
	}

	// A supervisor heartbeat with Java's bytes: Gale reads it and assigns.
	sup := readFile(t, supFile)
	if _, err := c.store.Create(ctx, "/supervisors/sup-java", sup, store.Ephemeral); err != nil {
		t.Fatal(err)
	}
	info, err := c.state.SupervisorInfo(ctx, "sup-java")
	if err != nil || info == nil {
		t.Fatalf("cluster.State.SupervisorInfo of Java bytes: %v", err)
	}
	if info.Hostname != "127.0.0.1" || !slices.Equal(info.Meta, []int64{6700, 6701, 6702}) ||
		info.AssignmentID == nil || *info.AssignmentID != "sup-java" || info.Version == nil || *info.Version != "1.0.0" {
		t.Errorf("SupervisorInfo from Java decoded as %+v", info)
	}
	waitFor(t, 20*time.Second, func() error {
		a, _, err := c.state.Assignment(ctx, id)
		if err == nil && (a == nil || len(a.ExecutorNodePort) == 0) {
			err = errors.New("no assignment yet")
		}
		return err
	})

	// Storm's Utils.deserialize reads every node Gale wrote.
	r := c.java(t,
		[]string{"decode", "StormBase", c.dump(t, dir, "/storms/"+id)},
		[]string{"decode", "Assignment", c.dump(t, dir, "/assignments/"+id)},
		[]string{"decode", "Credentials", c.dump(t, dir, "/credentials/"+id)},
		[]string{"decode", "NimbusSummary", c.dump(t, dir, "/nimbuses/"+hostPort)},
		[]string{"decode", "SupervisorInfo", c.dump(t, dir, "/supervisors/sup-java")},
		[]string{"list"},
	)
	var base struct {
		Value struct {
			Name               string         `json:"name"`
			NumWorkers         int            `json:"num_workers"`
			LaunchTimeSecs     int64          `json:"launch_time_secs"`
			Owner              string         `json:"owner"`
			ComponentExecutors map[string]int `json:"component_executors"`
			ComponentDebug     map[string]any `json:"component_debug"`
		} `json:"value"`
		StatusName string `json:"status_name"`
	}
	r[0].must(t).decode(t, &base)
	b := base.Value
	if b.Name != "zk" || base.StatusName != "ACTIVE" || b.NumWorkers != 2 || b.Owner == "" ||
		time.Since(time.Unix(b.LaunchTimeSecs, 0)).Abs() > time.Hour ||
		b.ComponentExecutors["words"] != 2 || b.ComponentExecutors["count"] != 3 || b.ComponentExecutors["__acker"] != 2 {
		t.Errorf("StormBase as Java reads it: %+v status %s", b, base.StatusName)
	}

	var asg struct {
		Value struct {
			MasterCodeDir string            `json:"master_code_dir"`
			NodeHost      map[string]string `json:"node_host"`
			Executors     []struct {
				Executor  []int64 `json:"executor"`
				Node      string  `json:"node"`
				Ports     []int64 `json:"ports"`
				StartTime *int64  `json:"start_time_secs"`
			} `json:"executor_node_port"`
			StartTimes int `json:"executor_start_time_secs_size"`
		} `json:"value"`
	}
	r[1].must(t).decode(t, &asg)
	a := asg.Value
	if a.NodeHost["sup-java"] != "127.0.0.1" || len(a.NodeHost) != 1 {
		t.Errorf("node_host = %v, want sup-java -> 127.0.0.1", a.NodeHost)
	}
	tasks := map[int64]bool{}
	slots := map[int64]bool{}
	for _, e := range a.Executors {
		if len(e.Executor) != 2 || e.Node != "sup-java" || len(e.Ports) != 1 || e.StartTime == nil {
			t.Errorf("executor entry %+v", e)
			continue
		}
		for tk := e.Executor[0]; tk <= e.Executor[1]; tk++ {
			tasks[tk] = true
		}
		slots[e.Ports[0]] = true
	}
	if len(tasks) != 7 || !tasks[1] || !tasks[7] { // words 2 + count 3 + __acker 2
		t.Errorf("assigned tasks %v, want 1..7", tasks)
	}
	if len(slots) != 2 || a.StartTimes != len(a.Executors) {
		t.Errorf("slots %v (want 2 workers), %d start times for %d executors", slots, a.StartTimes, len(a.Executors))
	}

	var creds struct {
		Value struct {
			Creds map[string]string `json:"creds"`
		} `json:"value"`
	}
	r[2].must(t).decode(t, &creds)
	if creds.Value.Creds == nil || len(creds.Value.Creds) != 0 {
		t.Errorf("Credentials as Java reads them: %+v, want empty creds", creds.Value)
	}

	var ns struct {
		Value struct {
			Host     string `json:"host"`
			Port     int    `json:"port"`
			Uptime   int64  `json:"uptime_secs"`
			IsLeader int    `json:"isLeader"` // TSimpleJSONProtocol writes bools as 0/1
			Version  string `json:"version"`
		} `json:"value"`
	}
	r[3].must(t).decode(t, &ns)
	if ns.Value.Host != "127.0.0.1" || ns.Value.Port != c.port || ns.Value.Version != "1.0.0" || ns.Value.IsLeader != 0 ||
		time.Since(time.Unix(ns.Value.Uptime, 0)).Abs() > time.Hour {
		t.Errorf("NimbusSummary node as Java reads it: %+v (uptime_secs must be the start time, isLeader false)", ns.Value)
	}
	r[4].must(t)
	l := r[5].list(t)
	if l.Supervisors != 1 {
		t.Errorf("getClusterInfo lists %d supervisors, want 1", l.Supervisors)
	}
	if tp, ok := l.find("zk"); !ok || tp.NumExecutors != 7 || tp.NumTasks != 7 || tp.NumWorkers != 2 {
		t.Errorf("topology summary after assignment: %+v, want 7 executors, 7 tasks, 2 workers", tp)
	}

	checkStormState(t, c, id, hostPort)
}

// checkStormState reads the cluster state with Storm's own Clojure code
// (mk-storm-cluster-state over its shaded Curator/ZooKeeper 3.4 client, and
// the Curator leader elector Nimbus uses), as a Java supervisor, worker or
// second Nimbus would.
func checkStormState(t *testing.T, c *galeCluster, id, hostPort string) {
	t.Helper()
	var st struct {
		State struct {
			Assignments     []string `json:"assignments"`
			ActiveStorms    []string `json:"active_storms"`
			HeartbeatStorms []string `json:"heartbeat_storms"`
			Supervisors     []string `json:"supervisors"`
			StormBase       struct {
				Name               string         `json:"name"`
				Status             string         `json:"status"`
				NumWorkers         int            `json:"num_workers"`
				ComponentExecutors map[string]int `json:"component_executors"`
			} `json:"storm_base"`
			AssignmentVersion *int `json:"assignment_version"`
			Assignment        struct {
				MasterCodeDir string            `json:"master_code_dir"`
				NodeHost      map[string]string `json:"node_host"`
				Executors     []struct {
					Executor []int64 `json:"executor"`
					Node     string  `json:"node"`
					Port     int     `json:"port"`
				} `json:"executors"`
				StartTimes int `json:"start_times"`
			} `json:"assignment"`
			Supervisor struct {
				Hostname     string  `json:"hostname"`
				AssignmentID string  `json:"assignment_id"`
				Meta         []int64 `json:"meta"`
				Version      string  `json:"version"`
			} `json:"supervisor"`
			Credentials map[string]string `json:"credentials"`
			Nimbuses    []struct {
				Host    string `json:"host"`
				Port    int    `json:"port"`
				Version string `json:"version"`
			} `json:"nimbuses"`
			Blobstore    map[string][]string `json:"blobstore"`
			Backpressure *bool               `json:"backpressure"`
			Leader       string              `json:"leader"`
			AllNimbuses  []string            `json:"all_nimbuses"`
		} `json:"state"`
	}
	c.java(t, []string{"storm-state", c.zkHost, c.zkPort, c.root, id, "sup-java"})[0].must(t).decode(t, &st)
	s := st.State
	for name, ids := range map[string][]string{"assignments": s.Assignments, "active-storms": s.ActiveStorms,
		"heartbeat-storms": s.HeartbeatStorms} {
		if !slices.Equal(ids, []string{id}) {
			t.Errorf("Storm's %s = %q, want [%s]", name, ids, id)
		}
	}
	if !slices.Equal(s.Supervisors, []string{"sup-java"}) {
		t.Errorf("Storm's supervisors = %q", s.Supervisors)
	}
	if b := s.StormBase; b.Name != "zk" || b.Status != "active" || b.NumWorkers != 2 || b.ComponentExecutors["count"] != 3 {
		t.Errorf("Storm's storm-base = %+v", b)
	}
	a := s.Assignment
	if s.AssignmentVersion == nil || a.MasterCodeDir == "" || a.NodeHost["sup-java"] != "127.0.0.1" ||
		len(a.Executors) == 0 || a.StartTimes != len(a.Executors) {
		t.Errorf("Storm's assignment-info-with-version = version %v %+v", s.AssignmentVersion, a)
	}
	for _, e := range a.Executors {
		if len(e.Executor) != 2 || e.Node != "sup-java" || e.Port < 6700 || e.Port > 6702 {
			t.Errorf("Storm's executor->node+port entry %+v", e)
		}
	}
	if sv := s.Supervisor; sv.Hostname != "127.0.0.1" || sv.AssignmentID != "sup-java" || sv.Version != "1.0.0" ||
		!slices.Equal(sv.Meta, []int64{6700, 6701, 6702}) {
		t.Errorf("Storm's supervisor-info = %+v", sv)
	}
	if s.Credentials == nil || len(s.Credentials) != 0 {
		t.Errorf("Storm's credentials = %v, want {}", s.Credentials)
	}
	if len(s.Nimbuses) != 1 || s.Nimbuses[0].Host != "127.0.0.1" || s.Nimbuses[0].Port != c.port || s.Nimbuses[0].Version != "1.0.0" {
		t.Errorf("Storm's nimbuses = %+v", s.Nimbuses)
	}
	for _, suffix := range []string{"-stormjar.jar", "-stormcode.ser", "-stormconf.ser"} {
		if kids := s.Blobstore[id+suffix]; !slices.Equal(kids, []string{hostPort + "-1"}) {
			t.Errorf("Storm's blobstore-info %s = %q", id+suffix, kids)
		}
	}
	if s.Backpressure == nil || *s.Backpressure {
		t.Errorf("Storm's topology-backpressure = %v, want false", s.Backpressure)
	}
	if s.Leader != hostPort || !slices.Equal(s.AllNimbuses, []string{hostPort}) {
		t.Errorf("Storm's leader elector: leader %q, all %q; want %s", s.Leader, s.AllNimbuses, hostPort)
	}
}

// TestJavaWrittenNodes has Storm's Utils.serialize write node payloads and
// reads them with Gale's compat.Deserialize and cluster.State.
func TestJavaWrittenNodes(t *testing.T) {
	c := startJava(t)
	dir := t.TempDir()
	sb, cr := filepath.Join(dir, "stormbase.bin"), filepath.Join(dir, "creds.bin")
	for _, r := range c.java(t,
		[]string{"encode-stormbase", sb, "from-java", "alice"},
		[]string{"encode-credentials", cr, "token=abc", "user=alice"},
	) {
		r.must(t)
	}
	var base stormthrift.StormBase
	if err := compat.Deserialize(readFile(t, sb), &base); err != nil {
		t.Fatalf("compat.Deserialize(StormBase from Java): %v", err)
	}
	checkBase := func(b *stormthrift.StormBase) {
		t.Helper()
		if b.Name != "from-java" || b.Status != stormthrift.TopologyStatus_INACTIVE || b.NumWorkers != 3 ||
			b.LaunchTimeSecs == nil || *b.LaunchTimeSecs != 1460000000 || b.Owner == nil || *b.Owner != "alice" ||
			b.ComponentExecutors["spout"] != 2 || b.ComponentExecutors["__acker"] != 1 {
			t.Errorf("StormBase from Java read as %+v", b)
		}
	}
	checkBase(&base)
	var creds stormthrift.Credentials
	if err := compat.Deserialize(readFile(t, cr), &creds); err != nil {
		t.Fatalf("compat.Deserialize(Credentials from Java): %v", err)
	}
	if creds.Creds["token"] != "abc" || creds.Creds["user"] != "alice" || len(creds.Creds) != 2 {
		t.Errorf("Credentials from Java read as %v", creds.Creds)
	}

	// Through ZooKeeper and cluster.State, in a root of its own so that
	// the running Nimbus does not see a topology without code.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := zk.Dial(ctx, zktest.Start(t), zktest.Root(t), 10*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := cluster.NewContext(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, "/storms/java-1-1", readFile(t, sb), store.Persistent); err != nil {
		t.Fatal(err)
	}
	if err := store.Mkdirs(ctx, s, "/credentials", compat.DirNodeData()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, "/credentials/java-1-1", readFile(t, cr), store.Persistent); err != nil {
		t.Fatal(err)
	}
	got, err := st.StormBase(ctx, "java-1-1")
	if err != nil || got == nil {
		t.Fatalf("cluster.State.StormBase: %v %v", got, err)
	}
	checkBase(got)
	gc, err := st.Credentials(ctx, "java-1-1")
	if err != nil || gc == nil || gc.Creds["token"] != "abc" {
		t.Errorf("cluster.State.Credentials: %+v %v", gc, err)
	}
}
