// Package embedded runs a whole Gale cluster in one process: Nimbus on the
// in-memory cluster store (cluster/store/mem), which has ZooKeeper's session,
// ephemeral-node, version and watch semantics, listening for Thrift clients
// on 127.0.0.1. It backs `storm dev` and the integration tests.
//
// Supervisors join the embedded cluster once Gale's worker runtime exists;
// until then the cluster accepts, lists and manages topologies but runs no
// workers.
package embedded
