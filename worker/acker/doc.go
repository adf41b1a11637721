// Package acker is Storm's XOR acker (the __acker bolt) as a single-goroutine state machine.
//
// Every spout tuple that carries a message id starts a tuple tree with a random 64-bit root id.
// Each edge of the tree (one tuple sent to one task) gets a random 64-bit edge id. The acker keeps,
// per root, the XOR of every edge id it has heard of:
//
//	spout ──__ack_init [root, e1^e2^…, spoutTask]──▶ acker   (the spout's edges)
//	bolt  ──__ack_ack  [root, e ^ c1^c2^…]────────▶ acker   (input edge e done, children c* started)
//	bolt  ──__ack_fail [root]──────────────────────▶ acker
//	bolt  ──__ack_reset_timeout [root]─────────────▶ acker
//
// Every edge id is XORed in exactly twice (once when created, once when acked), so the value
// returns to zero exactly when every tuple of the tree has been acked, whatever the arrival order
// (up to a 2^-64 chance of a false zero). When the value is zero and the spout task is known, the
// acker sends __ack_ack [root] directly to that spout task; after a fail it sends __ack_fail;
// reset-timeout is forwarded so the spout restarts its own timeout.
//
// Inputs go in through Step; time goes in through Tick (one tick per topology.message.timeout.secs);
// outputs (direct emits to spout tasks) collect in an outbox the driver drains with TakeOutbox. The
// driver also acks every input tuple, as Storm's acker does.
//
// Differences from Storm 1.0.0, all invisible on the wire for well-formed trees:
//   - A failure wins: an entry marked failed is reported as failed even if its XOR value is zero
//     (Storm checks zero first; both can only hold together for inconsistent inputs).
//   - Storm 1.0.0 never delivers ticks to the acker (setup-ticks! skips system components), so
//     entries of trees whose spout died stay forever. Gale's driver ticks the acker with the message
//     timeout; the default of 3 buckets keeps an idle entry 2–3 timeouts, longer than the spout's
//     1–2, so the acker never forgets a tree its spout still waits for.
//   - A reset-timeout for an unknown root creates no entry.
package acker
