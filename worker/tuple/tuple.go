package tuple

import (
	"fmt"
	"slices"
)

// System component and stream ids that tuples can carry (Storm's Constants).
const (
	SystemComponent   = "__system"
	SystemTaskID      = int32(-1)
	TickStream        = "__tick"
	MetricsTickStream = "__metrics_tick"
	CredentialsStream = "__credentials"
	DefaultStream     = "default"
)

// Values are the values of a tuple, in the order of its stream's declared fields.
type Values = []any

// Anchor is one entry of a MessageID: the tuple belongs to the tree rooted at Root, and Edge is the
// XOR of its edge ids in that tree.
type Anchor struct {
	Root int64
	Edge int64
}

// MessageID lists the tuple trees a tuple belongs to (Storm's MessageId). It is empty for an
// unanchored tuple. Roots are unique.
type MessageID []Anchor

// Get returns the edge value for root.
func (m MessageID) Get(root int64) (int64, bool) {
	for _, a := range m {
		if a.Root == root {
			return a.Edge, true
		}
	}
	return 0, false
}

// XOR xors edge into the value for root, adding root if absent (Storm's put-xor!).
func (m *MessageID) XOR(root, edge int64) {
	for i := range *m {
		if (*m)[i].Root == root {
			(*m)[i].Edge ^= edge
			return
		}
	}
	*m = append(*m, Anchor{Root: root, Edge: edge})
}

// Fields are the declared field names of a stream, with an index (Storm's Fields). A Fields is
// immutable and shared by every tuple of the stream.
type Fields struct {
	names []string
	index map[string]int
}

// NewFields returns the Fields for names; duplicate names are an error.
func NewFields(names ...string) (*Fields, error) {
	f := &Fields{names: slices.Clone(names), index: make(map[string]int, len(names))}
	for i, n := range names {
		if _, dup := f.index[n]; dup {
			return nil, fmt.Errorf("duplicate field %q", n)
		}
		f.index[n] = i
	}
	return f, nil
}

// Len returns the number of fields.
func (f *Fields) Len() int {
	if f == nil {
		return 0
	}
	return len(f.names)
}

// Names returns the field names; the caller must not modify the slice.
func (f *Fields) Names() []string {
	if f == nil {
		return nil
	}
	return f.names
}

// Index returns the position of name.
func (f *Fields) Index(name string) (int, bool) {
	if f == nil {
		return 0, false
	}
	i, ok := f.index[name]
	return i, ok
}

// Contains reports whether name is a field.
func (f *Fields) Contains(name string) bool {
	_, ok := f.Index(name)
	return ok
}

// Tuple is one tuple as executors see it.
type Tuple struct {
	SourceTask      int32
	SourceComponent string
	Stream          string
	Values          Values
	ID              MessageID
	// Fields are the source stream's declared fields (shared; may be nil when unknown).
	Fields *Fields
	// AckVal is the receiving bolt's XOR of the edge ids of tuples it anchored on this tuple; it
	// is folded into the ack (Storm's TupleImpl.ackVal). Never on the wire.
	AckVal int64
}

// Value returns value i, or nil when out of range.
func (t *Tuple) Value(i int) any {
	if i < 0 || i >= len(t.Values) {
		return nil
	}
	return t.Values[i]
}

// Lookup returns the value of the named field.
func (t *Tuple) Lookup(field string) (any, bool) {
	i, ok := t.Fields.Index(field)
	if !ok || i >= len(t.Values) {
		return nil, false
	}
	return t.Values[i], true
}

// ValueByField returns the value of the named field, or nil if there is no such field.
func (t *Tuple) ValueByField(field string) any {
	v, _ := t.Lookup(field)
	return v
}

// String returns value i as a string ("" and false if it is not one).
func (t *Tuple) String(i int) (string, bool) {
	s, ok := t.Value(i).(string)
	return s, ok
}

// Int64 returns value i as an int64, converting from any Go integer type (false if it is not an
// integer, or an unsigned value above MaxInt64).
func (t *Tuple) Int64(i int) (int64, bool) {
	switch v := t.Value(i).(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	case int16:
		return int64(v), true
	case int8:
		return int64(v), true
	case uint8:
		return int64(v), true
	case uint16:
		return int64(v), true
	case uint32:
		return int64(v), true
	case uint64:
		return int64(v), v <= 1<<63-1
	case uint:
		return int64(v), uint64(v) <= 1<<63-1
	}
	return 0, false
}

// Float64 returns value i as a float64, converting from float32 and integers.
func (t *Tuple) Float64(i int) (float64, bool) {
	switch v := t.Value(i).(type) {
	case float64:
		return v, true
	case float32:
		return float64(v), true
	}
	n, ok := t.Int64(i)
	return float64(n), ok
}

// Bool returns value i as a bool.
func (t *Tuple) Bool(i int) (bool, bool) {
	b, ok := t.Value(i).(bool)
	return b, ok
}

// Bytes returns value i as a []byte.
func (t *Tuple) Bytes(i int) ([]byte, bool) {
	b, ok := t.Value(i).([]byte)
	return b, ok
}

// IsTick reports whether t is a system tick tuple (Storm's TupleUtils.isTick).
func (t *Tuple) IsTick() bool {
	return t.SourceComponent == SystemComponent && t.Stream == TickStream
}

func (t *Tuple) GoString() string {
	return fmt.Sprintf("source: %s:%d, stream: %s, id: %v, %v", t.SourceComponent, t.SourceTask, t.Stream, t.ID, t.Values)
}
