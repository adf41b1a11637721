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
// decoder that is fuzzed and bounds every allocation by the input size. KryoCodec writes and reads
// Storm 1.0.0's own payloads (KryoTupleSerializer with default registrations, reference §7.2) for
// primitive, string, byte[], list and map values, for topologies that mix Java and Go workers; it
// is pinned to bytes produced by storm-core itself (testdata/kryo). Both decoders are fuzzed.
package tuple
