// Package multilang is Storm 1.0.0's multilang wire format: the JSON
// messages a worker and a ShellBolt/ShellSpout subprocess exchange over the
// subprocess's stdin and stdout (org.apache.storm.multilang.JsonSerializer,
// the default topology.multilang.serializer).
//
// Framing: every message is one JSON text followed by a line "end"; the
// writer emits "<json>\nend\n", the reader joins lines with "\n" until a
// line equal to "end" ([Reader], [Writer]). Messages are bounded in size;
// a longer one is an error wrapping [ErrTooLarge].
//
// Parent to child: the handshake {"pidDir", "conf", "context"} ([Handshake],
// with [Context] encoding TopologyContext.toJSONString), bolt tuples and
// heartbeat tuples ([BoltTuple]), spout requests ([SpoutRequest]) and
// task-id replies (a bare JSON array, [EncodeTaskIDs]). Child to parent:
// the pid reply ([ParsePid]) and commands ([ShellMsg], parsed with the same
// defaults and type rules as JsonSerializer.readShellMsg).
//
// JSON: the encoder ([Encode]) writes what json-simple's JSONValue writes
// for the same values: no spaces, '/' escaped as "\/", control, C1 and
// U+2000..U+20FF characters as \uXXXX, doubles in Java's Double.toString
// form (1.0, 1.0E10), NaN and infinities as null, and object members in the
// iteration order of a java.util.HashMap holding the keys (inserted in the
// order Storm inserts them, or sorted for Go maps). The decoder ([Decode])
// keeps integers as int64 and other numbers as float64, as json-simple
// parses them to Long and Double; it is hand-written (one pass, no
// reflection) and accepts exactly what encoding/json accepts.
// [ParseShellMsgJSON] and [Reader.ReadShellMsg] decode a child's command
// without the intermediate map, and [BoltTuple.AppendJSON] and the Writer's
// Append methods encode the parent's hot messages in place, so that a
// batch of them goes out in one write. The decoder accepts standard JSON
// only; json-simple also takes some malformed texts (missing or doubled
// commas, leading zeros, raw control characters in strings), which real
// multilang libraries never write.
package multilang
