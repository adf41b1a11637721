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

// AppendJSON appends the JSON text of t to buf: what Encode writes for it,
// without the intermediate object.
func (t *BoltTuple) AppendJSON(buf []byte) ([]byte, error) {
	e := encoder{buf: buf}
	e.buf = append(e.buf, `{"comp":`...)
	if t.Comp == "" {
		e.buf = append(e.buf, "null"...)
	} else {
		e.str(t.Comp)
	}
	e.buf = append(e.buf, `,"tuple":[`...)
	for i, v := range t.Tuple {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := e.value(v, 3); err != nil { // Encode's depth for the elements
			return buf, err
		}
	}
	e.buf = append(e.buf, `],"task":`...)
	e.buf = strconv.AppendInt(e.buf, t.Task, 10)
	e.buf = append(e.buf, `,"stream":`...)
	e.str(t.Stream)
	e.buf = append(e.buf, `,"id":`...)
	e.str(t.ID)
	e.buf = append(e.buf, '}')
	return e.buf, nil
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
func EncodeTaskIDs(ids []int32) []byte { return appendTaskIDs(make([]byte, 0, 2+4*len(ids)), ids) }

func appendTaskIDs(b []byte, ids []int32) []byte {
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
	f := shellFields{
		command: m["command"], id: m["id"], msg: m["msg"], stream: m["stream"], task: m["task"],
		needTaskIDs: m["need_task_ids"], tuple: m["tuple"], anchors: m["anchors"], name: m["name"],
		params: m["params"], level: m["level"],
	}
	msg := &ShellMsg{}
	if err := f.build(msg); err != nil {
		return nil, err
	}
	return msg, nil
}

// shellFields are the members of a command ParseShellMsg reads (nil when
// absent, as for a map lookup). anchorList, when set, stands for an
// anchors array of strings and nulls, decoded without boxing.
type shellFields struct {
	command, id, msg, stream, task, needTaskIDs, tuple, anchors, name, params, level any

	anchorList    []string
	anchorListSet bool
}

// build fills msg (reusing its Anchors' storage) with JsonSerializer's
// defaults and type rules.
func (f *shellFields) build(msg *ShellMsg) error {
	anchors := msg.Anchors[:0]
	*msg = ShellMsg{Stream: DefaultStream, NeedTaskIDs: true, Level: LogInfo}
	switch c := f.command.(type) {
	case string:
		msg.Command = c
	case nil:
		return fmt.Errorf("%w: command not found in message", ErrBadMessage)
	default:
		return fmt.Errorf("%w: command is %s, want a string", ErrBadMessage, kind(c))
	}
	msg.ID = f.id
	var err error
	if msg.Msg, err = optString("msg", f.msg); err != nil {
		return err
	}
	switch s := f.stream.(type) {
	case nil:
	case string:
		msg.Stream = s
	default:
		return fmt.Errorf("%w: stream is %s, want a string", ErrBadMessage, kind(s))
	}
	switch t := f.task.(type) {
	case nil:
	case int64:
		msg.Task = t
	default:
		return fmt.Errorf("%w: task is %s, want an integer", ErrBadMessage, kind(t))
	}
	switch n := f.needTaskIDs.(type) {
	case nil:
	case bool:
		msg.NeedTaskIDs = n
	default:
		return fmt.Errorf("%w: need_task_ids is %s, want a boolean", ErrBadMessage, kind(n))
	}
	switch t := f.tuple.(type) {
	case nil:
	case []any:
		msg.Tuple = t
	default:
		return fmt.Errorf("%w: tuple is %s, want an array", ErrBadMessage, kind(t))
	}
	switch a := f.anchors.(type) {
	case nil:
		if f.anchorListSet {
			anchors = append(anchors, f.anchorList...)
		}
	case string:
		anchors = append(anchors, a)
	case []any:
		for _, el := range a {
			switch s := el.(type) {
			case nil:
			case string:
				anchors = append(anchors, s)
			default:
				return fmt.Errorf("%w: anchor is %s, want a string", ErrBadMessage, kind(el))
			}
		}
	default:
		return fmt.Errorf("%w: anchors is %s, want an array or a string", ErrBadMessage, kind(a))
	}
	if len(anchors) > 0 {
		msg.Anchors = anchors
	}
	if name, ok := f.name.(string); ok {
		msg.MetricName = name
	}
	msg.MetricParams = f.params
	if msg.Command == CommandLog {
		if l, ok := f.level.(int64); ok && l >= int64(LogTrace) && l <= int64(LogError) {
			msg.Level = LogLevel(l)
		}
	}
	return nil
}

// ParseShellMsgJSON decodes and interprets one message text from a
// subprocess into msg, with the result and errors of Decode followed by
// ParseShellMsg (a text that is not JSON, or is null, is an error wrapping
// ErrBadJSON) but without building the intermediate map. msg's Anchors
// storage is reused; everything else is overwritten.
func ParseShellMsgJSON(raw []byte, msg *ShellMsg) error {
	d := decoder{data: raw}
	d.skipSpace()
	if d.pos >= len(d.data) || d.data[d.pos] != '{' {
		v, err := Decode(raw)
		if err == nil && v == nil {
			err = fmt.Errorf("%w: null", ErrBadJSON)
		}
		if err != nil {
			return err
		}
		_, err = ParseShellMsg(v)
		return err // v is not an object: always an error
	}
	var f shellFields
	f.anchorList = msg.Anchors[:0]
	err := d.members(func(key []byte, _ bool) error {
		var slot *any
		switch string(key) {
		case "command":
			slot = &f.command
		case "id":
			slot = &f.id
		case "msg":
			slot = &f.msg
		case "stream":
			slot = &f.stream
		case "task":
			slot = &f.task
		case "need_task_ids":
			slot = &f.needTaskIDs
		case "tuple":
			slot = &f.tuple
		case "anchors":
			if ok, err := d.anchorStrings(&f); ok || err != nil {
				return err
			}
			slot = &f.anchors
		case "name":
			slot = &f.name
		case "params":
			slot = &f.params
		case "level":
			slot = &f.level
		}
		v, err := d.value()
		if err != nil {
			return err
		}
		if slot != nil {
			*slot = v
			if slot == &f.anchors {
				f.anchorListSet = false
			}
		}
		return nil
	})
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return err
	}
	msg.Anchors = f.anchorList[:0]
	return f.build(msg)
}

// anchorStrings decodes an anchors array holding only strings and nulls
// into f.anchorList (the null entries dropped, as build drops them). It
// reports false, consuming nothing, for any other value.
func (d *decoder) anchorStrings(f *shellFields) (bool, error) {
	if d.pos >= len(d.data) || d.data[d.pos] != '[' {
		return false, nil
	}
	save := *d
	list := f.anchorList[:0]
	d.pos++
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
	} else {
		for {
			if d.pos >= len(d.data) {
				*d = save
				return false, nil
			}
			switch d.data[d.pos] {
			case '"':
				s, err := d.str()
				if err != nil {
					return false, err
				}
				list = append(list, s)
			case 'n':
				if err := d.literal("null"); err != nil {
					return false, err
				}
			default:
				*d = save
				return false, nil
			}
			d.skipSpace()
			if d.pos < len(d.data) && d.data[d.pos] == ',' {
				d.pos++
				d.skipSpace()
				continue
			}
			if d.pos < len(d.data) && d.data[d.pos] == ']' {
				d.pos++
				break
			}
			*d = save
			return false, nil
		}
	}
	f.anchors = nil
	f.anchorList = list
	f.anchorListSet = true
	return true, nil
}

func optString(key string, v any) (string, error) {
	switch s := v.(type) {
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
func (t BoltTuple) Encode() ([]byte, error) { return t.AppendJSON(nil) }

// Encode returns the JSON text of the request.
func (r SpoutRequest) Encode() ([]byte, error) { return Encode(r) }
