package tuple

import (
	"errors"
	"fmt"
	"reflect"
)

// Codec encodes tuples into transport payloads and back. A Codec value may keep per-connection
// state (such as interned stream names) and is used by one goroutine at a time.
type Codec interface {
	// AppendEncode appends the payload for t (source task, stream, message id, values) to dst.
	AppendEncode(dst []byte, t *Tuple) ([]byte, error)
	// Decode sets t's SourceTask, Stream, ID and Values from payload. It reuses the backing arrays
	// of t.Values and t.ID, so pass a fresh Tuple when the previous one may still be referenced.
	// Nothing in t refers to payload afterwards. SourceComponent, Fields and AckVal are untouched.
	Decode(payload []byte, t *Tuple) error
}

// UnsupportedTypeError reports a value the codec cannot encode.
type UnsupportedTypeError struct{ Type reflect.Type }

func (e *UnsupportedTypeError) Error() string {
	return fmt.Sprintf("tuple codec: unsupported value type %v", e.Type)
}

// ErrCorrupt is wrapped by every decoding error.
var ErrCorrupt = errors.New("tuple codec: corrupt payload")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}
