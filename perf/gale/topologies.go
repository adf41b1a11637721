package galeperf

import (
	"fmt"
	"path/filepath"

	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
)

// Registry names of the components (ComponentObject.java_object.full_class_name in the built
// topology).
const (
	ConstantSpout = "gale.perf.ConstantSpout"
	SentenceSpout = "gale.perf.SentenceSpout"
	NoOp          = "gale.perf.NoOp"
	Identity      = "gale.perf.Identity"
	Split         = "gale.perf.Split"
	Count         = "gale.perf.Count"
)

// Register registers the benchmark components in app.
func Register(app *storm.App) {
	app.RegisterSpout(ConstantSpout, func() storm.Spout { return &perfSpout{} })
	app.RegisterSpout(SentenceSpout, func() storm.Spout { return &perfSpout{sentence: true} })
	app.RegisterBolt(NoOp, func() storm.Bolt { return &noopBolt{} })
	app.RegisterBolt(Identity, func() storm.Bolt { return &identityBolt{} })
	app.RegisterBolt(Split, func() storm.Bolt { return &splitBolt{} })
	app.RegisterBolt(Count, func() storm.Bolt { return &countBolt{} })
}

// Multilang is what the multilang topologies' relays need; the other topologies
// ignore it.
type Multilang struct {
	// Dir holds relay.js and Storm's storm.js (multilang), or relay.py and
	// Storm's storm.py (multilang-py).
	Dir string
	// Python is the Python 2 interpreter that runs relay.py (multilang-py);
	// Storm 1.0.0's storm.py is Python 2 only.
	Python string
}

// Build builds a benchmark topology with the shape of PerfMain.build (perf/java).
func Build(app *storm.App, topology string, ml Multilang) (*stormthrift.StormTopology, error) {
	b := storm.NewTopologyBuilder(app)
	switch topology {
	case "noop":
		b.SetSpout("spout", ConstantSpout, 1)
		b.SetBolt("noop", NoOp, 1).ShuffleGrouping("spout")
	case "identity":
		b.SetSpout("spout", ConstantSpout, 1)
		b.SetBolt("identity", Identity, 2).LocalOrShuffleGrouping("spout")
		b.SetBolt("noop", NoOp, 2).LocalOrShuffleGrouping("identity")
	case "wordcount":
		b.SetSpout("spout", SentenceSpout, 1)
		b.SetBolt("split", Split, 2).ShuffleGrouping("spout")
		b.SetBolt("count", Count, 2).FieldsGrouping("split", "word")
	case "multilang":
		// spout -shuffle-> relay (node relay.js on Storm's storm.js) -shuffle-> noop.
		if ml.Dir == "" {
			return nil, ErrNoMultilangDir
		}
		b.SetSpout("spout", ConstantSpout, 1)
		b.SetShellBolt("relay", "node", filepath.Join(ml.Dir, "relay.js"), 1, "value").ShuffleGrouping("spout")
		b.SetBolt("noop", NoOp, 1).ShuffleGrouping("relay")
	case "multilang-py":
		// spout -shuffle-> relay (python2 relay.py on Storm's storm.py) -shuffle-> noop.
		if ml.Dir == "" {
			return nil, ErrNoMultilangDir
		}
		if ml.Python == "" {
			return nil, ErrNoPython
		}
		b.SetSpout("spout", ConstantSpout, 1)
		b.SetShellBolt("relay", ml.Python, filepath.Join(ml.Dir, "relay.py"), 1, "value").ShuffleGrouping("spout")
		b.SetBolt("noop", NoOp, 1).ShuffleGrouping("relay")
	default:
		return nil, fmt.Errorf("galeperf: unknown topology %q", topology)
	}
	return b.CreateTopology()
}
