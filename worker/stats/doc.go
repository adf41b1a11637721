// Package stats keeps an executor's statistics — what Storm's stats.clj keeps in
// MultiCountStatAndMetric / MultiLatencyStatAndMetric — and renders them as the Thrift
// ExecutorStats a worker puts in its ZooKeeper heartbeat.
//
// Every counter keeps four windows, keyed as Storm keys them: "600" (10 minutes), "10800" (3 hours),
// "86400" (1 day) and ":all-time". A rolling window of W is 20 buckets of W/20 plus the bucket in
// progress; reading it sums the current bucket, the 19 before it and the oldest one pro-rated by
// how much of it still lies inside the window, so the value covers exactly the last W. Time is an
// input (milliseconds), so tests drive it.
//
// Spout executors count emitted and transferred per stream, and acked, failed and the complete
// latency per stream of the root emit. Bolt executors count emitted and transferred per stream,
// and acked, failed, executed, process latency (on ack) and execute latency per input
// GlobalStreamId (source component, source stream).
//
// Sampling: Storm counts only sampled events (topology.stats.sample.rate, 0.05 by default) and
// adds the sampling rate (20) for each, so its counts are estimates in multiples of 20. Gale counts
// every event exactly, which is the same quantity without the noise; ExecutorStats.rate still
// carries Storm's rate, int(1/topology.stats.sample.rate), because clients read it as metadata
// (the UI shows counts as they are and multiplies nothing).
//
// Storm 1.0.0 also stops rotating its buckets after the first heartbeat (render-stats! closes the
// metrics' timers), so its windows drift toward all-time values; Gale's windows stay correct.
//
// An Executor's methods are safe for concurrent use: the executor goroutine records, the heartbeat
// goroutine renders.
package stats
