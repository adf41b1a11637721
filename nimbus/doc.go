// Package nimbus is Gale's Nimbus daemon: the Storm 1.0.0 Nimbus Thrift
// service, leader election, the assignment loop and the topology lifecycle.
//
// Layout (one file per Thrift concern):
//
//	nimbus.go        Config, New, Run: wiring and the goroutines the daemon owns
//	thriftserver.go  framed/binary Thrift server (Storm's SimpleTransportPlugin wire)
//	leader.go        /leader-lock latch, /nimbuses registration, leadership changes
//	submit.go        submitTopology(WithOpts): validation, conf normalization, blobs
//	lifecycle.go     kill/activate/deactivate/rebalance: Storm's state transitions
//	delay.go         delayed transitions (kill wait, rebalance wait), one per topology
//	assign.go        mk-assignments: snapshot -> scheduler.Schedule -> changed writes
//	liveness.go      executor liveness from heartbeats (pure, nimbus-clock based)
//	cleanup.go       removal of killed topologies' leftovers, inbox/session expiry
//	info.go          getClusterInfo, getTopologyInfo, getTopology*, conf, history
//	stats.go         heartbeat stats -> TopologyPageInfo / ComponentPageInfo (pure)
//	pages.go         getTopologyPageInfo, getComponentPageInfo handlers
//	blobs.go         blob store RPCs (delegating to nimbus/blobstore)
//	files.go         beginFileUpload/uploadChunk/finishFileUpload, legacy download
//	logconf.go       setLogConfig/getLogConfig, debug
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
package nimbus
