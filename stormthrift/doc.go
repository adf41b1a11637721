// Package stormthrift is Storm 1.0.0's Thrift interface in Go: the structs,
// exceptions and the Nimbus service of ../storm.thrift (the wire contract of
// the Nimbus API, and the bytes of every ZooKeeper payload and LocalState
// file), with Storm's field ids and names.
//
// The bindings are generated from ../storm.thrift by the Apache Thrift
// compiler (Debian package thrift-compiler, 0.17); TestGeneratedCodeIsCurrent
// checks that the committed files match. The Go generator cannot build
// map<list<i64>, ...> (Assignment.executor_node_port and
// executor_start_time_secs), so thriftgen hands the compiler a copy of the
// IDL without the Assignment struct; assignment.go is its hand-written
// codec, checked byte for byte against Storm's Java classes.
//
// Maps keyed by a struct are keyed by pointer (e.g. ComponentCommon.Inputs
// map[*GlobalStreamId]*Grouping), as the generator writes them.
package stormthrift

//go:generate go run ./internal/thriftgen -idl ../storm.thrift -out . -drop Assignment
