// Package procfs reads what the benchmark harness needs about processes from Linux's /proc:
// parent, start time, CPU time and resident set size of every process, and command lines. The
// parsers are pure functions over the file contents (fuzzed); the readers are thin.
package procfs
