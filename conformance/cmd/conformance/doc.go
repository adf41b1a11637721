// Command conformance runs Gale's conformance suite against real Storm
// 1.0.0 peers and prints where its report is:
//
//	go run ./conformance/cmd/conformance                      # every case
//	go run ./conformance/cmd/conformance -case client-cli-commands
//	go run ./conformance/cmd/conformance -results /tmp/report -work /tmp/work
//
// It is a thin wrapper over `go test ./conformance -run TestConformance`
// (the suite needs the testing package for its ZooKeeper and Java
// helpers); the exit code is go test's.
package main
