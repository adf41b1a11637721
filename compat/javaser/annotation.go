package javaser

import (
	"encoding/binary"
	"fmt"
	"math"
)

// AnnotationReader reads a writeObject (or writeExternal) section the way
// the class's readObject would: primitives from the block data, which may
// be split across segments, and values in between.
type AnnotationReader struct {
	items []any
	i     int    // next item
	block []byte // unread rest of the current block data
}

// NewAnnotationReader reads items, usually [ClassData.Annotations].
func NewAnnotationReader(items []any) *AnnotationReader {
	return &AnnotationReader{items: items}
}

// Bytes returns the next n bytes of block data.
func (r *AnnotationReader) Bytes(n int) ([]byte, error) {
	if n < 0 {
		return nil, fmt.Errorf("%w: negative read of %d bytes", ErrMalformed, n)
	}
	var out []byte
	for n > 0 {
		if len(r.block) == 0 {
			if r.i >= len(r.items) {
				return nil, fmt.Errorf("%w: annotation ends %d bytes early", ErrMalformed, n)
			}
			bd, ok := r.items[r.i].(BlockData)
			if !ok {
				return nil, fmt.Errorf("%w: annotation holds %s where block data was expected", ErrMalformed, describe(r.items[r.i]))
			}
			r.block = bd
			r.i++
			continue
		}
		k := min(n, len(r.block))
		if out == nil && k == n {
			out = r.block[:k]
		} else {
			out = append(out, r.block[:k]...)
		}
		r.block, n = r.block[k:], n-k
	}
	return out, nil
}

// Int reads a Java int (writeInt).
func (r *AnnotationReader) Int() (int32, error) {
	p, err := r.Bytes(4)
	if err != nil {
		return 0, err
	}
	return int32(binary.BigEndian.Uint32(p)), nil
}

// Long reads a Java long (writeLong).
func (r *AnnotationReader) Long() (int64, error) {
	p, err := r.Bytes(8)
	if err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(p)), nil
}

// Short reads a Java short (writeShort).
func (r *AnnotationReader) Short() (int16, error) {
	p, err := r.Bytes(2)
	if err != nil {
		return 0, err
	}
	return int16(binary.BigEndian.Uint16(p)), nil
}

// Byte reads a Java byte (writeByte).
func (r *AnnotationReader) Byte() (int8, error) {
	p, err := r.Bytes(1)
	if err != nil {
		return 0, err
	}
	return int8(p[0]), nil
}

// Bool reads a Java boolean (writeBoolean).
func (r *AnnotationReader) Bool() (bool, error) {
	p, err := r.Bytes(1)
	if err != nil {
		return false, err
	}
	return p[0] != 0, nil
}

// Float reads a Java float (writeFloat).
func (r *AnnotationReader) Float() (float32, error) {
	p, err := r.Bytes(4)
	if err != nil {
		return 0, err
	}
	return math.Float32frombits(binary.BigEndian.Uint32(p)), nil
}

// Double reads a Java double (writeDouble).
func (r *AnnotationReader) Double() (float64, error) {
	p, err := r.Bytes(8)
	if err != nil {
		return 0, err
	}
	return math.Float64frombits(binary.BigEndian.Uint64(p)), nil
}

// UTF reads a string written with writeUTF.
func (r *AnnotationReader) UTF() (string, error) {
	p, err := r.Bytes(2)
	if err != nil {
		return "", err
	}
	body, err := r.Bytes(int(binary.BigEndian.Uint16(p)))
	if err != nil {
		return "", err
	}
	s, err := decodeModifiedUTF8(body)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return s, nil
}

// Object reads the next value (writeObject). Unread block data before it
// is an error, as in Java (OptionalDataException).
func (r *AnnotationReader) Object() (any, error) {
	if len(r.block) > 0 {
		return nil, fmt.Errorf("%w: %d bytes of block data unread before an object", ErrMalformed, len(r.block))
	}
	if r.i >= len(r.items) {
		return nil, fmt.Errorf("%w: annotation ends where an object was expected", ErrMalformed)
	}
	v := r.items[r.i]
	if _, ok := v.(BlockData); ok {
		return nil, fmt.Errorf("%w: block data where an object was expected", ErrMalformed)
	}
	r.i++
	return v, nil
}

// Done reports whether everything was read.
func (r *AnnotationReader) Done() bool { return len(r.block) == 0 && r.i >= len(r.items) }
