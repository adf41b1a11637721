package multilang

import (
	"errors"
	"fmt"
	"strconv"
)

// Stream and task constants of the protocol.
const (
	// DefaultStream is the stream of an emit that names none.
	DefaultStream = "default"
	// HeartbeatStream is the stream of the heartbeat tuple a bolt's parent
	// sends every second; the child answers it with sync.
	HeartbeatStream = "__heartbeat"
	// SystemTaskID is the task of the heartbeat tuple.
	SystemTaskID = -1
)

// ErrBadMessage is wrapped by errors about a well-formed JSON message whose
// content breaks the protocol (wrong type for a field, no command, ...).
var ErrBadMessage = errors.New("bad multilang message")

// Handshake is the first message to a subprocess.
type Handshake struct {
	// PidDir is the directory where the child creates an empty file named
	// after its pid (the worker's pids directory).
	PidDir string
	// Conf is the topology configuration of the executor.
	Conf map[string]any
	// Context describes the task (TopologyContext.toJSONString).
	Context *Context
}

// The fixed messages are written with their members in the order Storm's
// JSONObject (a HashMap) iterates them, precomputed (TestJavaHashMapOrder
// checks these against javaHashMapOrder).

func (h *Handshake) jsonValue() any {
	var ctx any
	if h.Context != nil {
		ctx = h.Context
	}
	return &object{
		keys:    []string{"pidDir", "context", "conf"},
		vals:    []any{h.PidDir, ctx, h.Conf},
		ordered: true,
	}
}

// BoltTuple is a tuple sent to a bolt subprocess.
type BoltTuple struct {
	// ID is the parent's id for the tuple, the decimal form of a random
	// long; the child acks, fails and anchors by it.
	ID string
	// Comp is the source component; empty encodes as null (heartbeat).
	Comp string
	// Stream is the source stream.
	Stream string
	// Task is the source task.
	Task int64
	// Tuple holds the values; nil encodes as [].
	Tuple []any
}

// HeartbeatTuple returns the heartbeat tuple with the given id.
func HeartbeatTuple(id string) BoltTuple {
	return BoltTuple{ID: id, Stream: HeartbeatStream, Task: SystemTaskID}
}

// IsHeartbeat reports whether t is a heartbeat tuple, as the multilang
// libraries test it.
func (t BoltTuple) IsHeartbeat() bool { return t.Task == SystemTaskID && t.Stream == HeartbeatStream }

func (t BoltTuple) jsonValue() any {
	var comp any
	if t.Comp != "" {
		comp = t.Comp
	}
	tuple := t.Tuple
	if tuple == nil {
		tuple = []any{}
	}
	return &object{
		keys:    []string{"comp", "tuple", "task", "stream", "id"},
		vals:    []any{comp, tuple, t.Task, t.Stream, t.ID},
		ordered: true,
	}
}

// SpoutRequest is a request to a spout subprocess.
type SpoutRequest struct {
	// Command is "next", "ack" or "fail".
	Command string
	// ID is "" for next, else the message id the child gave in its emit.
	ID any
}

// Spout request commands.
const (
	SpoutNext = "next"
	SpoutAck  = "ack"
	SpoutFail = "fail"
)

func (r SpoutRequest) jsonValue() any {
	return &object{keys: []string{"id", "command"}, vals: []any{r.ID, r.Command}, ordered: true}
}

// EncodeTaskIDs returns the reply to an emit: a bare JSON array of the task
// ids the tuple went to.
func EncodeTaskIDs(ids []int32) []byte {
	b := make([]byte, 0, 2+4*len(ids))
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(id), 10)
	}
	return append(b, ']')
}

// ParsePid reads the child's reply to the handshake, {"pid": <number>}.
func ParsePid(v any) (int64, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return 0, fmt.Errorf("%w: handshake reply is %s, want an object with a pid", ErrBadMessage, kind(v))
	}
	switch p := m["pid"].(type) {
	case int64:
		return p, nil
	case float64:
		return int64(p), nil
	case nil:
		return 0, fmt.Errorf("%w: handshake reply has no pid", ErrBadMessage)
	default:
		return 0, fmt.Errorf("%w: handshake pid is %s, want a number", ErrBadMessage, kind(p))
	}
}

// LogLevel is the level of a log command.
type LogLevel int

// Log levels as the child numbers them.
const (
	LogTrace LogLevel = iota
	LogDebug
	LogInfo
	LogWarn
	LogError
)

func (l LogLevel) String() string {
	switch l {
	case LogTrace:
		return "TRACE"
	case LogDebug:
		return "DEBUG"
	case LogInfo:
		return "INFO"
	case LogWarn:
		return "WARN"
	case LogError:
		return "ERROR"
	}
	return "LogLevel(" + strconv.Itoa(int(l)) + ")"
}

// Child commands.
const (
	CommandEmit    = "emit"
	CommandAck     = "ack"
	CommandFail    = "fail"
	CommandLog     = "log"
	CommandError   = "error"
	CommandMetrics = "metrics"
	CommandSync    = "sync"
)

// ShellMsg is a command from a subprocess, with the defaults of
// JsonSerializer.readShellMsg applied.
type ShellMsg struct {
	Command string
	// ID is the tuple id of ack and fail (a string for bolts) or the
	// message id of a spout emit (any JSON value; nil = unreliable).
	ID any
	// Anchors are the ids of the input tuples an emit is anchored to (a
	// single string is one anchor). Null entries are dropped: Storm would
	// fail on them; storm.js sends [null] for an emit without anchor.
	Anchors []string
	// Stream defaults to "default".
	Stream string
	// Task is the direct task of an emit; 0 when not direct.
	Task int64
	// Msg is the text of log and error.
	Msg   string
	Tuple []any
	// NeedTaskIDs defaults to true: the child waits for the task ids of a
	// non-direct emit.
	NeedTaskIDs bool
	// MetricName is the name of a metrics command ("" when absent or not a
	// string); MetricParams its params.
	MetricName   string
	MetricParams any
	// Level of a log command; LogInfo when absent or not 0..4.
	Level LogLevel
}

// ParseShellMsg interprets a decoded message from a subprocess. Like
// Storm, it requires an object with a string command and fields of the
// right JSON types where present; unknown fields are ignored.
func ParseShellMsg(v any) (*ShellMsg, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: message is %s, want an object", ErrBadMessage, kind(v))
	}
	msg := &ShellMsg{Stream: DefaultStream, NeedTaskIDs: true, Level: LogInfo}
	var err error
	if msg.Command, err = optString(m, "command"); err != nil {
		return nil, err
	}
	if msg.Command == "" {
		if _, ok := m["command"].(string); !ok {
			return nil, fmt.Errorf("%w: command not found in message", ErrBadMessage)
		}
	}
	msg.ID = m["id"]
	if msg.Msg, err = optString(m, "msg"); err != nil {
		return nil, err
	}
	if s, err := optString(m, "stream"); err != nil {
		return nil, err
	} else if _, set := m["stream"].(string); set {
		msg.Stream = s
	}
	switch t := m["task"].(type) {
	case nil:
	case int64:
		msg.Task = t
	default:
		return nil, fmt.Errorf("%w: task is %s, want an integer", ErrBadMessage, kind(t))
	}
	switch n := m["need_task_ids"].(type) {
	case nil:
	case bool:
		msg.NeedTaskIDs = n
	default:
		return nil, fmt.Errorf("%w: need_task_ids is %s, want a boolean", ErrBadMessage, kind(n))
	}
	switch t := m["tuple"].(type) {
	case nil:
	case []any:
		msg.Tuple = t
	default:
		return nil, fmt.Errorf("%w: tuple is %s, want an array", ErrBadMessage, kind(t))
	}
	switch a := m["anchors"].(type) {
	case nil:
	case string:
		msg.Anchors = []string{a}
	case []any:
		for _, el := range a {
			switch s := el.(type) {
			case nil:
			case string:
				msg.Anchors = append(msg.Anchors, s)
			default:
				return nil, fmt.Errorf("%w: anchor is %s, want a string", ErrBadMessage, kind(el))
			}
		}
	default:
		return nil, fmt.Errorf("%w: anchors is %s, want an array or a string", ErrBadMessage, kind(a))
	}
	if name, ok := m["name"].(string); ok {
		msg.MetricName = name
	}
	msg.MetricParams = m["params"]
	if msg.Command == CommandLog {
		if l, ok := m["level"].(int64); ok && l >= int64(LogTrace) && l <= int64(LogError) {
			msg.Level = LogLevel(l)
		}
	}
	return msg, nil
}

func optString(m map[string]any, key string) (string, error) {
	switch s := m[key].(type) {
	case nil:
		return "", nil
	case string:
		return s, nil
	default:
		return "", fmt.Errorf("%w: %s is %s, want a string", ErrBadMessage, key, kind(s))
	}
}

// kind names the JSON type of a decoded value for error messages.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64:
		return "an integer"
	case float64:
		return "a decimal number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

// Encode methods for the parent's messages (the JSON text, without
// framing).

// Encode returns the JSON text of the handshake.
func (h *Handshake) Encode() ([]byte, error) { return Encode(h) }

// Encode returns the JSON text of the tuple.
func (t BoltTuple) Encode() ([]byte, error) { return Encode(t) }

// Encode returns the JSON text of the request.
func (r SpoutRequest) Encode() ([]byte, error) { return Encode(r) }
