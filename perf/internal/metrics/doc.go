// Package metrics is the measurement format shared by the benchmark topologies and the harness.
//
// Each spout task appends one JSON line per report interval (default 1 s) to
// <perf.metrics.dir>/spout-<task>.jsonl:
//
//	{"t":<wall ms>,"task":3,"pid":1234,"emitted":N,"acked":N,"failed":N,"first_ack_ms":<wall ms or 0>,
//	 "lat_sum_us":<sum of the interval's latencies>,"lat":{"<bucket>":count,...}}
//
// Counters are cumulative; "lat" is the complete-latency histogram (ack time minus emit time, in
// microseconds) of the acks since the previous line, in the log-linear bucket layout of Index.
// Every component instance also writes <perf.metrics.dir>/ready-<task>.json when it became ready
// (spout open, bolt prepare): {"event":"ready","component":"noop","task":2,"pid":1234,"ms":<wall ms>}.
//
// The Java topologies (perf/java, Hist.java and PerfSpout.java) and the Go topologies (perf/gale)
// write exactly this; Writer is the Go side.
package metrics
