// Command thriftgen runs the Apache Thrift compiler on storm.thrift for Go.
//
// It copies the IDL to a temporary directory, removes the structs named by
// -drop (those the Go generator cannot represent), runs
// `thrift --gen go`, and replaces the generated files in -out.
package main
