// Package worker is Gale's worker runtime: the process a supervisor starts for one slot, which
// runs a topology's executors, routes tuples between them and to peer workers, tracks tuple trees
// and reports heartbeats, stats and errors. Run is the entry point; README.md draws the data path
// and explains the flow control.
//
// The runtime is built from small pure cores, each a single-goroutine state machine that takes
// inputs (and time, as ticks or milliseconds) and leaves its outputs in an outbox; the executor
// loop that owns them performs all I/O:
//
//	worker/acker      Storm's XOR acker (the __acker bolt): init/ack/fail/reset-timeout → ack/fail to spouts
//	worker/pending    spout side: pending tuple trees, message timeouts, topology.max.spout.pending window
//	worker/grouping   stream groupings (shuffle, fields with Java hashing, all, global, none, direct, ...)
//	worker/tuple      the tuple model and the Go↔Go tuple codec
//	worker/transport  TCP transport between workers with Storm's Netty framing
//	worker/stats      ExecutorStats counters and rolling windows for heartbeats
//
// This package wires them: one goroutine per executor over bounded queues, executors handing
// encoded batches straight to a transport client per peer worker, the transport server's read goroutines handing tuples to executors without
// ever waiting, and background goroutines for heartbeats and the cluster-state watches. Go
// components come from the executable's storm.App (Config.Components); multilang components run
// through package shellhost and Storm's test components natively (package components).
//
// The public Go SDK that user components are written against is package storm.
package worker
