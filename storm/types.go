package storm

import (
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/worker/grouping"
	"github.com/galeproject/gale/worker/tuple"
)

// Tuple is a received tuple: values with their source component, task and stream, and the field
// names of the source stream. See the accessor methods (Value, ValueByField, String, Int64 …).
type Tuple = tuple.Tuple

// Values are the values of a tuple, in the order of the stream's declared fields.
type Values = tuple.Values

// Fields are the declared field names of a stream.
type Fields = tuple.Fields

// NewFields returns Fields for names (duplicates are an error).
func NewFields(names ...string) (*Fields, error) { return tuple.NewFields(names...) }

// Conf is a topology configuration as components receive it: Storm's configuration map with
// normalized values and typed getters (IntOr, StringOr, BoolOr …).
type Conf = conf.Conf

// GlobalStreamID names a stream: the emitting component and its stream id.
type GlobalStreamID = grouping.StreamID

// CustomStreamGrouping is a user-defined grouping, registered in an App and used with
// BoltDeclarer.CustomGrouping.
type CustomStreamGrouping = grouping.Custom

// DefaultStream is the stream id used when none is given.
const DefaultStream = tuple.DefaultStream
