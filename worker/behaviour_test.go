package worker

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
)

func TestDeactivateAndActivate(t *testing.T) {
	l := newLedger(1 << 30) // endless
	b := wordCount(t, l, "", nil)
	c := newTestCluster(t, newMemState(t), b.app, b.top, conf.Conf{conf.TopologyMaxSpoutPending: int64(10)}, 1)
	c.startAll()
	calls := func() int {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.nextCalls
	}
	checkFor(t, 10*time.Second, func() error {
		if calls() < 100 {
			return errors.New("spouts not running")
		}
		return nil
	})
	c.setStatus(stormthrift.TopologyStatus_INACTIVE)
	checkFor(t, 10*time.Second, func() error {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.deact != 2 {
			return fmt.Errorf("%d deactivations", l.deact)
		}
		return nil
	})
	n := calls()
	time.Sleep(100 * time.Millisecond)
	if calls() != n {
		t.Fatal("NextTuple called while inactive")
	}
	c.setStatus(stormthrift.TopologyStatus_ACTIVE)
	checkFor(t, 10*time.Second, func() error {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.activated != 4 || l.nextCalls <= n {
			return fmt.Errorf("%d activations, %d calls", l.activated, l.nextCalls)
		}
		return nil
	})
}

func TestStartsInactive(t *testing.T) {
	l := newLedger(10)
	b := wordCount(t, l, "", nil)
	c := newTestCluster(t, newMemState(t), b.app, b.top, nil, 1)
	c.setStatus(stormthrift.TopologyStatus_INACTIVE)
	c.startAll()
	time.Sleep(200 * time.Millisecond)
	l.mu.Lock()
	opened := l.opened
	l.mu.Unlock()
	if opened != 0 {
		t.Fatal("spout opened before the topology was first active")
	}
	c.setStatus(stormthrift.TopologyStatus_ACTIVE)
	checkFor(t, 10*time.Second, l.allAcked)
}

func TestAssignmentRemovedStopsWorker(t *testing.T) {
	l := newLedger(50)
	b := wordCount(t, l, "", nil)
	st := newMemState(t)
	c := newTestCluster(t, st, b.app, b.top, nil, 2)
	c.startAll()
	checkFor(t, 10*time.Second, l.allAcked)
	checkFor(t, 10*time.Second, func() error {
		hbs, err := st.WorkerHeartbeats(c.ctx, c.stormID)
		if err != nil || len(hbs) != 2 {
			return fmt.Errorf("%d heartbeats, %v", len(hbs), err)
		}
		return nil
	})
	if err := st.RemoveAssignment(c.ctx, c.stormID); err != nil {
		t.Fatal(err)
	}
	for i := range c.slots {
		err, ok := c.wait(i, 20*time.Second)
		if !ok || err != nil {
			t.Fatalf("worker %d: stopped %v, err %v", i, ok, err)
		}
	}
	hbs, err := st.WorkerHeartbeats(c.ctx, c.stormID)
	if err != nil || len(hbs) != 0 {
		t.Fatalf("heartbeats left: %v %v", hbs, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed != 2 {
		t.Fatalf("%d spouts closed", l.closed)
	}
}

func TestEmitErrorsAreReportedAndFailTrees(t *testing.T) {
	l := newLedger(50)
	r := newRecorder()
	app := storm.NewApp()
	app.RegisterSpout("test.numbers", func() storm.Spout { return &numberSpout{l: l, badEvery: 10} })
	app.RegisterBolt("test.router", func() storm.Bolt { return &routerBolt{} })
	app.RegisterBolt("test.record", func() storm.Bolt { return &recordBolt{r: r} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.numbers", 1)
	b.bolt("router", "test.router", 1, nil, shuffle("spout"))
	b.bolt("dsink", "test.record", 3, nil, direct("router", "direct"))
	b.bolt("asink", "test.record", 2, nil, input{"router", "all", &stormthrift.Grouping{All: stormthrift.NewNullStruct()}})
	st := newMemState(t)
	c := newTestCluster(t, st, b.app, b.top, nil, 2)
	c.startAll()
	checkFor(t, 20*time.Second, l.allAcked)
	l.mu.Lock()
	for id := range l.n {
		wantFail := 0
		if id%10 == 0 {
			wantFail = 1
		}
		if l.failed[id] != wantFail {
			t.Errorf("id %d failed %d times, want %d", id, l.failed[id], wantFail)
		}
	}
	l.mu.Unlock()

	// Direct grouping: n went to dsink task n%3 only; all grouping: every asink task got all.
	tasks := map[string][]int32{}
	for task, comp := range mustTopo(t, c).taskComp {
		tasks[comp] = append(tasks[comp], task)
	}
	for _, s := range []string{"dsink", "asink"} {
		slices.Sort(tasks[s])
	}
	for task, vs := range r.get("dsink") {
		idx := slices.Index(tasks["dsink"], task)
		for _, v := range vs {
			if int(v.(int64))%3 != idx {
				t.Fatalf("direct: %v reached dsink task %d (index %d)", v, task, idx)
			}
		}
	}
	if r.total("dsink") != l.n {
		t.Fatalf("direct: %d tuples, want %d", r.total("dsink"), l.n)
	}
	for _, task := range tasks["asink"] {
		if got := len(r.get("asink")[task]); got != l.n {
			t.Fatalf("all: asink task %d got %d, want %d", task, got, l.n)
		}
	}

	checkFor(t, 10*time.Second, func() error {
		for comp, want := range map[string]string{"spout": "does not declare", "router": "does not subscribe"} {
			errs, err := st.Errors(c.ctx, c.stormID, comp)
			if err != nil {
				return err
			}
			found := false
			for _, e := range errs {
				found = found || strings.Contains(e.Error, want)
			}
			if !found {
				return fmt.Errorf("%s: no error containing %q in %v", comp, want, errs)
			}
			if len(errs) > 0 && (errs[0].GetHost() != "testhost" || errs[0].GetPort() == 0) {
				return fmt.Errorf("error without host/port: %+v", errs[0])
			}
		}
		return nil
	})
}

func mustTopo(t *testing.T, c *testCluster) *topo {
	t.Helper()
	cf, user, err := readCode(c.workerConfig(0).CodeDir, conf.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	tp, err := loadTopo(c.stormID, cf, user)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

func TestUnknownJavaComponentNeedsJVM(t *testing.T) {
	l := newLedger(1)
	b := wordCount(t, l, "", nil)
	b.top.Bolts["count"].BoltObject = &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: "org.example.CountBolt"}}
	st := newMemState(t)
	c := newTestCluster(t, st, b.app, b.top, nil, 1)
	err := Run(c.ctx, c.workerConfig(0))
	var nj *NeedsJVMError
	if !errors.As(err, &nj) || nj.Class != "org.example.CountBolt" || !errors.Is(err, ErrUnsupportedComponent) {
		t.Fatalf("Run = %v, want a NeedsJVMError for org.example.CountBolt", err)
	}
	last, err := st.LastError(c.ctx, c.stormID, "count")
	if err != nil || last == nil || !strings.Contains(last.Error, "org.example.CountBolt") {
		t.Fatalf("last error of count: %v %v", last, err)
	}
}

// TestCycleDoesNotDeadlock runs ping ⇄ pong with tiny queues: waiting along the cycle would
// deadlock, so those edges never wait.
func TestCycleDoesNotDeadlock(t *testing.T) {
	l := newLedger(300)
	r := newRecorder()
	app := storm.NewApp()
	app.RegisterSpout("test.numbers", func() storm.Spout { return &numberSpout{l: l} })
	app.RegisterBolt("test.hop", func() storm.Bolt { return &hopBolt{r: r} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.numbers", 1)
	b.bolt("ping", "test.hop", 1, nil, shuffle("spout"), shuffle("pong"))
	b.bolt("pong", "test.hop", 1, nil, shuffle("ping"))
	c := newTestCluster(t, newMemState(t), b.app, b.top, conf.Conf{
		conf.TopologyExecutorReceiveBufferSize: int64(4),
		conf.TopologyBackpressureEnable:        false,
	}, 1)
	c.startAll()
	checkFor(t, 30*time.Second, l.allAcked)
	if got := r.total("done"); got != l.n {
		t.Fatalf("%d tuples finished their hops, want %d", got, l.n)
	}
}

// TestSlowConsumerAcrossWorkers floods a slow bolt in another worker through small queues, with no
// max.spout.pending. The bolt's congestion throttles the spout through /backpressure; a flood that
// outruns the throttle passes the bolt's inbox hard bound (64 × 64 tuples), and what is dropped
// there times out and is replayed. Nothing may be lost: every id completes, and the worker keeps
// running.
func TestSlowConsumerAcrossWorkers(t *testing.T) {
	l := newLedger(5000)
	r := newRecorder()
	app := storm.NewApp()
	app.RegisterSpout("test.numbers", func() storm.Spout { return &numberSpout{l: l} })
	app.RegisterBolt("test.slow", func() storm.Bolt { return &recordBolt{r: r, sleep: 100 * time.Microsecond} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.numbers", 1)
	b.bolt("slow", "test.slow", 1, nil, shuffle("spout"))
	c := newTestClusterPlaced(t, newMemState(t), b.app, b.top, conf.Conf{
		conf.TopologyExecutorReceiveBufferSize: int64(64),
		conf.TopologyTransferBufferSize:        int64(8),
		conf.TopologyAckerExecutors:            int64(2),
		conf.TopologyMessageTimeoutSecs:        int64(3),
	}, 2, map[string]int{"spout": 0, "slow": 1})
	c.startAll()
	checkFor(t, 60*time.Second, l.allAcked)
	if got := r.total("slow"); got < l.n {
		t.Fatalf("slow bolt saw %d tuples, want at least %d", got, l.n)
	}
}

// TestStuckBoltDoesNotStallConnection blocks a bolt of worker 1 forever. The connection from
// worker 0 (the spout) to worker 1 also carries the tuples of another bolt and the spout's
// __ack_init messages for the acker there: they must keep flowing past the stuck bolt's full queue.
func TestStuckBoltDoesNotStallConnection(t *testing.T) {
	l := newLedger(3000)
	r := newRecorder()
	hold := make(chan struct{})
	app := storm.NewApp()
	app.RegisterSpout("test.numbers", func() storm.Spout { return &numberSpout{l: l, side: true} })
	app.RegisterBolt("test.record", func() storm.Bolt { return &recordBolt{r: r} })
	app.RegisterBolt("test.stuck", func() storm.Bolt { return &recordBolt{r: r, hold: hold} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.numbers", 1)
	b.bolt("fast", "test.record", 1, nil, shuffle("spout"))
	b.bolt("stuck", "test.stuck", 1, nil, input{"spout", "side", &stormthrift.Grouping{Shuffle: stormthrift.NewNullStruct()}})
	c := newTestClusterPlaced(t, newMemState(t), b.app, b.top, conf.Conf{
		conf.TopologyExecutorReceiveBufferSize: int64(16),
		conf.TopologyBackpressureEnable:        false,
		conf.TopologyAckerExecutors:            int64(1),
		conf.TopologyMaxSpoutPending:           int64(500), // keeps the fast bolt below its hard bound
	}, 2, map[string]int{"spout": 0, "fast": 1, "stuck": 1, "__acker": 1})
	c.startAll()
	checkFor(t, 30*time.Second, l.allAcked)
	close(hold)
	l.mu.Lock()
	if len(l.failed) != 0 {
		t.Errorf("%d trees failed", len(l.failed))
	}
	l.mu.Unlock()
	if r.total("fast") != l.n {
		t.Fatalf("fast bolt saw %d tuples, want %d", r.total("fast"), l.n)
	}
}

// modGrouping sends n to target n % len(targets).
type modGrouping struct{ targets []int32 }

func (g *modGrouping) Prepare(_ storm.GlobalStreamID, targets []int32) error {
	g.targets = targets
	return nil
}

func (g *modGrouping) ChooseTasks(dst []int32, _ int32, values []any) []int32 {
	n, _ := values[0].(int64)
	return append(dst, g.targets[int(n)%len(g.targets)])
}

func TestGroupings(t *testing.T) {
	l := newLedger(120)
	r := newRecorder()
	app := storm.NewApp()
	app.RegisterSpout("test.numbers", func() storm.Spout { return &numberSpout{l: l} })
	app.RegisterBolt("test.record", func() storm.Bolt { return &recordBolt{r: r} })
	app.RegisterGrouping("test.mod", func() storm.CustomStreamGrouping { return &modGrouping{} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.numbers", 1)
	b.bolt("global", "test.record", 3, nil, fields("spout"))
	b.bolt("fieldsg", "test.record", 3, nil, fields("spout", "n"))
	b.bolt("local", "test.record", 2, nil, input{"spout", "default", &stormthrift.Grouping{LocalOrShuffle: stormthrift.NewNullStruct()}})
	b.bolt("none", "test.record", 2, nil, input{"spout", "default", &stormthrift.Grouping{None: stormthrift.NewNullStruct()}})
	b.bolt("custom", "test.record", 3, nil, input{"spout", "default", &stormthrift.Grouping{CustomObject: &stormthrift.JavaObject{FullClassName: "test.mod"}}})
	c := newTestClusterPlaced(t, newMemState(t), app, b.top, conf.Conf{conf.TopologyAckerExecutors: int64(1)}, 2, map[string]int{"spout": 0})
	c.startAll()
	checkFor(t, 20*time.Second, l.allAcked)

	tp := mustTopo(t, c)
	a, _, err := c.state.Assignment(c.ctx, c.stormID)
	if err != nil {
		t.Fatal(err)
	}
	eps := taskEndpoints(a)
	spoutEP := eps[tp.compTasks["spout"][0]]
	index := func(comp string, task int32) int { return slices.Index(tp.compTasks[comp], task) }

	for comp, check := range map[string]func(task int32, n int64) bool{
		"global":  func(task int32, _ int64) bool { return index("global", task) == 0 },
		"fieldsg": func(task int32, n int64) bool { return index("fieldsg", task) == int((31+n)%3) }, // deepHashCode([Long n]) = 31 + n
		"local":   func(task int32, _ int64) bool { return eps[task] == spoutEP },
		"none":    func(int32, int64) bool { return true },
		"custom":  func(task int32, n int64) bool { return index("custom", task) == int(n%3) },
	} {
		if got := r.total(comp); got != l.n {
			t.Errorf("%s received %d tuples, want %d", comp, got, l.n)
		}
		for task, vs := range r.get(comp) {
			for _, v := range vs {
				if !check(task, v.(int64)) {
					t.Errorf("%s: %v went to task %d", comp, v, task)
				}
			}
		}
	}
}

// panicBolt panics on its first tuple.
type panicBolt struct{ storm.BaseBolt }

func (panicBolt) DeclareOutputFields(storm.OutputFieldsDeclarer)                          {}
func (panicBolt) Prepare(storm.Conf, *storm.TopologyContext, storm.OutputCollector) error { return nil }
func (panicBolt) Execute(*storm.Tuple)                                                    { panic("boom") }

func TestPanicKillsWorker(t *testing.T) {
	l := newLedger(10)
	app := storm.NewApp()
	app.RegisterSpout("test.numbers", func() storm.Spout { return &numberSpout{l: l} })
	app.RegisterBolt("test.panic", func() storm.Bolt { return panicBolt{} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.numbers", 1)
	b.bolt("bad", "test.panic", 1, nil, shuffle("spout"))
	st := newMemState(t)
	c := newTestCluster(t, st, app, b.top, nil, 1)
	c.start(0)
	err, ok := c.wait(0, 20*time.Second)
	if !ok || err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Run = %v (stopped %v), want the panic", err, ok)
	}
	last, lerr := st.LastError(c.ctx, c.stormID, "bad")
	if lerr != nil || last == nil || !strings.Contains(last.Error, "boom") {
		t.Fatalf("last error: %v %v", last, lerr)
	}
}

// TestWorkerRestartReconnects kills the bolt's worker and starts it again on the same port: the
// spout's worker reconnects and the trees lost meanwhile are replayed after their timeout.
func TestWorkerRestartReconnects(t *testing.T) {
	l := newLedger(1 << 20)
	r := newRecorder()
	app := storm.NewApp()
	app.RegisterSpout("test.numbers", func() storm.Spout { return &numberSpout{l: l} })
	app.RegisterBolt("test.record", func() storm.Bolt { return &recordBolt{r: r} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.numbers", 1)
	b.bolt("sink", "test.record", 1, nil, shuffle("spout"))
	c := newTestClusterPlaced(t, newMemState(t), app, b.top, conf.Conf{
		conf.TopologyAckerExecutors:     int64(1),
		conf.TopologyMaxSpoutPending:    int64(50),
		conf.TopologyMessageTimeoutSecs: int64(1),
	}, 2, map[string]int{"spout": 0, "__acker": 0, "sink": 1})
	c.startAll()
	acked := func() int {
		l.mu.Lock()
		defer l.mu.Unlock()
		return len(l.acked)
	}
	checkFor(t, 10*time.Second, func() error {
		if acked() < 200 {
			return errors.New("not flowing")
		}
		return nil
	})
	if err := c.stop(1); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(c.slots[1].port)))
	if err != nil {
		t.Fatal(err)
	}
	c.slots[1].ln = ln
	before := acked()
	c.start(1)
	checkFor(t, 20*time.Second, func() error {
		l.mu.Lock()
		defer l.mu.Unlock()
		if len(l.acked) < before+200 || len(l.failed) == 0 {
			return fmt.Errorf("%d acked (%d before the restart), %d failed", len(l.acked), before, len(l.failed))
		}
		return nil
	})
}

// TestReassignment moves the sink to another slot: its old worker stops (its executors changed),
// the spout's worker follows the assignment watch to the new one, and tuples flow again.
func TestReassignment(t *testing.T) {
	l := newLedger(1 << 20)
	r := newRecorder()
	app := storm.NewApp()
	app.RegisterSpout("test.numbers", func() storm.Spout { return &numberSpout{l: l} })
	app.RegisterBolt("test.record", func() storm.Bolt { return &recordBolt{r: r} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.numbers", 1)
	b.bolt("sink", "test.record", 1, nil, shuffle("spout"))
	c := newTestClusterPlaced(t, newMemState(t), app, b.top, conf.Conf{
		conf.TopologyAckerExecutors:     int64(1),
		conf.TopologyMaxSpoutPending:    int64(50),
		conf.TopologyMessageTimeoutSecs: int64(1),
	}, 3, map[string]int{"spout": 0, "__acker": 0, "sink": 1})
	c.start(0)
	c.start(1)
	acked := func() int {
		l.mu.Lock()
		defer l.mu.Unlock()
		return len(l.acked)
	}
	checkFor(t, 10*time.Second, func() error {
		if acked() < 100 {
			return errors.New("not flowing")
		}
		return nil
	})
	c.assign(map[string]int{"spout": 0, "__acker": 0, "sink": 2})
	if err, ok := c.wait(1, 10*time.Second); !ok || err != nil {
		t.Fatalf("worker 1 after losing its executors: stopped %v, err %v", ok, err)
	}
	c.start(2)
	before := r.total("sink")
	checkFor(t, 20*time.Second, func() error {
		if n := r.total("sink"); n < before+200 {
			return fmt.Errorf("sink got %d tuples (%d before the move)", n, before)
		}
		return nil
	})
}

// TestMultiAnchoring joins pairs of spout tuples into one tuple anchored on both: a pair's trees
// complete together, and failing the joined tuple fails both.
func TestMultiAnchoring(t *testing.T) {
	l := newLedger(100)
	app := storm.NewApp()
	app.RegisterSpout("test.numbers", func() storm.Spout { return &numberSpout{l: l} })
	app.RegisterBolt("test.pair", func() storm.Bolt { return &pairBolt{} })
	app.RegisterBolt("test.failonce", func() storm.Bolt { return &failOnceBolt{} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.numbers", 1)
	b.bolt("pair", "test.pair", 1, nil, fields("spout"))
	b.bolt("sink", "test.failonce", 1, nil, shuffle("pair"))
	c := newTestCluster(t, newMemState(t), app, b.top, conf.Conf{
		conf.TopologyAckerExecutors:     int64(2),
		conf.TopologyMaxSpoutPending:    int64(8), // even: pairs never wait for a partner
		conf.TopologyMessageTimeoutSecs: int64(5),
	}, 2)
	c.startAll()
	checkFor(t, 30*time.Second, l.allAcked)
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, k := range l.failed {
		n += k
	}
	if n == 0 || n%2 != 0 {
		t.Fatalf("%d failures: a failed joined tuple must fail both of its trees", n)
	}
}
