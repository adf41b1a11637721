// Package nimbus is Gale's Nimbus daemon: the Storm 1.0.0 Nimbus Thrift
// service, leader election, the assignment loop and the topology lifecycle.
//
// Layout (one file per Thrift concern):
//
//	nimbus.go        Config, New, Run, IsLeader/WaitLeader: wiring and owned goroutines
//	keys.go          the config keys Nimbus reads
//	thriftserver.go  framed/binary Thrift server (Storm's SimpleTransportPlugin wire)
//	leader.go        /leader-lock latch, /nimbuses registration, leadership changes
//	submit.go        submitTopology(WithOpts): validation, ids, code blobs, StormBase
//	topoconf.go      normalize-conf, conf type checks, topology size limits
//	lifecycle.go     kill/activate/deactivate/rebalance: Storm's state transitions
//	delay.go         delayed transitions (kill wait, rebalance wait), one per topology
//	assign.go        mk-assignments: snapshot -> scheduler.Schedule -> changed writes
//	supkind.go       mixed clusters: one kind of supervisor (Gale's, Storm's) per topology
//	liveness.go      executor liveness from heartbeats (pure, nimbus-clock based)
//	cleanup.go       removal of killed topologies' leftovers, inbox/session expiry
//	info.go          getClusterInfo, getTopologyInfo, getTopology*, conf, history
//	stats.go         heartbeat stats -> TopologyPageInfo / ComponentPageInfo (pure)
//	pages.go         getTopologyPageInfo, getComponentPageInfo handlers
//	blobs.go         blob store RPCs (delegating to nimbus/blobstore)
//	blobsync.go      followers copy missing blobs from the nimbuses holding them
//	files.go         beginFileUpload/uploadChunk/finishFileUpload, legacy download
//	logconf.go       setLogConfig/getLogConfig (debug is in lifecycle.go)
//	profiler.go      setWorkerProfiler, getComponentPendingProfileActions
//	creds.go         uploadNewCredentials
//	topodata.go      cached per-topology conf/code read back from the blob store
//	history.go       topology history (LocalState "topo-hist")
//	errors.go        Storm's declared exceptions and the "not a leader" error
//
// Concurrency: Thrift calls run on one goroutine per connection. submitMu
// is Storm's submit-lock: submissions, state transitions and assignment
// passes hold it, so they never interleave. mu guards the in-memory caches.
// The goroutines Run starts (Thrift server, assignment loop, delayed
// transitions, housekeeping, leadership watch) all stop when Run's context
// is cancelled, and Run waits for them.
//
// Deviations from Storm 1.0.0 (all deliberate):
//   - A follower refuses mutating calls with TApplicationException
//     INTERNAL_ERROR "not a leader, current leader is host:port" instead of
//     dropping the connection (what an undeclared RuntimeException does in
//     Storm's server); the Java client raises a TApplicationException
//     either way. The same goes for "No transition for event ...".
//   - An assignment pass runs right after a submission or rebalance instead
//     of waiting for the next nimbus.monitor.freq.secs tick.
//   - submitTopology with an uploadedJarLocation this Nimbus did not issue
//     (or whose upload is unfinished or expired) is refused with
//     InvalidTopologyException; Storm would read any file path given.
//   - updateBlobReplication returns the current replication count (the
//     local blob store has exactly one replica per nimbus) instead of
//     throwing UnsupportedOperationException.
//   - Topology stats for info calls are read fresh from the heartbeats in
//     the cluster state, not from the 10 s liveness cache.
//   - Blob mutations (beginCreateBlob, beginUpdateBlob, setBlobMeta,
//     deleteBlob), setLogConfig, setWorkerProfiler, debug and
//     uploadNewCredentials also require leadership (Storm checks only
//     submissions and transitions).
//   - A pending kill/rebalance is rescheduled by the :startup transition
//     with its full wait, as in Storm (the StormBase does not record when
//     the wait began).
//   - In a cluster with both Gale's supervisors (SupervisorInfo.version
//     ending in "-gale") and Storm's own, each topology's workers go to
//     one kind only (their workers do not talk to each other): a topology
//     that needs a JVM to Storm's, a Go SDK topology to Gale's, any other
//     stays where it runs, else Gale's (supkind.go). With one kind
//     registered, as in Storm, every topology may use every slot.
//   - Topologies whose code this Nimbus lacks are removed when it gains
//     leadership (Storm's cleanup-corrupt-topologies!, which Storm runs at
//     every start), except when another live nimbus has registered the
//     code under /blobstore.
//
// Not implemented: following updates of blobs a follower already has
// (followers copy missing keys only), credential renewers,
// nimbus.authorizer / impersonation checks, group mapping for
// getTopologyHistory, the Resource Aware Scheduler's resource fields
// (sched_status and requested/assigned memory and CPU stay unset; the UI
// reads them as 0).
package nimbus
