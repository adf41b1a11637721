// Package worker is the root of Gale's worker runtime: the process a supervisor starts for one
// slot, which runs a topology's executors, routes tuples between them and to peer workers, tracks
// tuple trees and reports heartbeats and stats.
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
// The public Go SDK that user components are written against is package storm.
package worker
