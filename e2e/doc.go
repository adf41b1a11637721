// Package e2e holds Gale's end-to-end tests: the programs built as users
// build them (the storm command, the Go word count), run as processes.
//
//   - dev mode: `wordcount dev` runs the Go word count on an embedded
//     cluster in its own process and prints exact totals.
//   - a real cluster: a real ZooKeeper (internal/zktest), `storm nimbus`
//     and two `storm supervisor` processes; `wordcount submit` uploads the
//     executable and submits it over two workers, which the supervisors
//     start as processes of that same executable. Totals are exact;
//     Storm 1.0.0's Java NimbusClient reads getTopologyInfo; a worker
//     killed with SIGKILL is restarted by its supervisor and acking goes
//     on; a supervisor killed with SIGKILL leaves its workers running and
//     its restart adopts them.
//
// The tests build the binaries with `go build` (cached by the Go build
// cache) into temporary directories and clean up every process they
// start, including workers, which run in process groups of their own.
package e2e
