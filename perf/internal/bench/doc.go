// Package bench runs the side-by-side benchmarks: each case (topology × workers × offered rate)
// on each Runner (Storm 1.0.0 as a cluster and as a LocalCluster; Gale as `storm dev` and as a
// cluster), sampling the CPU time and RSS of every process of the deployment from /proc while
// the topology's spouts report acks and complete latencies (package metrics), and turns both
// into the figures of perf/RESULTS.md.
//
// A run: deploy → wait for the first ack → warm up → measure → kill (and wait until the
// workers are gone). Throughput is acked spout tuples per second over the measure window;
// latency percentiles come from the spouts' histograms of the same window; CPU is the sum over
// the deployment's processes (daemons, workers, LogWriters, multilang subprocesses; the shared
// ZooKeeper is reported apart); RSS is averaged over the window's samples.
//
// Adding a system: implement Runner (see GaleRunner for the hook the Gale side plugs into).
package bench
