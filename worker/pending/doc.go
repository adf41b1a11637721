// Package pending tracks a spout executor's in-flight tuple trees: what Storm's spout executor
// keeps in its pending RotatingMap (executor.clj, mk-threads :spout).
//
// When a spout emits with a message id and the topology has ackers, the executor Adds the tree's
// root id with the spout task, message id, stream and emit time. The acker's __ack_ack / __ack_fail
// for that root complete it (Ack / Fail); __ack_reset_timeout restarts its timeout (ResetTimeout).
// Tick is called on every __tick of the spout (period topology.message.timeout.secs); with Storm's
// two buckets a tree that is neither completed nor reset times out one to two periods after it was
// emitted or last reset.
//
// Every completion, failure and timeout goes to the outbox as a Result carrying the complete latency;
// the executor drains it with TakeOutbox and calls the spout's Ack or Fail and the stats for each.
// Timeouts of one Tick come out in emission order.
//
// The window: topology.max.spout.pending bounds the trees in flight per spout task. Full reports
// whether the executor must stop calling NextTuple; like Storm, the bound is checked only before
// NextTuple, so one NextTuple that emits several trees may overshoot it.
//
// A Tracker is not safe for concurrent use; it belongs to the spout executor's goroutine.
package pending
