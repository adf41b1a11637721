package javacompat

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/stormjava"
	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/nimbus"
)

// galeCluster is one in-process Gale Nimbus on a real ZooKeeper, plus the
// Java side: Storm's classpath with GaleCompat compiled onto it and a
// topology jar for -Dstorm.jar.
type galeCluster struct {
	nimbus *nimbus.Nimbus
	store  store.Store // a second session, the test's own view of ZK
	state  *cluster.State
	port   int
	zkHost string // the ZooKeeper Nimbus uses, and its chroot
	zkPort string
	root   string
	cp     string // GaleCompat classes + storm-core runtime classpath
	jar    string
}

// startCluster resolves Java first (so a machine without it skips fast),
// then starts ZooKeeper (or reuses $GALE_TEST_ZK) and a Nimbus serving on
// 127.0.0.1:<free port> that advertises 127.0.0.1.
func startCluster(t *testing.T) *galeCluster {
	t.Helper()
	c := startJava(t)

	servers := zktest.Start(t)
	root := zktest.Root(t)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nimbusStore, err := zk.Dial(ctx, servers, root, 10*time.Second, logger.With("session", "nimbus"))
	if err != nil {
		t.Fatalf("dial zk: %v", err)
	}
	t.Cleanup(func() { nimbusStore.Close() })
	c.store, err = zk.Dial(ctx, servers, root, 10*time.Second, logger.With("session", "test"))
	if err != nil {
		t.Fatalf("dial zk: %v", err)
	}
	t.Cleanup(func() { c.store.Close() })
	if c.state, err = cluster.NewContext(ctx, c.store, logger); err != nil {
		t.Fatal(err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = ln.Addr().(*net.TCPAddr).Port
	c.root = root
	if c.zkHost, c.zkPort, err = net.SplitHostPort(servers[0]); err != nil {
		t.Fatalf("ZooKeeper address %q: %v", servers[0], err)
	}
	zkPort, _ := strconv.ParseInt(c.zkPort, 10, 64)
	nc := conf.Conf{
		"storm.local.dir":          t.TempDir(),
		"nimbus.thrift.port":       int64(c.port),
		"nimbus.seeds":             []any{"127.0.0.1"},
		"storm.zookeeper.servers":  []any{c.zkHost},
		"storm.zookeeper.port":     zkPort,
		"storm.zookeeper.root":     root,
		"nimbus.monitor.freq.secs": int64(1),
	}
	n, err := nimbus.New(nimbus.Config{Conf: nc, Store: nimbusStore, Logger: logger, Listener: ln, Host: "127.0.0.1"})
	if err != nil {
		ln.Close()
		t.Fatalf("nimbus.New: %v", err)
	}
	c.nimbus = n
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("nimbus.Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("nimbus.Run did not return within 30s of cancel")
		}
	})
	c.awaitLeader(t)
	return c
}

// startJava prepares only the Java side (no ZooKeeper, no Nimbus), for
// operations that need no cluster.
func startJava(t *testing.T) *galeCluster {
	t.Helper()
	storm := stormjava.Classpath(t)
	classes := stormjava.Compile(t, "java", storm)
	return &galeCluster{cp: classes + string(os.PathListSeparator) + storm, jar: stormjava.Jar(t, classes)}
}

// awaitLeader waits until getClusterInfo names this nimbus leader, which
// is what NimbusClient.getConfiguredClient needs.
func (c *galeCluster) awaitLeader(t *testing.T) {
	t.Helper()
	waitFor(t, 30*time.Second, func() error {
		s, err := c.nimbus.GetClusterInfo(context.Background())
		if err != nil {
			return err
		}
		for _, ns := range s.Nimbuses {
			if ns.IsLeader {
				return nil
			}
		}
		return errors.New("no leader in getClusterInfo yet")
	})
}

// waitFor polls fn until it returns nil, failing with its last error.
func waitFor(t *testing.T, timeout time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %v", timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// opResult is one JSON line of GaleCompat.
type opResult struct {
	Op      string `json:"op"`
	OK      bool   `json:"ok"`
	Error   string `json:"error"`
	Message string `json:"message"`
	// Cause and CauseMessage describe the exception's cause, if any.
	Cause        string `json:"cause"`
	CauseMessage string `json:"cause_message"`
	raw          []byte
}

// decode unmarshals the whole line into v.
func (r opResult) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.raw, v); err != nil {
		t.Fatalf("%s: %v in %s", r.Op, err, r.raw)
	}
}

// must fails t unless the operation succeeded.
func (r opResult) must(t *testing.T) opResult {
	t.Helper()
	if !r.OK {
		t.Fatalf("Java %s failed: %s: %s", r.Op, r.Error, r.Message)
	}
	return r
}

// java runs GaleCompat with the given operations (each a word list) in one
// JVM and returns one result per operation.
func (c *galeCluster) java(t *testing.T, ops ...[]string) []opResult {
	t.Helper()
	var args []string
	for i, op := range ops {
		if i > 0 {
			args = append(args, "+")
		}
		args = append(args, op...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	opts := "nimbus.seeds=" + url.QueryEscape(`["127.0.0.1"]`) + ",nimbus.thrift.port=" + strconv.Itoa(c.port)
	cmd := stormjava.CommandWithProps(ctx, c.cp, []string{"storm.options=" + opts, "storm.jar=" + c.jar},
		"GaleCompat", args...)
	out := stormjava.Run(t, cmd)
	var res []opResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var r opResult
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("GaleCompat printed a non-JSON line %q: %v", line, err)
		}
		r.raw = append([]byte(nil), line...)
		res = append(res, r)
	}
	if len(res) != len(ops) {
		t.Fatalf("GaleCompat printed %d results for %d operations:\n%s", len(res), len(ops), out)
	}
	for i, r := range res {
		if r.Op != ops[i][0] {
			t.Fatalf("result %d is for %q, want %q", i, r.Op, ops[i][0])
		}
		t.Logf("java %s: %s", strings.Join(ops[i], " "), line(r.raw))
	}
	return res
}

func line(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "..."
	}
	return string(b)
}

// topologyID finds the id of the topology called name from its StormBase.
func (c *galeCluster) topologyID(t *testing.T, name string) string {
	t.Helper()
	ctx := context.Background()
	var id string
	waitFor(t, 10*time.Second, func() error {
		ids, err := c.state.StormIDs(ctx)
		if err != nil {
			return err
		}
		for _, sid := range ids {
			b, err := c.state.StormBase(ctx, sid)
			if err == nil && b != nil && b.Name == name {
				id = sid
				return nil
			}
		}
		return errors.New("no StormBase named " + name + " among " + strings.Join(ids, ","))
	})
	return id
}

// dump writes the raw bytes of the ZK node at path into dir and returns the
// file name.
func (c *galeCluster) dump(t *testing.T, dir, path string) string {
	t.Helper()
	data, _, err := c.store.Get(context.Background(), path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	f := filepath.Join(dir, strings.NewReplacer("/", "_", ":", "_").Replace(strings.TrimPrefix(path, "/"))+".bin")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// topo is a TopologySummary as GaleCompat prints it.
type topo struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Status       string `json:"status"`
	NumWorkers   int    `json:"num_workers"`
	NumExecutors int    `json:"num_executors"`
	NumTasks     int    `json:"num_tasks"`
	Owner        string `json:"owner"`
}

type listResult struct {
	Topologies []topo `json:"topologies"`
	Nimbuses   []struct {
		Host     string `json:"host"`
		Port     int    `json:"port"`
		IsLeader bool   `json:"is_leader"`
		Version  string `json:"version"`
	} `json:"nimbuses"`
	Supervisors int `json:"supervisors"`
}

// find returns the summary of the topology called name, if listed.
func (l listResult) find(name string) (topo, bool) {
	for _, tp := range l.Topologies {
		if tp.Name == name {
			return tp, true
		}
	}
	return topo{}, false
}

func (r opResult) list(t *testing.T) listResult {
	t.Helper()
	r.must(t)
	var l listResult
	r.decode(t, &l)
	return l
}

// status is the listed status of name, or "GONE".
func (r opResult) status(t *testing.T, name string) string {
	t.Helper()
	if tp, ok := r.list(t).find(name); ok {
		return tp.Status
	}
	return "GONE"
}
