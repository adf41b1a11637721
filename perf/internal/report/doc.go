// Package report renders benchmark results (bench.Results) as perf/RESULTS.md: one table per
// figure, a column per runner, and Gale/Storm ratios.
package report
