// Package tuple is the tuple model of the worker runtime and the codecs that put tuples on the wire.
//
// A Tuple is what Storm calls TupleImpl: the source task, component and stream, the values, and
// the MessageID — for every tuple-tree root the tuple belongs to, the XOR of its edge ids (Storm's
// MessageId.anchorsToIds). The storm SDK re-exports Tuple, Fields and Values.
//
// A Codec turns a Tuple into the payload of one transport message and back. The payload carries
// the source task, stream, message id and values; the destination task is in the transport frame
// (see package transport), and the source component and field names are known to the receiver
// from the topology. GaleCodec is the Go↔Go format: compact, type-preserving for Go values, with a
// decoder that is fuzzed and bounds every allocation by the input size. A Kryo-compatible codec
// for mixed Java/Go topologies (reference §7.2) will sit behind the same interface.
package tuple
