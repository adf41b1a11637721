package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/galeproject/gale/client"
	galecluster "github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/stormthrift"
)

// TestNimbusKill9Recovery runs `storm nimbus` as a process on a real
// ZooKeeper, submits a topology, creates a blob, lets the assignment loop
// place the topology on a registered supervisor, then kills Nimbus with
// SIGKILL and starts it again on the same storm.local.dir: every topology,
// blob and assignment must be back, and the assignment must not be
// rewritten.
func TestNimbusKill9Recovery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	servers := zktest.Start(t)
	zkHost, zkPort, err := net.SplitHostPort(servers[0])
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "storm")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root := zktest.Root(t)
	localDir := t.TempDir()
	port := freePort(t)
	args := []string{
		"-c", fmt.Sprintf(`storm.zookeeper.servers=[%q]`, zkHost), "-c", "storm.zookeeper.port=" + zkPort,
		"-c", "storm.zookeeper.root=" + root, "-c", "storm.local.dir=" + localDir,
		"-c", "storm.local.hostname=127.0.0.1", "-c", "nimbus.thrift.port=" + strconv.FormatInt(port, 10),
		"-c", "nimbus.monitor.freq.secs=1", "nimbus",
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "STORM_CONF_DIR="+t.TempDir(), "HOME="+t.TempDir())
		cmd.Stdout, cmd.Stderr = testutil.Writer(t), testutil.Writer(t)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	opts := client.Options{Seeds: []string{"127.0.0.1"}, Port: int(port)}
	leader := func() *client.Client {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for {
			c, err := client.DialLeader(ctx, opts)
			if err == nil {
				return c
			}
			if time.Now().After(deadline) {
				t.Fatalf("nimbus did not lead: %v", err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	// Cluster state as a supervisor sees it: one supervisor with two slots.
	s, err := zk.Dial(ctx, servers, root, 20*time.Second, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	state, err := galecluster.NewContext(ctx, s, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := state.SetSupervisorInfo(ctx, "sup-1", &stormthrift.SupervisorInfo{
		TimeSecs: time.Now().Unix(), Hostname: "127.0.0.1", AssignmentID: strPtr("sup-1"),
		Meta: []int64{6700, 6701}, UsedPorts: []int64{},
	}); err != nil {
		t.Fatal(err)
	}

	nimbus := start()
	c := leader()
	jar := bytes.Repeat([]byte("gale-jar-"), 50_000)
	loc, err := c.BeginFileUpload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(jar); off += 307200 {
		if err := c.UploadChunk(ctx, loc, jar[off:min(off+307200, len(jar))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.FinishFileUpload(ctx, loc); err != nil {
		t.Fatal(err)
	}
	if err := c.SubmitTopology(ctx, "survivor", loc, `{"topology.workers":2}`, twoComponentTopology()); err != nil {
		t.Fatal(err)
	}
	sess, err := c.BeginCreateBlob(ctx, "user-blob", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UploadBlobChunk(ctx, sess, []byte("user data")); err != nil {
		t.Fatal(err)
	}
	if err := c.FinishBlobUpload(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateStateInZookeeper(ctx, "user-blob"); err != nil {
		t.Fatal(err)
	}
	info, err := c.GetClusterInfo(ctx)
	if err != nil || len(info.Topologies) != 1 {
		t.Fatalf("cluster info %v, %v", info, err)
	}
	id := info.Topologies[0].ID
	c.Close()

	// Wait for the assignment and remember its bytes.
	var before []byte
	var beforeVersion int32
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, st, err := s.Get(ctx, "/assignments/"+id)
		if err == nil {
			before, beforeVersion = b, st.Version
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no assignment for %s: %v", id, err)
		}
		time.Sleep(200 * time.Millisecond)
	}

	if err := nimbus.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	nimbus.Wait()
	start()
	c = leader()
	defer c.Close()

	info, err = c.GetClusterInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Topologies) != 1 || info.Topologies[0].ID != id || info.Topologies[0].Status != "ACTIVE" {
		t.Fatalf("topologies after restart: %+v", info.Topologies)
	}
	if info.Topologies[0].NumExecutors == 0 || info.Topologies[0].NumWorkers != 2 {
		t.Errorf("assignment not recovered: %+v", info.Topologies[0])
	}
	if _, err := c.GetTopologyConf(ctx, id); err != nil {
		t.Errorf("getTopologyConf after restart: %v", err)
	}
	for key, want := range map[string][]byte{id + "-stormjar.jar": jar, "user-blob": []byte("user data")} {
		var got bytes.Buffer
		if _, err := c.DownloadBlob(ctx, key, &got); err != nil {
			t.Errorf("blob %s after restart: %v", key, err)
		} else if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("blob %s: %d bytes after restart, want %d", key, got.Len(), len(want))
		}
	}
	code, err := c.DownloadBlob(ctx, id+"-stormcode.ser", &bytes.Buffer{})
	if err != nil || code == 0 {
		t.Errorf("stormcode.ser after restart: %d bytes, %v", code, err)
	}
	// Give the new leader a few assignment passes: an unchanged assignment
	// is never rewritten.
	time.Sleep(3 * time.Second)
	after, st, err := s.Get(ctx, "/assignments/"+id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Version != beforeVersion || !bytes.Equal(after, before) {
		t.Errorf("assignment rewritten after restart (version %d → %d)", beforeVersion, st.Version)
	}
	var a stormthrift.Assignment
	if err := compat.Deserialize(after, &a); err != nil || len(a.ExecutorNodePort) == 0 {
		t.Errorf("assignment after restart: %v, %d executors", err, len(a.ExecutorNodePort))
	}
}

func strPtr(s string) *string { return &s }
func i32Ptr(n int32) *int32   { return &n }

// twoComponentTopology is a spout with two executors feeding a bolt.
func twoComponentTopology() *stormthrift.StormTopology {
	obj := func(class string) *stormthrift.ComponentObject {
		return &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: class, ArgsList: []*stormthrift.JavaObjectArg{}}}
	}
	streams := map[string]*stormthrift.StreamInfo{"default": {OutputFields: []string{"word"}}}
	return &stormthrift.StormTopology{
		Spouts: map[string]*stormthrift.SpoutSpec{"words": {
			SpoutObject: obj("gale.test.Words"),
			Common:      &stormthrift.ComponentCommon{Inputs: map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{}, Streams: streams, ParallelismHint: i32Ptr(2)},
		}},
		Bolts: map[string]*stormthrift.Bolt{"count": {
			BoltObject: obj("gale.test.Count"),
			Common: &stormthrift.ComponentCommon{
				Inputs:  map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{{ComponentId: "words", StreamId: "default"}: {Fields: []string{"word"}}},
				Streams: map[string]*stormthrift.StreamInfo{}, ParallelismHint: i32Ptr(3),
			},
		}},
		StateSpouts: map[string]*stormthrift.StateSpoutSpec{},
	}
}
