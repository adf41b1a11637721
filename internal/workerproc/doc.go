// Package workerproc is the main of a worker process: what runs when a
// supervisor starts
//
//	<program> worker <storm-id> <assignment-id> <port> <worker-id> [-c key=value]... [--config FILE]
//
// The program is Gale's `storm` command for jar topologies (built-in and
// multilang components only) or a Go topology's own executable (its
// storm.App registered as the component factory). Both parse the same
// command line, read the same configuration as the supervisor (defaults,
// storm.yaml or --config, then -c), open their own session to the cluster
// state in ZooKeeper and hand everything to worker.Run.
package workerproc
