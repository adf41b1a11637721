package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/embedded"
	"github.com/galeproject/gale/internal/stormjava"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/stormthrift"
)

// testLogger logs at info and above into t's output until the test ends.
func testLogger(t *testing.T) *slog.Logger { return testutil.Logger(t, slog.LevelInfo) }

// cluster is an embedded cluster plus a way to run the storm command
// against it in-process.
type cluster struct {
	t    *testing.T
	c    *embedded.Cluster
	port int64
	env  map[string]string
}

// newCLI is a storm command environment with no configuration files.
func newCLI(t *testing.T) *cluster {
	home := t.TempDir()
	return &cluster{t: t, env: map[string]string{
		"HOME":           home,
		"STORM_CONF_DIR": filepath.Join(home, "conf"),
		"STORM_HOME":     home,
	}}
}

func startCluster(t *testing.T) *cluster {
	t.Helper()
	logger := testLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// No supervisors: these tests drive Nimbus through the CLI, and their
	// placeholder topologies could not run in a worker.
	c, err := embedded.Start(ctx, embedded.Options{Conf: conf.Conf{conf.NimbusThriftPort: int64(0)}, Logger: logger, Supervisors: -1})
	if err != nil {
		t.Fatalf("embedded.Start: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("cluster Close: %v", err)
		}
	})
	cl := newCLI(t)
	cl.c, cl.port = c, c.ClientConf().IntOr(conf.NimbusThriftPort, 0)
	return cl
}

// storm runs one storm command line against the cluster.
func (cl *cluster) storm(args ...string) (stdout, stderr string, code int) {
	cl.t.Helper()
	full := append([]string{"-c", `nimbus.seeds=["127.0.0.1"]`, "-c", "nimbus.thrift.port=" + strconv.FormatInt(cl.port, 10),
		"-c", "storm.nimbus.retry.times=0"}, args...)
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, getenv: func(k string) string { return cl.env[k] }, logger: testLogger(cl.t)}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code = a.run(ctx, full)
	cl.t.Logf("storm %s -> %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out.String(), errb.String())
	return out.String(), errb.String(), code
}

// mustStorm runs a command that must succeed and returns its output.
func (cl *cluster) mustStorm(args ...string) string {
	cl.t.Helper()
	out, errOut, code := cl.storm(args...)
	if code != 0 {
		cl.t.Fatalf("storm %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// status is the Status column of `storm list` for topology name ("" when
// it is not listed).
func (cl *cluster) status(name string) string {
	cl.t.Helper()
	for _, line := range strings.Split(cl.mustStorm("list"), "\n") {
		if f := strings.Fields(line); len(f) == 5 && f[0] == name {
			return f[1]
		}
	}
	return ""
}

// waitStatus polls `storm list` until name has status want ("" = gone).
func (cl *cluster) waitStatus(name, want string, within time.Duration) {
	cl.t.Helper()
	deadline := time.Now().Add(within)
	var got string
	for time.Now().Before(deadline) {
		if got = cl.status(name); got == want {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	cl.t.Fatalf("topology %s: status %q after %v, want %q", name, got, within, want)
}

// submit uploads a jar and submits a two-component topology over Thrift, as
// StormSubmitter does (beginFileUpload, uploadChunk, finishFileUpload,
// submitTopology).
func (cl *cluster) submit(name string, workers int) {
	cl.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n, err := dialLeader(ctx, cl.c.ClientConf(), slog.New(slog.DiscardHandler))
	if err != nil {
		cl.t.Fatal(err)
	}
	defer n.Close()
	loc, err := n.BeginFileUpload(ctx)
	if err != nil {
		cl.t.Fatal("beginFileUpload:", err)
	}
	if err := n.UploadChunk(ctx, loc, []byte("PK\x05\x06"+strings.Repeat("\x00", 18))); err != nil {
		cl.t.Fatal("uploadChunk:", err)
	}
	if err := n.FinishFileUpload(ctx, loc); err != nil {
		cl.t.Fatal("finishFileUpload:", err)
	}
	hint := func(v int32) *int32 { return &v }
	shell := &stormthrift.ComponentObject{Shell: &stormthrift.ShellComponent{ExecutionCommand: "python3", Script: "x.py"}}
	topo := &stormthrift.StormTopology{
		Spouts: map[string]*stormthrift.SpoutSpec{"words": {SpoutObject: shell, Common: &stormthrift.ComponentCommon{
			Inputs:          map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{},
			Streams:         map[string]*stormthrift.StreamInfo{"default": {OutputFields: []string{"word"}}},
			ParallelismHint: hint(2),
		}}},
		Bolts: map[string]*stormthrift.Bolt{"count": {BoltObject: shell, Common: &stormthrift.ComponentCommon{
			Inputs: map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{
				{ComponentId: "words", StreamId: "default"}: {Fields: []string{"word"}},
			},
			Streams:         map[string]*stormthrift.StreamInfo{"default": {OutputFields: []string{"word", "count"}}},
			ParallelismHint: hint(3),
		}}},
		StateSpouts: map[string]*stormthrift.StateSpoutSpec{},
	}
	topoConf := fmt.Sprintf(`{"topology.workers":%d}`, workers)
	if err := n.SubmitTopology(ctx, name, loc, topoConf, topo); err != nil {
		cl.t.Fatalf("submitTopology: %s", describeErr(err))
	}
}

// TestCLIAgainstEmbeddedNimbus drives list, deactivate, activate,
// rebalance and kill against a real (embedded) Gale Nimbus.
func TestCLIAgainstEmbeddedNimbus(t *testing.T) {
	cl := startCluster(t)
	if out := cl.mustStorm("list"); out != "No topologies running.\n" {
		t.Fatalf("empty cluster list = %q", out)
	}

	cl.submit("wc", 2)
	out := cl.mustStorm("list")
	if !strings.HasPrefix(out, "Topology_name        Status     Num_tasks  Num_workers  Uptime_secs\n"+strings.Repeat("-", 67)+"\n") {
		t.Errorf("list header:\n%s", out)
	}
	if got := cl.status("wc"); got != "ACTIVE" {
		t.Fatalf("after submit: status %q, want ACTIVE", got)
	}

	if out := cl.mustStorm("deactivate", "wc"); out != "Deactivated topology: wc\n" {
		t.Errorf("deactivate said %q", out)
	}
	cl.waitStatus("wc", "INACTIVE", 10*time.Second)
	if out := cl.mustStorm("activate", "wc"); out != "Activated topology: wc\n" {
		t.Errorf("activate said %q", out)
	}
	cl.waitStatus("wc", "ACTIVE", 10*time.Second)

	if out := cl.mustStorm("rebalance", "wc", "-w", "2", "-n", "1", "-e", "count=2"); out != "Topology wc is rebalancing\n" {
		t.Errorf("rebalance said %q", out)
	}
	if got := cl.status("wc"); got != "REBALANCING" {
		t.Errorf("right after rebalance -w 2: status %q, want REBALANCING", got)
	}
	cl.waitStatus("wc", "ACTIVE", 30*time.Second)

	// Storm's exceptions reach the user with their messages.
	_, errOut, code := cl.storm("activate", "nosuch")
	if code != 1 || !strings.Contains(errOut, "NotAliveException(msg:") {
		t.Errorf("activate unknown topology: exit %d, stderr %q; want 1 and NotAliveException", code, errOut)
	}
	_, errOut, code = cl.storm("rebalance", "wc", "-e", "count=0")
	if code != 1 || !strings.Contains(errOut, "InvalidTopologyException(msg:") {
		t.Errorf("rebalance to 0 executors: exit %d, stderr %q; want 1 and InvalidTopologyException", code, errOut)
	}

	if out := cl.mustStorm("kill", "wc", "-w", "2"); out != "Killed topology: wc\n" {
		t.Errorf("kill said %q", out)
	}
	if got := cl.status("wc"); got != "KILLED" && got != "" {
		t.Errorf("right after kill -w 2: status %q, want KILLED", got)
	}
	cl.waitStatus("wc", "", 40*time.Second)
	if out := cl.mustStorm("list"); out != "No topologies running.\n" {
		t.Errorf("after kill: list = %q", out)
	}
}

func TestCLINoNimbus(t *testing.T) {
	cl := newCLI(t)
	cl.port = 1 // nothing listens there
	_, errOut, code := cl.storm("list")
	if code != 1 || !strings.Contains(errOut, "NimbusLeaderNotFoundException: Could not find leader nimbus from seed hosts [127.0.0.1]") {
		t.Errorf("exit %d, stderr %q; want 1 and NimbusLeaderNotFoundException", code, errOut)
	}
}

// TestStormJarSubmits runs `storm jar` for real: a topology main class
// compiled against storm-core 1.0.0 runs on a JVM and its StormSubmitter
// uploads the jar to, and submits to, the embedded Gale Nimbus.
func TestStormJarSubmits(t *testing.T) {
	cp := stormjava.Classpath(t)
	classes := stormjava.Compile(t, "testdata/topology", cp)
	jar := stormjava.Jar(t, classes)
	cl := startCluster(t)
	cl.env["STORM_CLASSPATH"] = cp
	cl.env["PATH"] = os.Getenv("PATH")

	out := cl.mustStorm("jar", jar, "galetest.SubmitTopology", "from-jar", "3")
	if !strings.Contains(out, "Running: java -client -Ddaemon.name= -Dstorm.options=nimbus.seeds%3D%5B%22127.0.0.1%22%5D,") ||
		!strings.Contains(out, " -Dstorm.jar="+jar+" galetest.SubmitTopology from-jar 3\n") {
		t.Errorf("storm jar did not echo storm.py's command line:\n%s", out)
	}
	if !strings.Contains(out, "submitted from-jar") {
		t.Errorf("topology main did not finish:\n%s", out)
	}
	if got := cl.status("from-jar"); got != "ACTIVE" {
		t.Fatalf("after storm jar: status %q, want ACTIVE", got)
	}

	// The name is taken now: StormSubmitter refuses before uploading.
	_, errOut, code := cl.storm("jar", jar, "galetest.SubmitTopology", "from-jar", "1")
	if code == 0 || !strings.Contains(errOut, "already exists on cluster") {
		t.Errorf("second submit: exit %d, stderr %q; want failure 'already exists on cluster'", code, errOut)
	}
}
