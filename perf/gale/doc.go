// Package galeperf holds the Go twins of the benchmark topologies in perf/java, written against
// Gale's Go SDK (package storm) with the same shapes, parallelism, groupings and reporting
// (package metrics: spout-<task>.jsonl and ready-<task>.json in perf.metrics.dir).
//
// cmd/perftopo is the Go topology executable the Gale runners submit; it is the one place that
// wires these topologies to the SDK's submit/worker entry point once Gale's worker runtime
// exists (see its Capabilities).
package galeperf
