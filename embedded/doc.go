// Package embedded runs a whole Gale cluster in one process: Nimbus on the
// in-memory cluster store (cluster/store/mem), which has ZooKeeper's session,
// ephemeral-node, version and watch semantics, listening for Thrift clients
// on 127.0.0.1, and supervisors whose workers run as goroutines of the same
// process (supervisor.FuncLauncher + worker.Run), each with its own store
// session. It backs `storm dev`, a Go topology's `dev` mode and the
// integration tests.
//
// The workers run the Go components Options.Components creates (a Go
// topology's *storm.App), and what the worker runtime runs natively:
// Storm's built-in test classes and multilang (shell) components; a
// topology naming anything else fails in its worker.
package embedded
