package worker

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
	"github.com/galeproject/gale/worker/grouping"
)

func loadTestTopo(t *testing.T, b *topoBuilder, c conf.Conf) *topo {
	t.Helper()
	tc := conf.Defaults().Merge(c)
	norm, err := topology.Normalize(b.top, tc)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := loadTopo("t-1-1", tc, norm)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

func TestLoadTopoSubscriptionsAndConf(t *testing.T) {
	l := newLedger(1)
	b := wordCount(t, l, "", map[string]any{
		conf.TopologyTickTupleFreqSecs: int64(7), // allowed per component
		conf.TopologyWorkers:           int64(9), // a Storm key a component may not set
		"my.key":                       "mine",   // user keys pass
	})
	tp := loadTestTopo(t, b, conf.Conf{conf.TopologyAckerExecutors: int64(2)})

	split := tp.comps["split"]
	if got := split.conf.IntOr(conf.TopologyTickTupleFreqSecs, 0); got != 7 {
		t.Errorf("split tick freq = %d, want 7", got)
	}
	if got := split.conf.IntOr(conf.TopologyWorkers, 0); got != 1 {
		t.Errorf("split topology.workers = %d, want the topology's 1", got)
	}
	if split.conf.StringOr("my.key", "") != "mine" {
		t.Error("user key of the component conf lost")
	}
	// Spouts get the message timeout as tick frequency from the system topology.
	if got := tp.comps["spout"].conf.IntOr(conf.TopologyTickTupleFreqSecs, 0); got != 30 {
		t.Errorf("spout tick freq = %d, want 30", got)
	}
	if !tp.hasAckers || len(tp.compTasks["__acker"]) != 2 {
		t.Errorf("ackers: %v %v", tp.hasAckers, tp.compTasks["__acker"])
	}
	subs := tp.comps["split"].subscribers["default"]
	if len(subs) != 1 || subs[0].component != "count" || subs[0].spec.Kind != grouping.KindFields {
		t.Errorf("split's default subscribers: %+v", subs)
	}
	var ackSubs []string
	for _, s := range tp.comps["split"].subscribers["__ack_ack"] {
		ackSubs = append(ackSubs, s.component)
	}
	if !slices.Equal(ackSubs, []string{"__acker"}) {
		t.Errorf("__ack_ack subscribers %v", ackSubs)
	}
	if f := tp.streamFields["spout"]["__ack_init"]; f == nil || !slices.Equal(f.Names(), []string{"id", "init-val", "spout-task"}) {
		t.Errorf("__ack_init fields %v", f)
	}
	if _, ok := tp.userFields["spout"]["__ack_init"]; ok || len(tp.userFields["spout"]) != 1 || len(tp.userSources["spout"]) != 0 {
		t.Errorf("user view of spout: fields %v sources %v", tp.userFields["spout"], tp.userSources["spout"])
	}
	if got := tp.userSources["count"]; len(got) != 1 || got[0].Component != "split" {
		t.Errorf("user sources of count: %v", got)
	}
	if tp.comps["__system"].kind != kindSystem || tp.comps["__acker"].kind != kindAcker {
		t.Error("system component kinds")
	}
}

func TestCyclicEdges(t *testing.T) {
	l := newLedger(1)
	r := newRecorder()
	app := storm.NewApp()
	app.RegisterSpout("s", func() storm.Spout { return &numberSpout{l: l} })
	app.RegisterBolt("hop", func() storm.Bolt { return &hopBolt{r: r} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "s", 1)
	b.bolt("a", "hop", 1, nil, shuffle("spout"), shuffle("c"))
	b.bolt("b", "hop", 1, nil, shuffle("a"))
	b.bolt("c", "hop", 1, nil, shuffle("b"))
	b.bolt("d", "hop", 1, nil, shuffle("c"), shuffle("d")) // self loop
	b.bolt("e", "hop", 1, nil, shuffle("d"))
	got := cyclicEdges(loadTestTopo(t, b, nil))
	want := map[string]map[string]bool{
		"a": {"b": true}, "b": {"c": true}, "c": {"a": true}, "d": {"d": true},
	}
	if !maps.EqualFunc(got, want, maps.Equal) {
		t.Fatalf("cyclicEdges = %v, want %v", got, want)
	}
}

func TestExecutorsAndEndpoints(t *testing.T) {
	a := &stormthrift.Assignment{ExecutorNodePort: []stormthrift.ExecutorNodePort{
		{Executor: []int64{3, 4}, Node: &stormthrift.NodeInfo{Node: "n1", Port: []int64{6700}}},
		{Executor: []int64{1, 2}, Node: &stormthrift.NodeInfo{Node: "n1", Port: []int64{6700}}},
		{Executor: []int64{5, 5}, Node: &stormthrift.NodeInfo{Node: "n2", Port: []int64{6700}}},
		{Executor: []int64{6, 6}, Node: &stormthrift.NodeInfo{Node: "n1", Port: []int64{6701}}},
		{Executor: []int64{7}, Node: &stormthrift.NodeInfo{Node: "n1", Port: []int64{6700}}}, // malformed
	}}
	if got := executorsOf(a, "n1", 6700); !slices.Equal(got, []topology.ExecutorID{{Start: 1, End: 2}, {Start: 3, End: 4}}) {
		t.Fatalf("executorsOf = %v", got)
	}
	eps := taskEndpoints(a)
	if len(eps) != 6 || eps[4] != (endpoint{"n1", 6700}) || eps[5] != (endpoint{"n2", 6700}) || eps[6] != (endpoint{"n1", 6701}) {
		t.Fatalf("taskEndpoints = %v", eps)
	}
	if executorsOf(nil, "n1", 6700) != nil {
		t.Fatal("executors of a nil assignment")
	}
}

func TestErrorThrottle(t *testing.T) {
	e := errorThrottle{interval: 10 * time.Second, max: 2}
	t0 := time.Unix(100, 0)
	got := []bool{e.allow(t0), e.allow(t0.Add(time.Second)), e.allow(t0.Add(2 * time.Second)), e.allow(t0.Add(11 * time.Second))}
	if !slices.Equal(got, []bool{true, true, false, true}) {
		t.Fatalf("allow = %v", got)
	}
}

// TestChooseRejects drives the emit checks of an executor directly.
func TestChooseRejects(t *testing.T) {
	l := newLedger(1)
	app := storm.NewApp()
	app.RegisterSpout("test.numbers", func() storm.Spout { return &numberSpout{l: l} })
	app.RegisterBolt("test.router", func() storm.Bolt { return &routerBolt{} })
	app.RegisterBolt("test.record", func() storm.Bolt { return &recordBolt{} })
	b := newTopoBuilder(t, app)
	b.spout("spout", "test.numbers", 1)
	b.bolt("router", "test.router", 1, nil, shuffle("spout"))
	b.bolt("dsink", "test.record", 2, nil, direct("router", "direct"))
	b.bolt("asink", "test.record", 2, nil, input{"router", "all", &stormthrift.Grouping{All: stormthrift.NewNullStruct()}})
	tp := loadTestTopo(t, b, nil)
	w := &worker{topo: tp, cfg: Config{Components: app}}
	x := &executor{w: w, comp: tp.comps["router"], rng: newTestRand()}
	if err := x.buildRoutes(); err != nil {
		t.Fatal(err)
	}
	dsink, asink, spout := tp.compTasks["dsink"], tp.compTasks["asink"], tp.compTasks["spout"]
	tests := []struct {
		name   string
		stream string
		values []any
		to     int32
		direct bool
		want   []int32
		err    string
	}{
		{"all grouping", "all", []any{1}, 0, false, asink, ""},
		{"direct", "direct", []any{1}, dsink[1], true, []int32{dsink[1]}, ""},
		{"undeclared stream", "nope", []any{1}, 0, false, nil, "does not declare"},
		{"field count", "all", []any{1, 2}, 0, false, nil, "expected 1 fields"},
		{"regular emit on direct stream", "direct", []any{1}, 0, false, nil, "regular emit to direct stream"},
		{"direct emit to regular subscriber", "all", []any{1}, asink[0], true, nil, "expecting a regular grouping"},
		{"direct emit to non-subscriber", "direct", []any{1}, spout[0], true, nil, "does not subscribe"},
		{"direct emit to no task", "direct", []any{1}, 999, true, nil, "does not exist"},
	}
	for _, tt := range tests {
		_, dst, err := x.choose(tp.compTasks["router"][0], tt.stream, tt.values, tt.to, tt.direct)
		if tt.err != "" {
			var ee *EmitError
			if !errors.As(err, &ee) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: err %v, want an EmitError containing %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(dst, tt.want) {
			t.Errorf("%s: %v %v, want %v", tt.name, dst, err, tt.want)
		}
	}
}

// TestChooseAllocs pins the routing of an emit (checks and grouping) at zero allocations.
func TestChooseAllocs(t *testing.T) {
	l := newLedger(1)
	b := wordCount(t, l, "", nil)
	tp := loadTestTopo(t, b, conf.Conf{conf.TopologyAckerExecutors: int64(2)})
	w := &worker{topo: tp}
	x := &executor{w: w, comp: tp.comps["split"], rng: newTestRand()}
	if err := x.buildRoutes(); err != nil {
		t.Fatal(err)
	}
	values := []any{"word"}
	ack := []any{int64(1), int64(2)}
	src := tp.compTasks["split"][0]
	allocs := testing.AllocsPerRun(1000, func() {
		if _, dst, err := x.choose(src, "default", values, 0, false); err != nil || len(dst) != 1 {
			t.Fatal(dst, err)
		}
		if _, dst, err := x.choose(src, "__ack_ack", ack, 0, false); err != nil || len(dst) != 1 {
			t.Fatal(dst, err)
		}
	})
	if allocs != 0 {
		t.Fatalf("choose allocates %.1f times per emit", allocs)
	}
}
