package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// topoBuilder builds a StormTopology from components registered in an App, the way a client
// would submit it (the SDK's own TopologyBuilder is not used so the worker is tested against
// plain Thrift).
type topoBuilder struct {
	t   testing.TB
	app *storm.App
	top *stormthrift.StormTopology
}

func newTopoBuilder(t testing.TB, app *storm.App) *topoBuilder {
	return &topoBuilder{t: t, app: app, top: &stormthrift.StormTopology{
		Spouts: map[string]*stormthrift.SpoutSpec{}, Bolts: map[string]*stormthrift.Bolt{}, StateSpouts: map[string]*stormthrift.StateSpoutSpec{},
	}}
}

type input struct {
	component, stream string
	g                 *stormthrift.Grouping
}

func shuffle(comp string) input {
	return input{comp, storm.DefaultStream, &stormthrift.Grouping{Shuffle: stormthrift.NewNullStruct()}}
}

func fields(comp string, f ...string) input {
	if f == nil {
		f = []string{} // global: a fields grouping on no fields
	}
	return input{comp, storm.DefaultStream, &stormthrift.Grouping{Fields: f}}
}

func direct(comp, stream string) input {
	return input{comp, stream, &stormthrift.Grouping{Direct: stormthrift.NewNullStruct()}}
}

func (b *topoBuilder) common(c storm.Component, p int, compConf map[string]any, inputs []input) *stormthrift.ComponentCommon {
	streams, err := storm.DeclaredStreams(c)
	if err != nil {
		b.t.Fatal(err)
	}
	cc := &stormthrift.ComponentCommon{Inputs: map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{}, Streams: map[string]*stormthrift.StreamInfo{}}
	for id, s := range streams {
		cc.Streams[id] = &stormthrift.StreamInfo{OutputFields: s.Fields, Direct: s.Direct}
	}
	for _, in := range inputs {
		cc.Inputs[&stormthrift.GlobalStreamId{ComponentId: in.component, StreamId: in.stream}] = in.g
	}
	ph := int32(p)
	cc.ParallelismHint = &ph
	if compConf != nil {
		js, err := conf.EncodeJSON(compConf)
		if err != nil {
			b.t.Fatal(err)
		}
		s := string(js)
		cc.JSONConf = &s
	}
	return cc
}

func (b *topoBuilder) spout(id, name string, p int) {
	s, err := b.app.NewSpout(name)
	if err != nil {
		b.t.Fatal(err)
	}
	b.top.Spouts[id] = &stormthrift.SpoutSpec{
		SpoutObject: &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: name, ArgsList: []*stormthrift.JavaObjectArg{}}},
		Common:      b.common(s, p, nil, nil),
	}
}

func (b *topoBuilder) bolt(id, name string, p int, compConf map[string]any, inputs ...input) {
	bl, err := b.app.NewBolt(name)
	if err != nil {
		b.t.Fatal(err)
	}
	b.top.Bolts[id] = &stormthrift.Bolt{
		BoltObject: &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: name, ArgsList: []*stormthrift.JavaObjectArg{}}},
		Common:     b.common(bl, p, compConf, inputs),
	}
}

// cluster is a test cluster: the in-memory store (or a real ZooKeeper), a topology's code
// directory, its assignment over some slots, and the workers running them.
type testCluster struct {
	t       testing.TB
	ctx     context.Context
	state   *cluster.State
	dir     string
	stormID string
	conf    conf.Conf
	clock   Clock
	app     *storm.App
	system  *stormthrift.StormTopology
	slots   []slot
	mu      sync.Mutex
	running map[int]*runningWorker
}

type slot struct {
	node string
	port int
	ln   net.Listener
}

type runningWorker struct {
	cancel context.CancelFunc
	done   chan error
}

func newMemState(t testing.TB) *cluster.State {
	srv := mem.NewServer()
	s := srv.Connect()
	t.Cleanup(func() { s.Close() })
	st, err := cluster.New(s, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// testLogger logs through t.Log (warnings and above unless GALE_TEST_VERBOSE is set).
func testLogger(t testing.TB) *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("GALE_TEST_VERBOSE") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: level}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p[:len(p)-1]))
	return len(p), nil
}

// newTestCluster writes the topology's code, schedules its executors round robin over nSlots
// slots (one node, 127.0.0.1, pre-bound ports) and activates it.
func newTestCluster(t testing.TB, st *cluster.State, app *storm.App, top *stormthrift.StormTopology, topoConf conf.Conf, nSlots int) *testCluster {
	t.Helper()
	return newTestClusterPlaced(t, st, app, top, topoConf, nSlots, nil)
}

// newTestClusterPlaced is newTestCluster with the slot of some components fixed.
func newTestClusterPlaced(t testing.TB, st *cluster.State, app *storm.App, top *stormthrift.StormTopology, topoConf conf.Conf, nSlots int, place map[string]int) *testCluster {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c := &testCluster{t: t, ctx: ctx, state: st, dir: t.TempDir(), stormID: "wc-1-1000", app: app, running: map[int]*runningWorker{}}
	c.conf = conf.Defaults().Merge(topoConf)
	c.conf[conf.TopologyName] = "wc"
	c.conf[conf.StormID] = c.stormID
	norm, err := topology.Normalize(top, c.conf)
	if err != nil {
		t.Fatal(err)
	}
	codeDir := filepath.Join(c.dir, "supervisor", "stormdist", c.stormID)
	if err := os.MkdirAll(filepath.Join(codeDir, ResourcesDir), 0o755); err != nil {
		t.Fatal(err)
	}
	code, err := compat.Serialize(norm)
	if err != nil {
		t.Fatal(err)
	}
	confBytes, err := compat.GzipJSON(c.conf)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(codeDir, StormCodeFile), code, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(codeDir, StormConfFile), confBytes, 0o644); err != nil {
		t.Fatal(err)
	}

	for i := range nSlots {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		c.slots = append(c.slots, slot{node: "node-" + strconv.Itoa(i%2), port: ln.Addr().(*net.TCPAddr).Port, ln: ln})
	}
	t.Cleanup(func() {
		for _, s := range c.slots {
			s.ln.Close()
		}
	})

	system, err := topology.System(norm, c.conf)
	if err != nil {
		t.Fatal(err)
	}
	c.system = system
	c.assign(place)
	if err := st.SetupHeartbeats(ctx, c.stormID); err != nil {
		t.Fatal(err)
	}
	if err := st.SetupBackpressure(ctx, c.stormID); err != nil {
		t.Fatal(err)
	}
	c.setStatus(stormthrift.TopologyStatus_ACTIVE)
	return c
}

// assign writes the assignment: executors round robin over the slots, except the components
// place pins to a slot.
func (c *testCluster) assign(place map[string]int) {
	c.t.Helper()
	tc, err := topology.TaskComponents(c.system)
	if err != nil {
		c.t.Fatal(err)
	}
	par := topology.ComponentParallelism(c.system)
	var execs []topology.ExecutorID
	for comp, tasks := range topology.ComponentTasks(tc) {
		execs = append(execs, topology.Executors(tasks, par[comp])...)
	}
	slices.SortFunc(execs, topology.ExecutorID.Compare)
	a := &stormthrift.Assignment{MasterCodeDir: c.dir, NodeHost: map[string]string{"node-0": "127.0.0.1", "node-1": "127.0.0.1"}}
	for i, e := range execs {
		s := c.slots[i%len(c.slots)]
		if p, ok := place[tc[e.Start]]; ok {
			s = c.slots[p]
		}
		a.ExecutorNodePort = append(a.ExecutorNodePort, stormthrift.ExecutorNodePort{
			Executor: []int64{int64(e.Start), int64(e.End)},
			Node:     &stormthrift.NodeInfo{Node: s.node, Port: []int64{int64(s.port)}},
		})
		a.ExecutorStartTimeSecs = append(a.ExecutorStartTimeSecs, stormthrift.ExecutorStartTime{Executor: []int64{int64(e.Start), int64(e.End)}, StartTimeSecs: 1})
	}
	if err := c.state.SetAssignment(c.ctx, c.stormID, a); err != nil {
		c.t.Fatal(err)
	}
}

func (c *testCluster) setStatus(s stormthrift.TopologyStatus) {
	c.t.Helper()
	lt := int32(1)
	err := c.state.SetStormBase(c.ctx, c.stormID, &stormthrift.StormBase{Name: "wc", Status: s, NumWorkers: int32(len(c.slots)), LaunchTimeSecs: &lt})
	if err != nil {
		c.t.Fatal(err)
	}
}

func (c *testCluster) workerConfig(i int) Config {
	s := c.slots[i]
	return Config{
		StormID:      c.stormID,
		AssignmentID: s.node,
		Port:         s.port,
		WorkerID:     fmt.Sprintf("w-%d", i),
		Conf:         conf.Conf{conf.StormLocalDir: c.dir, conf.TaskHeartbeatFrequencySecs: int64(1)},
		CodeDir:      filepath.Join(c.dir, "supervisor", "stormdist", c.stormID),
		LocalDir:     c.dir,
		State:        c.state,
		Components:   c.app,
		Clock:        c.clock,
		Logger:       testLogger(c.t).With("worker", i),
		Hostname:     "testhost",
		Listener:     s.ln,
	}
}

// start runs the worker of slot i until stop or the test's end.
func (c *testCluster) start(i int) {
	ctx, cancel := context.WithCancel(c.ctx)
	rw := &runningWorker{cancel: cancel, done: make(chan error, 1)}
	cfg := c.workerConfig(i)
	go func() { rw.done <- Run(ctx, cfg) }()
	c.mu.Lock()
	c.running[i] = rw
	c.mu.Unlock()
	c.t.Cleanup(func() { c.stop(i) })
}

func (c *testCluster) startAll() {
	for i := range c.slots {
		c.start(i)
	}
}

// stop cancels worker i and returns what Run returned.
func (c *testCluster) stop(i int) error {
	c.mu.Lock()
	rw := c.running[i]
	delete(c.running, i)
	c.mu.Unlock()
	if rw == nil {
		return nil
	}
	rw.cancel()
	select {
	case err := <-rw.done:
		return err
	case <-time.After(30 * time.Second):
		c.t.Errorf("worker %d did not stop", i)
		return errors.New("worker did not stop")
	}
}

// wait returns what worker i's Run returned, without cancelling it.
func (c *testCluster) wait(i int, d time.Duration) (error, bool) {
	c.mu.Lock()
	rw := c.running[i]
	c.mu.Unlock()
	if rw == nil {
		return nil, false
	}
	select {
	case err := <-rw.done:
		c.mu.Lock()
		delete(c.running, i)
		c.mu.Unlock()
		return err, true
	case <-time.After(d):
		return nil, false
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// checkFor polls fn until it returns nil or the deadline passes, then fails with fn's last error.
func checkFor(t testing.TB, d time.Duration, fn func() error) {
	t.Helper()
	testutil.CheckFor(t, d, fn)
}

func newTestRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
