// Package compat holds the byte formats Gale shares with Apache Storm 1.0.0
// daemons and workers.
//
//   - gzip-thrift: the payload of every ZooKeeper node Storm writes
//     (GzipThriftSerializationDelegate): gzip over a TBinaryProtocol struct,
//     strict write, no message header. See [Serialize] and [Deserialize].
//   - plain TBinary structs (LocalState files, blob metadata):
//     [MarshalThrift] and [UnmarshalThrift].
//   - the directory-node marker 0x07 that Storm's mkdirs writes: [DirNodeData].
//   - gzip-JSON topology configuration (stormconf.ser): [GzipJSON] and
//     [GunzipJSON].
//   - LocalState, Storm's VersionedStore directory of versioned files holding
//     a LocalStateData map of Java-class-tagged thrift structs: [LocalState].
//
// Every decoder here reads outside bytes. Decoders are bounded (decompressed
// size, thrift string and container sizes) and turn malformed input into
// errors, never panics. Configuration maps live in the sub-package conf.
package compat
