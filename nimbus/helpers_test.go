package nimbus

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/stormthrift"
)

func newFakeClock() *testutil.Clock { return testutil.NewClock(time.Unix(1_700_000_000, 0)) }

// harness runs one Nimbus in a test.
type harness struct {
	t      *testing.T
	n      *Nimbus
	dir    string
	srv    *mem.Server // nil for ZooKeeper
	st     store.Store
	clock  *testutil.Clock
	cancel context.CancelFunc
	done   chan error
}

type harnessOpts struct {
	dir   string
	srv   *mem.Server
	store store.Store // overrides srv
	clock *testutil.Clock
	conf  conf.Conf
	host  string // advertised host; default 127.0.0.1
}

func startNimbus(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	h := startNimbusNoWait(t, o)
	testutil.CheckFor(t, 10*time.Second, func() error {
		if !h.n.leaderReady() {
			return errors.New("not leader yet")
		}
		return nil
	})
	return h
}

// startNimbusNoWait starts a Nimbus without waiting for leadership.
func startNimbusNoWait(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	if o.dir == "" {
		o.dir = t.TempDir()
	}
	st := o.store
	if st == nil {
		if o.srv == nil {
			o.srv = mem.NewServer()
		}
		st = o.srv.Connect()
	}
	c := conf.Conf{
		"storm.local.dir":          o.dir,
		"nimbus.monitor.freq.secs": int64(1),
	}
	for k, v := range o.conf {
		c[k] = v
	}
	var clock func() time.Time
	if o.clock != nil {
		clock = o.clock.Now
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.host == "" {
		o.host = "127.0.0.1"
	}
	n, err := New(Config{Conf: c, Store: st, Logger: testLogger(t), Clock: clock, Listener: ln, Host: o.host})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, n: n, dir: o.dir, srv: o.srv, st: st, clock: o.clock, cancel: cancel, done: make(chan error, 1)}
	go func() { h.done <- n.Run(ctx) }()
	t.Cleanup(h.stop)
	return h
}

// stop stops the Nimbus and ends its store session (idempotent).
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("nimbus Run: %v", err)
		}
	case <-time.After(15 * time.Second):
		h.t.Error("nimbus did not stop")
	}
	h.st.Close()
}

func (h *harness) state() *cluster.State {
	st, err := cluster.New(h.st, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return st
}

// client is a framed binary Thrift client, as Storm's NimbusClient.
func (h *harness) client() *stormthrift.NimbusClient {
	return dialNimbus(h.t, h.n.Addr().String())
}

func dialNimbus(t testing.TB, addr string) *stormthrift.NimbusClient {
	t.Helper()
	cfg := &thrift.TConfiguration{
		MaxFrameSize: 1048576, MaxMessageSize: 1048576,
		TBinaryStrictRead: thrift.BoolPtr(false), TBinaryStrictWrite: thrift.BoolPtr(true),
		ConnectTimeout: 5 * time.Second, SocketTimeout: 30 * time.Second,
	}
	sock := thrift.NewTSocketConf(addr, cfg)
	trans := thrift.NewTFramedTransportConf(sock, cfg)
	if err := trans.Open(); err != nil {
		t.Fatalf("dial nimbus %s: %v", addr, err)
	}
	t.Cleanup(func() { trans.Close() })
	proto := thrift.NewTBinaryProtocolConf(trans, cfg)
	return stormthrift.NewNimbusClient(thrift.NewTStandardClient(proto, proto))
}

// upload sends data through beginFileUpload/uploadChunk/finishFileUpload.
func upload(t testing.TB, c *stormthrift.NimbusClient, data []byte) string {
	t.Helper()
	ctx := context.Background()
	loc, err := c.BeginFileUpload(ctx)
	if err != nil {
		t.Fatalf("beginFileUpload: %v", err)
	}
	for len(data) > 0 {
		k := min(len(data), 307200)
		if err := c.UploadChunk(ctx, loc, data[:k]); err != nil {
			t.Fatalf("uploadChunk: %v", err)
		}
		data = data[k:]
	}
	if err := c.FinishFileUpload(ctx, loc); err != nil {
		t.Fatalf("finishFileUpload: %v", err)
	}
	return loc
}

// Topology fixtures.

func common(p int32, streams map[string][]string) *stormthrift.ComponentCommon {
	c := &stormthrift.ComponentCommon{
		Inputs:  map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{},
		Streams: map[string]*stormthrift.StreamInfo{},
	}
	if p != 0 {
		c.ParallelismHint = &p
	}
	for s, f := range streams {
		c.Streams[s] = &stormthrift.StreamInfo{OutputFields: f}
	}
	return c
}

func shellObject() *stormthrift.ComponentObject {
	return &stormthrift.ComponentObject{Shell: &stormthrift.ShellComponent{ExecutionCommand: "python", Script: "x.py"}}
}

// wordCount is storm-starter's WordCountTopology shape: spout 5, split 8,
// count 12.
func wordCount() *stormthrift.StormTopology {
	t := &stormthrift.StormTopology{
		Spouts:      map[string]*stormthrift.SpoutSpec{},
		Bolts:       map[string]*stormthrift.Bolt{},
		StateSpouts: map[string]*stormthrift.StateSpoutSpec{},
	}
	t.Spouts["spout"] = &stormthrift.SpoutSpec{SpoutObject: shellObject(), Common: common(5, map[string][]string{"default": {"word"}})}
	t.Bolts["split"] = &stormthrift.Bolt{BoltObject: shellObject(), Common: common(8, map[string][]string{"default": {"word"}})}
	t.Bolts["count"] = &stormthrift.Bolt{BoltObject: shellObject(), Common: common(12, map[string][]string{"default": {"word", "count"}})}
	t.Bolts["split"].Common.Inputs[&stormthrift.GlobalStreamId{ComponentId: "spout", StreamId: "default"}] =
		&stormthrift.Grouping{Shuffle: &stormthrift.NullStruct{}}
	t.Bolts["count"].Common.Inputs[&stormthrift.GlobalStreamId{ComponentId: "split", StreamId: "default"}] =
		&stormthrift.Grouping{Fields: []string{"word"}}
	return t
}

// addSupervisor registers a fake supervisor with slots on ports.
func addSupervisor(t testing.TB, st *cluster.State, id, host string, ports ...int64) {
	t.Helper()
	info := &stormthrift.SupervisorInfo{
		TimeSecs: time.Now().Unix(), Hostname: host, AssignmentID: &id,
		Meta: ports, UsedPorts: []int64{}, UptimeSecs: ptr(int64(5)), Version: ptr("1.0.0"),
	}
	if err := st.SetSupervisorInfo(context.Background(), id, info); err != nil {
		t.Fatal(err)
	}
}

// testLogger logs at info and above into t's output until the test ends.
func testLogger(t testing.TB) *slog.Logger { return testutil.Logger(t, slog.LevelInfo) }
