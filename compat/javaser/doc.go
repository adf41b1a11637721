// Package javaser reads Java Object Serialization streams (the bytes
// ObjectOutputStream writes, magic AC ED 00 05) without a JVM.
//
// Storm puts a topology's spouts and bolts into ComponentObject.serialized_java
// as such a stream (Utils.javaSerialize). Gale reads those bytes to recognise
// components it can run natively: ShellBolt and ShellSpout subclasses (whose
// _command and env fields say which subprocess to start) and the test
// components storm-core ships. See package components for that
// interpretation; this package knows nothing about Storm.
//
// The parser is general. It walks every construct of the stream grammar
// (Java Object Serialization Specification, chapter 6): objects with their
// class-descriptor chains, strings and long strings, arrays of primitives and
// of objects, enums, classes, proxy class descriptors, back references
// (handles), block data, resets and exception markers. It needs no knowledge
// of the classes in the stream: a class whose descriptor has SC_WRITE_METHOD
// has its default field values followed by an annotation (the block data and
// objects its writeObject wrote, up to TC_ENDBLOCKDATA), kept verbatim in
// [ClassData.Annotations]; an externalizable class written in block-data mode
// has only such an annotation. Some writeObject methods (Thrift-generated
// structs, for one) never call defaultWriteObject; the parser then reads the
// class data as an annotation alone ([ClassData.NoFieldValues]).
//
// Helpers decode the custom sections of the JDK collections a component is
// likely to hold: [MapEntries] (HashMap, LinkedHashMap, Hashtable,
// ConcurrentHashMap, TreeMap, ...), [ListElements] (ArrayList, LinkedList,
// Arrays$ArrayList, HashSet, ...), [Unbox] for boxed primitives and
// [AnnotationReader] for reading any other writeObject section.
//
// The parser treats its input as hostile: every length is checked against
// the bytes left, the total work, nesting depth, element count and handle
// count are bounded ([Limits]), reference cycles in descriptor chains are
// refused, and malformed input yields an error wrapping [ErrMalformed] or
// [ErrLimit], never a panic.
package javaser
