package stormthrift

// The bindings in this package are generated from ../storm.thrift by the
// Apache Thrift compiler (Debian package thrift-compiler, 0.17). The Go
// generator cannot build map<list<i64>, ...> (Assignment.executor_node_port
// and executor_start_time_secs), so thriftgen hands the compiler a copy of the
// IDL without the Assignment struct; assignment.go is its hand-written codec.
//
//go:generate go run ./internal/thriftgen -idl ../storm.thrift -out . -drop Assignment
