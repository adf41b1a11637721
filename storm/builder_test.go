package storm_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

type confSpout struct{ SentenceSpout }

func (confSpout) ComponentConfiguration() map[string]any {
	return map[string]any{"topology.tick.tuple.freq.secs": 5, "custom": "x"}
}

type multiStream struct{ storm.BaseBolt }

func (multiStream) DeclareOutputFields(d storm.OutputFieldsDeclarer) {
	d.Declare("a")
	d.DeclareStream("errors", "msg", "code")
	d.DeclareDirectStream("control", "cmd")
}
func (multiStream) Prepare(storm.Conf, *storm.TopologyContext, storm.OutputCollector) error {
	return nil
}
func (multiStream) Execute(*storm.Tuple) {}

type badDecl struct{ multiStream }

func (badDecl) DeclareOutputFields(d storm.OutputFieldsDeclarer) {
	d.Declare("a")
	d.Declare("b")
	d.DeclareStream("dup", "x", "x")
}

type modGrouping struct{ targets []int32 }

func (g *modGrouping) Prepare(_ storm.GlobalStreamID, targets []int32) error {
	g.targets = targets
	return nil
}
func (g *modGrouping) ChooseTasks(dst []int32, src int32, _ []any) []int32 {
	return append(dst, g.targets[int(src)%len(g.targets)])
}

func newApp() *storm.App {
	app := storm.NewApp()
	app.RegisterSpout("sentences", func() storm.Spout { return &SentenceSpout{} })
	app.RegisterSpout("conf-spout", func() storm.Spout { return &confSpout{} })
	app.RegisterBasicBolt("split", func() storm.BasicBolt { return SplitBolt{} })
	app.RegisterBolt("count", func() storm.Bolt { return &CountBolt{} })
	app.RegisterBolt("multi", func() storm.Bolt { return multiStream{} })
	app.RegisterBolt("bad", func() storm.Bolt { return badDecl{} })
	app.RegisterGrouping("mod", func() storm.CustomStreamGrouping { return &modGrouping{} })
	return app
}

func TestCreateTopology(t *testing.T) {
	b := storm.NewTopologyBuilder(newApp())
	b.SetSpout("spout", "conf-spout", 2).SetMaxSpoutPending(100).SetNumTasks(4)
	b.SetBolt("split", "split", 3).ShuffleGrouping("spout")
	b.SetBolt("multi", "multi", 0).
		LocalOrShuffleGrouping("split").
		AllGroupingStream("spout", "default"). // two subscriptions on one stream: the last wins
		NoneGrouping("spout")
	b.SetBolt("count", "count", 4).
		FieldsGrouping("split", "word").
		GlobalGroupingStream("multi", "errors").
		DirectGroupingStream("multi", "control").
		CustomGrouping("multi", "mod").
		SetDebug(true)
	topo, err := b.CreateTopology()
	if err != nil {
		t.Fatal(err)
	}
	if len(topo.Spouts) != 1 || len(topo.Bolts) != 3 || len(topo.StateSpouts) != 0 {
		t.Fatalf("components: %d spouts %d bolts", len(topo.Spouts), len(topo.Bolts))
	}
	spout := topo.Spouts["spout"]
	if jo := spout.SpoutObject.JavaObject; jo == nil || jo.FullClassName != "conf-spout" || jo.ArgsList == nil {
		t.Fatalf("spout object %+v", spout.SpoutObject)
	}
	if *spout.Common.ParallelismHint != 2 || len(spout.Common.Inputs) != 0 {
		t.Fatalf("spout common %+v", spout.Common)
	}
	wantConf := `{"custom":"x","topology.max.spout.pending":100,"topology.tasks":4,"topology.tick.tuple.freq.secs":5}`
	if got := spout.Common.GetJSONConf(); got != wantConf {
		t.Fatalf("spout json_conf %s, want %s", got, wantConf)
	}
	multi := topo.Bolts["multi"].Common
	if multi.ParallelismHint != nil || multi.JSONConf != nil {
		t.Fatalf("multi: parallelism %v json %v", multi.ParallelismHint, multi.JSONConf)
	}
	if s := multi.Streams["control"]; s == nil || !s.Direct || s.OutputFields[0] != "cmd" {
		t.Fatalf("control stream %+v", s)
	}
	if s := multi.Streams["errors"]; s == nil || s.Direct || len(s.OutputFields) != 2 {
		t.Fatalf("errors stream %+v", s)
	}
	inputs := map[string]*stormthrift.Grouping{}
	for k, g := range multi.Inputs {
		inputs[k.ComponentId+"/"+k.StreamId] = g
	}
	if len(inputs) != 2 || !inputs["split/default"].IsSetLocalOrShuffle() || !inputs["spout/default"].IsSetNone() {
		t.Fatalf("multi inputs %v", inputs)
	}
	count := topo.Bolts["count"].Common
	inputs = map[string]*stormthrift.Grouping{}
	for k, g := range count.Inputs {
		inputs[k.ComponentId+"/"+k.StreamId] = g
	}
	if f := inputs["split/default"].Fields; len(f) != 1 || f[0] != "word" {
		t.Fatalf("fields grouping %v", inputs["split/default"])
	}
	if g := inputs["multi/errors"]; !g.IsSetFields() || len(g.Fields) != 0 {
		t.Fatalf("global grouping %v", g)
	}
	if !inputs["multi/control"].IsSetDirect() || inputs["multi/default"].CustomObject.FullClassName != "mod" {
		t.Fatalf("count inputs %v", inputs)
	}
	if count.GetJSONConf() != `{"topology.debug":true}` {
		t.Fatalf("count json_conf %s", count.GetJSONConf())
	}

	// The topology is a valid Storm topology: it serializes, and Nimbus's validation accepts it.
	if _, err := thrift.NewTSerializer().Write(context.Background(), topo); err != nil {
		t.Fatalf("serialize: %v", err)
	}
	topoConf := conf.Defaults()
	norm, err := topology.Normalize(topo, topoConf)
	if err != nil {
		t.Fatalf("Normalize: %v", err)
	}
	if _, err := topology.System(norm, topoConf); err != nil {
		t.Fatalf("System: %v", err)
	}
}

func TestCreateTopologyErrors(t *testing.T) {
	b := storm.NewTopologyBuilder(newApp())
	b.SetSpout("spout", "sentences", 1)
	b.SetBolt("spout", "count", 1)                                // duplicate id
	b.SetBolt("neg", "count", -1)                                 // bad parallelism
	b.SetBolt("unknown", "nope", 1)                               // not registered
	b.SetBolt("bad", "bad", 1)                                    // bad declarations
	b.SetBolt("g", "count", 1).CustomGrouping("spout", "no-such") // unknown grouping
	b.SetBolt("f", "count", 1).FieldsGrouping("spout")            // no fields
	b.SetBolt("k", "count", 1).AddConfiguration("topology.kryo.register", []any{"x"})
	_, err := b.CreateTopology()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"spout has already been declared for id spout",
		"neg: parallelism must be positive",
		`no bolt registered as "nope"`,
		"fields for default already set",
		`duplicate field "x"`,
		`no grouping registered as "no-such"`,
		"without fields",
		"cannot set serializations",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	var nr *storm.NotRegisteredError
	if !errors.As(err, &nr) {
		t.Error("NotRegisteredError not in chain")
	}
}

func TestAppRegistry(t *testing.T) {
	app := newApp()
	if _, err := app.NewSpout("count"); err == nil {
		t.Error("bolt name resolved as spout")
	}
	if b, err := app.NewBolt("split"); err != nil || b == nil {
		t.Errorf("NewBolt(split) = %v, %v", b, err)
	}
	if g, err := app.NewGrouping("mod"); err != nil || g == nil {
		t.Errorf("NewGrouping = %v, %v", g, err)
	}
	if names := app.Names(); len(names) != 7 || names[0] != "bad" {
		t.Errorf("Names = %v", names)
	}
	for _, reg := range []func(){
		func() { app.RegisterBolt("sentences", nil) },
		func() { app.RegisterSpout("", nil) },
		func() { app.RegisterGrouping("mod", nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("bad registration did not panic")
				}
			}()
			reg()
		}()
	}
}

func TestDeclaredStreams(t *testing.T) {
	streams, err := storm.DeclaredStreams(multiStream{})
	if err != nil {
		t.Fatal(err)
	}
	if len(streams) != 3 || !streams["control"].Direct || streams["default"].Fields[0] != "a" {
		t.Fatalf("streams %v", streams)
	}
}

func TestConfig(t *testing.T) {
	c := storm.Config{}
	c.SetNumWorkers(3)
	c.SetNumAckers(2)
	c.SetMaxSpoutPending(1000)
	c.SetMessageTimeoutSecs(60)
	c.SetDebug(true)
	c.SetStatsSampleRate(1)
	n, err := c.Conf()
	if err != nil {
		t.Fatal(err)
	}
	if n.IntOr(conf.TopologyWorkers, 0) != 3 || n.IntOr(conf.TopologyAckerExecutors, 0) != 2 ||
		n.IntOr(conf.TopologyMaxSpoutPending, 0) != 1000 || !n.BoolOr(conf.TopologyDebug, false) ||
		n.FloatOr(conf.TopologyStatsSampleRate, 0) != 1 || n.IntOr(conf.TopologyMessageTimeoutSecs, 0) != 60 {
		t.Fatalf("conf %v", n)
	}
}
