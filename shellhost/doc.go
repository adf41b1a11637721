// Package shellhost runs one multilang subprocess for a worker: a
// ShellBolt or ShellSpout of Storm 1.0.0, speaking the JSON protocol of
// package compat/multilang over the child's stdin and stdout.
//
// Lifecycle of a subprocess:
//
//	StartBolt / StartSpout
//	   │ exec Command in Dir (the topology's resources directory), env merged
//	   │ handshake: {pidDir, conf, context} → {"pid": n} (child creates pidDir/n)
//	   ▼
//	running ── Bolt.Execute / Spout.Next, Ack, Fail ──▶ child
//	   │       child commands ──▶ Collector callbacks (Emit, Ack, Fail, ...)
//	   │       stderr lines ──▶ Logger
//	   │
//	   ├─ child exits, breaks the protocol, a callback fails, or the child is
//	   │  silent past the timeout  ──▶ fatal: Collector.ReportError, Done()
//	   │  closes, Err() says why. Storm's worker then exits with code 11
//	   │  (ExitCode) and the supervisor restarts it; the Gale worker must
//	   │  do the same.
//	   ▼
//	Close: stdin closed, SIGTERM, SIGKILL after a grace period, pid file removed
//
// Bolt: Execute (or TryExecute, which does not block) queues a tuple
// (bounded by topology.shellbolt.max.pending) for a writer goroutine, which
// writes everything queued in one batch and one write. A reader goroutine
// reads the child's commands, resolves their tuple ids in order and hands
// each batch of commands already read to the collector: by calling it from
// the reader, or, for a collector that is a Poster (the worker's), as one
// function posted to the collector's own goroutine, so that the worker
// pays one goroutine hand-over per batch rather than a round trip per
// command. Task ids the child waits for are written before queued tuples.
// A heartbeat tuple goes out every HeartbeatInterval (1 s); if nothing
// arrives from the child for Timeout (topology.subprocess.timeout.secs,
// else supervisor.worker.timeout.secs) the bolt is dead, as in Storm.
//
// Spout: Next, Ack and Fail send one request and dispatch the child's
// answers in the caller's goroutine until the child's sync. The timeout
// runs while a request is outstanding (Storm also counts idle time while
// the spout is active, which kills healthy spouts that wait for acks).
//
// Differences from Storm, each deliberate: a null anchor is ignored (Storm
// fails on it; storm.js sends one for an emit without anchor); the
// handshake reply is awaited for at most HandshakeTimeout (Storm waits
// forever); unknown commands to a bolt are logged and ignored, as in Storm,
// but at WARN level; only the JSON serializer exists (another
// topology.multilang.serializer is an error at start).
package shellhost
