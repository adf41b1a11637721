// Package cli is the main of a Go topology executable. A Go topology is one
// program: it registers its components in a storm.App, says how to build
// its topology, and hands both to Main:
//
//	func main() {
//		app := storm.NewApp()
//		app.RegisterSpout("words", ...)
//		app.RegisterBolt("count", ...)
//		cli.Main(cli.Topology{Name: "word-count", App: app, Build: build})
//	}
//
// The same file then runs in every role:
//
//	prog submit [-c key=value]... [--config FILE] NAME
//	    build the topology, upload this executable as the topology artifact
//	    (beginFileUpload/uploadChunk/finishFileUpload) and submitTopology to
//	    the leader Nimbus (nimbus.seeds, nimbus.thrift.port), as `storm jar`
//	    with StormSubmitter does for a jar.
//	prog dev [-c key=value]... [--config FILE] [NAME]
//	    start a one-process cluster (package embedded: Nimbus, a supervisor,
//	    in-process workers running this App's components), submit the
//	    topology and run Topology.Dev (or report progress until Ctrl-C).
//	prog worker <storm-id> <assignment-id> <port> <worker-id> [-c ...]...
//	    what a supervisor runs: one worker of the topology (package
//	    worker), its components created from the App.
//
// As with StormSubmitter, the -c options are read into the client
// configuration and also merged over the topology configuration that is
// submitted. StartLocal runs a topology on an embedded cluster from Go code
// (tests).
package cli
