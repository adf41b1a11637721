// Package storm is Gale's Go SDK: write spouts and bolts in Go with Storm's life cycle, wire them
// into a topology with a TopologyBuilder, and run them on a Gale cluster.
//
// A Go topology is one executable. Its main registers component factories by name in an App — no
// global registries — and builds the topology from those names:
//
//	app := storm.NewApp()
//	app.RegisterSpout("words", func() storm.Spout { return &WordSpout{} })
//	app.RegisterBolt("count", func() storm.Bolt { return &CountBolt{} })
//
//	b := storm.NewTopologyBuilder(app)
//	b.SetSpout("spout", "words", 2)
//	b.SetBolt("counter", "count", 4).FieldsGrouping("spout", "word")
//	topology, err := b.CreateTopology()
//
// The result is a real Storm *stormthrift.StormTopology: each Go component appears as
// ComponentObject.java_object{full_class_name: "<registry name>"}, and the worker that runs the
// same executable creates the component by looking that name up in the App. Output streams and
// groupings are declared exactly as Storm declares them, so Nimbus, the UI and other clients see an
// ordinary topology.
//
// The executable's main hands the App and a function building the topology to cli.Main (package
// github.com/galeproject/gale/storm/cli), which gives the program its modes: `submit NAME`
// uploads the executable itself as the topology artifact and submits the topology to Nimbus,
// `worker ...` is what supervisors run (the components are created from the App), and `dev` runs
// the topology on a one-process cluster. The entry point lives in its own package because it
// imports the worker runtime, which imports this one.
//
// Life cycle (one goroutine per executor calls a component; never concurrently):
//
//	Spout: Open → (Activate → NextTuple/Ack/Fail … → Deactivate)* → Close
//	Bolt:  Prepare → Execute … → Cleanup
//
// Reliability works as in Storm: a spout emits with a message id; bolts anchor what they emit on
// their input and ack or fail every input; the acker reports the tree back to the spout's Ack or
// Fail, or Fail after topology.message.timeout.secs. A BasicBolt anchors and acks for you.
package storm
