// Package transport moves tuple payloads between workers over TCP, framed like Storm 1.0.0's Netty
// transport (reference §7.1) so that a later step can talk to Java workers.
//
//	executor ──Send──▶ Client (one per remote worker)           Server (one per worker port)
//	                   │ pending batch buffer (bounded:              │ one read goroutine per
//	                   │ QueueBytes; Send blocks when full)          │ connection: frames are parsed
//	                   ▼                                             │ in place and handed to the
//	                   write goroutine: swaps buffers, one           │ Handler in batches
//	                   Write per batch, EOB-terminated  ──TCP──▶     ▼
//	                   read goroutine: drains server→client          Handler(from, []Message)
//	                   frames (load metrics)
//
// Wire format: a stream of units, each starting with a big-endian int16 code. A code that is not a
// control code is a task message: [int16 task][int32 length][payload]. A batch of messages ends with
// the control code EOB (-201). Task ids must fit in an int16. Only task messages and EOB are valid
// from client to server; a peer sending anything else, a length above MaxMessageBytes or a torn
// frame at EOF is closed and reported through OnError, and the server keeps serving others.
//
// Backpressure is explicit: every queue is bounded, Send blocks (honouring its context) while the
// client's buffer is full, and a slow Handler stops its connection's reads, which pushes back
// through TCP to the sending client. The transport's own goroutines never wait on each other in a
// cycle: the writer never holds the lock during I/O, the reader waits only on the Handler. Messages
// are dropped only where Storm drops them: while a client is not connected (including what was
// buffered when a connection broke); tuple trees that lose messages are replayed by acking.
//
// Clients reconnect with bounded exponential backoff between MinWait and MaxWait
// (storm.messaging.netty.min_wait_ms / max_wait_ms).
package transport
