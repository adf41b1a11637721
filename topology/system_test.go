package topology

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/galeproject/gale/stormthrift"
)

func inputsOf(c *stormthrift.ComponentCommon) map[[2]string]*stormthrift.Grouping {
	out := map[[2]string]*stormthrift.Grouping{}
	for k, g := range c.Inputs {
		out[[2]string{k.ComponentId, k.StreamId}] = g
	}
	return out
}

func TestSystemWordCount(t *testing.T) {
	user := wordCount()
	sys := mustSystem(t, user, with(defaultConf(), "topology.workers", int64(3)))

	comps := slices.Sorted(maps.Keys(commons(sys)))
	wantComps := []string{"__acker", "__eventlogger", "__system", "count", "split", "spout"}
	if !slices.Equal(comps, wantComps) {
		t.Fatalf("components = %v, want %v", comps, wantComps)
	}
	// Parallelism: acker = workers, eventlogger 0, system 0.
	par := ComponentParallelism(sys)
	wantPar := map[string]int{"__acker": 3, "__eventlogger": 0, "__system": 0, "count": 12, "split": 8, "spout": 5}
	if !maps.Equal(par, wantPar) {
		t.Errorf("ComponentParallelism = %v, want %v", par, wantPar)
	}

	acker := sys.Bolts["__acker"]
	if acker.BoltObject.JavaObject == nil || acker.BoltObject.JavaObject.FullClassName != AckerClass {
		t.Errorf("acker object = %v", acker.BoltObject)
	}
	if js := *acker.Common.JSONConf; js != `{"topology.tasks":3,"topology.tick.tuple.freq.secs":30}` {
		t.Errorf("acker conf = %s", js)
	}
	ain := inputsOf(acker.Common)
	wantAckerIn := [][2]string{
		{"spout", "__ack_init"},
		{"split", "__ack_ack"}, {"split", "__ack_fail"}, {"split", "__ack_reset_timeout"},
		{"count", "__ack_ack"}, {"count", "__ack_fail"}, {"count", "__ack_reset_timeout"},
	}
	if len(ain) != len(wantAckerIn) {
		t.Errorf("acker inputs = %v", ain)
	}
	for _, k := range wantAckerIn {
		if g := ain[k]; g == nil || !slices.Equal(g.Fields, []string{"id"}) {
			t.Errorf("acker input %v = %v, want fields [id]", k, g)
		}
	}
	for _, s := range []string{"__ack_ack", "__ack_fail", "__ack_reset_timeout"} {
		if si := acker.Common.Streams[s]; si == nil || !si.Direct || !slices.Equal(si.OutputFields, []string{"id"}) {
			t.Errorf("acker stream %s = %v", s, si)
		}
	}

	spout := sys.Spouts["spout"].Common
	if js := *spout.JSONConf; js != `{"topology.tasks":5,"topology.tick.tuple.freq.secs":30}` {
		t.Errorf("spout conf = %s", js)
	}
	sin := inputsOf(spout)
	for _, s := range []string{"__ack_ack", "__ack_fail", "__ack_reset_timeout"} {
		if g := sin[[2]string{"__acker", s}]; g == nil || g.Direct == nil {
			t.Errorf("spout input from __acker/%s = %v, want direct", s, g)
		}
	}
	if f := spout.Streams["__ack_init"].OutputFields; !slices.Equal(f, []string{"id", "init-val", "spout-task"}) {
		t.Errorf("__ack_init fields = %v", f)
	}
	count := sys.Bolts["count"].Common
	if f := count.Streams["__ack_ack"].OutputFields; !slices.Equal(f, []string{"id", "ack-val"}) {
		t.Errorf("bolt __ack_ack fields = %v", f)
	}

	el := sys.Bolts["__eventlogger"]
	if js := *el.Common.JSONConf; js != `{"topology.tasks":0,"topology.tick.tuple.freq.secs":30}` {
		t.Errorf("eventlogger conf = %s", js)
	}
	elIn := inputsOf(el.Common)
	if len(elIn) != 4 {
		t.Errorf("eventlogger inputs = %v", elIn)
	}
	for _, src := range []string{"spout", "split", "count", "__acker"} {
		if g := elIn[[2]string{src, "__eventlog"}]; g == nil || !slices.Equal(g.Fields, []string{"component-id"}) {
			t.Errorf("eventlogger input from %s = %v", src, g)
		}
	}

	sysBolt := sys.Bolts["__system"].Common
	if *sysBolt.ParallelismHint != 0 || *sysBolt.JSONConf != `{"topology.tasks":0}` || len(sysBolt.Inputs) != 0 {
		t.Errorf("__system = %+v", sysBolt)
	}

	wantStreams := map[string][]string{
		"spout":         {"__ack_init", "__eventlog", "__metrics", "__system", "default"},
		"split":         {"__ack_ack", "__ack_fail", "__ack_reset_timeout", "__eventlog", "__metrics", "__system", "default"},
		"__acker":       {"__ack_ack", "__ack_fail", "__ack_reset_timeout", "__eventlog", "__metrics", "__system"},
		"__eventlogger": {"__metrics", "__system"},
		"__system":      {"__credentials", "__metrics", "__metrics_tick", "__system", "__tick"},
	}
	for comp, want := range wantStreams {
		if got := StreamIDs(sys, comp); !slices.Equal(got, want) {
			t.Errorf("StreamIDs(%s) = %v, want %v", comp, got, want)
		}
	}
	if StreamIDs(sys, "nope") != nil {
		t.Error("StreamIDs of a missing component is not nil")
	}

	// The input is untouched.
	if len(user.Bolts) != 2 || len(user.Spouts["spout"].Common.Inputs) != 0 {
		t.Error("System modified its input")
	}
}

func TestSystemAckerExecutors(t *testing.T) {
	conf := with(defaultConf(), "topology.workers", int64(4), "topology.acker.executors", int64(0),
		"topology.eventlogger.executors", nil)
	sys := mustSystem(t, wordCount(), conf)
	par := ComponentParallelism(sys)
	if par["__acker"] != 0 || par["__eventlogger"] != 4 {
		t.Errorf("acker %d eventlogger %d, want 0 and 4", par["__acker"], par["__eventlogger"])
	}
}

func TestSystemMetricsConsumers(t *testing.T) {
	reg := []any{
		map[string]any{"class": "org.apache.storm.metric.LoggingMetricsConsumer"},
		map[string]any{"class": "my.Consumer", "parallelism.hint": int64(2), "argument": map[string]any{"k": "v"}},
		map[string]any{"class": "org.apache.storm.metric.LoggingMetricsConsumer", "argument": "x"},
	}
	conf := with(defaultConf(), "topology.metrics.consumer.register", reg)
	ids, err := MetricsConsumerIDs(conf)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []string{
		"__metricsorg.apache.storm.metric.LoggingMetricsConsumer",
		"__metricsmy.Consumer",
		"__metricsorg.apache.storm.metric.LoggingMetricsConsumer#2",
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("ids = %v, want %v", ids, wantIDs)
	}
	sys := mustSystem(t, wordCount(), conf)
	mc := sys.Bolts["__metricsmy.Consumer"]
	if mc == nil {
		t.Fatal("no consumer bolt")
	}
	if *mc.Common.ParallelismHint != 2 || *mc.Common.JSONConf != `{"topology.tasks":2}` {
		t.Errorf("consumer common = %+v %s", mc.Common, *mc.Common.JSONConf)
	}
	args := mc.BoltObject.JavaObject.ArgsList
	if mc.BoltObject.JavaObject.FullClassName != MetricsConsumerClass || len(args) != 2 ||
		*args[0].StringArg != "my.Consumer" || *args[1].StringArg != `{"k":"v"}` {
		t.Errorf("consumer object = %+v", mc.BoltObject.JavaObject)
	}
	in := inputsOf(mc.Common)
	// __system + user components + __acker + __eventlogger; not other consumers.
	wantSrc := []string{"__system", "spout", "split", "count", "__acker", "__eventlogger"}
	if len(in) != len(wantSrc) {
		t.Errorf("consumer inputs = %v", in)
	}
	for _, src := range wantSrc {
		if g := in[[2]string{src, "__metrics"}]; g == nil || g.Shuffle == nil {
			t.Errorf("consumer input from %s = %v", src, g)
		}
	}
	if got := StreamIDs(sys, ids[0]); !slices.Equal(got, []string{"__metrics", "__system"}) {
		t.Errorf("consumer streams = %v", got)
	}
}

func TestSystemErrors(t *testing.T) {
	tests := []struct {
		name string
		user func() *stormthrift.StormTopology
		want string
	}{
		{"duplicate ids", func() *stormthrift.StormTopology {
			return newFixture().spout("x", 1, nil, nil).bolt("x", 1, nil, nil).t
		}, `Duplicate component ids: ("x")`},
		{"system component id", func() *stormthrift.StormTopology {
			return newFixture().bolt("__mine", 1, nil, nil).t
		}, "__mine is not a valid component id"},
		{"system stream id", func() *stormthrift.StormTopology {
			return newFixture().spout("s", 1, nil, map[string][]string{"__x": {"a"}}).t
		}, "__x is not a valid stream id"},
		{"spout with inputs", func() *stormthrift.StormTopology {
			return newFixture().spout("s", 1, nil, map[string][]string{"default": {"a"}}).
				spout("t", 1, nil, nil).sub("t", "s", "default", nil).t
		}, "May not declare inputs for a spout"},
		{"tasks without executors", func() *stormthrift.StormTopology {
			f := newFixture().bolt("b", 1, str(`{"topology.tasks":3}`), nil)
			zero := int32(0)
			f.t.Bolts["b"].Common.ParallelismHint = &zero
			return f.t
		}, "Number of executors must be greater than 0 when number of tasks is greater than 0"},
		{"missing component", func() *stormthrift.StormTopology {
			return newFixture().bolt("b", 1, nil, nil).sub("b", "ghost", "default", nil).t
		}, "Component: [b] subscribes from non-existent component [ghost]"},
		{"missing stream", func() *stormthrift.StormTopology {
			return newFixture().spout("s", 1, nil, map[string][]string{"default": {"a"}}).
				bolt("b", 1, nil, nil).sub("b", "s", "other", nil).t
		}, "Component: [b] subscribes from non-existent stream: [other] of component [s]"},
		{"missing fields", func() *stormthrift.StormTopology {
			return newFixture().spout("s", 1, nil, map[string][]string{"default": {"a"}}).
				bolt("b", 1, nil, nil).sub("b", "s", "default", []string{"a", "x", "y", "z", "word", "count", "x"}).t
		}, `Component: [b] subscribes from stream: [default] of component [s] with non-existent fields: #{"z" "word" "x" "count" "y"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conf := defaultConf()
			n, err := Normalize(tt.user(), conf)
			if err == nil {
				_, err = System(n, conf)
			}
			var ie *InvalidError
			if !errors.As(err, &ie) || ie.Msg != tt.want {
				t.Errorf("err = %v, want InvalidError %q", err, tt.want)
			}
		})
	}
}

func TestSystemZeroTasksZeroHintIsFine(t *testing.T) {
	f := newFixture().bolt("b", 1, str(`{"topology.tasks":0}`), nil)
	zero := int32(0)
	f.t.Bolts["b"].Common.ParallelismHint = &zero
	mustSystem(t, f.t, defaultConf())
}
