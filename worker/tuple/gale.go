package tuple

import (
	"encoding/binary"
	"math"
	"reflect"
)

// GaleCodec is the Go↔Go tuple payload format:
//
//	varint    source task (zigzag)
//	uvarint   stream length, stream bytes (UTF-8)
//	uvarint   anchor count, then per anchor root and edge as 8-byte big-endian
//	uvarint   value count, then each value as a tag byte and its payload
//
// Value tags keep Go types exactly: nil, bool, int, int8…int64, uint, uint8…uint64, float32,
// float64, string, []byte, []any, map[string]any, map[any]any, []string, []int64, []float64.
// Integers are (zigzag) varints, floats are IEEE bits big-endian, strings and byte slices are
// length-prefixed. Values of other named types with one of these underlying kinds (type ID string,
// type Row []any …) are encoded as the underlying type and decode as it. Anything else is an
// UnsupportedTypeError. Containers nest at most MaxDepth deep.
//
// A GaleCodec interns stream names it decodes, so it is meant to be used per connection (one
// goroutine at a time).
type GaleCodec struct {
	streams map[string]string
}

// MaxDepth bounds the nesting of container values.
const MaxDepth = 32

const maxInterned = 4096

// NewGaleCodec returns a GaleCodec.
func NewGaleCodec() *GaleCodec { return &GaleCodec{streams: make(map[string]string)} }

// Value tags of the Gale format.
const (
	tagNil byte = iota
	tagFalse
	tagTrue
	tagInt
	tagInt8
	tagInt16
	tagInt32
	tagInt64
	tagUint
	tagUint8
	tagUint16
	tagUint32
	tagUint64
	tagFloat32
	tagFloat64
	tagString
	tagBytes
	tagList
	tagStringMap
	tagAnyMap
	tagStrings
	tagInt64s
	tagFloat64s
	numTags
)

// AppendEncode implements Codec.
func (c *GaleCodec) AppendEncode(dst []byte, t *Tuple) ([]byte, error) {
	dst = binary.AppendVarint(dst, int64(t.SourceTask))
	dst = appendString(dst, t.Stream)
	dst = binary.AppendUvarint(dst, uint64(len(t.ID)))
	for _, a := range t.ID {
		dst = binary.BigEndian.AppendUint64(dst, uint64(a.Root))
		dst = binary.BigEndian.AppendUint64(dst, uint64(a.Edge))
	}
	dst = binary.AppendUvarint(dst, uint64(len(t.Values)))
	var err error
	for _, v := range t.Values {
		if dst, err = appendValue(dst, v, 0); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func appendValue(dst []byte, v any, depth int) ([]byte, error) {
	if depth > MaxDepth {
		return dst, &UnsupportedTypeError{Type: reflect.TypeOf(v)}
	}
	switch x := v.(type) {
	case nil:
		return append(dst, tagNil), nil
	case bool:
		if x {
			return append(dst, tagTrue), nil
		}
		return append(dst, tagFalse), nil
	case string:
		return appendString(append(dst, tagString), x), nil
	case int64:
		return binary.AppendVarint(append(dst, tagInt64), x), nil
	case int:
		return binary.AppendVarint(append(dst, tagInt), int64(x)), nil
	case int32:
		return binary.AppendVarint(append(dst, tagInt32), int64(x)), nil
	case float64:
		return binary.BigEndian.AppendUint64(append(dst, tagFloat64), math.Float64bits(x)), nil
	case []byte:
		dst = binary.AppendUvarint(append(dst, tagBytes), uint64(len(x)))
		return append(dst, x...), nil
	case int8:
		return append(dst, tagInt8, byte(x)), nil
	case int16:
		return binary.AppendVarint(append(dst, tagInt16), int64(x)), nil
	case uint:
		return binary.AppendUvarint(append(dst, tagUint), uint64(x)), nil
	case uint8:
		return append(dst, tagUint8, x), nil
	case uint16:
		return binary.AppendUvarint(append(dst, tagUint16), uint64(x)), nil
	case uint32:
		return binary.AppendUvarint(append(dst, tagUint32), uint64(x)), nil
	case uint64:
		return binary.AppendUvarint(append(dst, tagUint64), x), nil
	case float32:
		return binary.BigEndian.AppendUint32(append(dst, tagFloat32), math.Float32bits(x)), nil
	case []any:
		dst = binary.AppendUvarint(append(dst, tagList), uint64(len(x)))
		var err error
		for _, e := range x {
			if dst, err = appendValue(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		return dst, nil
	case map[string]any:
		dst = binary.AppendUvarint(append(dst, tagStringMap), uint64(len(x)))
		var err error
		for k, e := range x {
			dst = appendString(dst, k)
			if dst, err = appendValue(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		return dst, nil
	case map[any]any:
		dst = binary.AppendUvarint(append(dst, tagAnyMap), uint64(len(x)))
		var err error
		for k, e := range x {
			if dst, err = appendValue(dst, k, depth+1); err != nil {
				return dst, err
			}
			if dst, err = appendValue(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		return dst, nil
	case []string:
		dst = binary.AppendUvarint(append(dst, tagStrings), uint64(len(x)))
		for _, s := range x {
			dst = appendString(dst, s)
		}
		return dst, nil
	case []int64:
		dst = binary.AppendUvarint(append(dst, tagInt64s), uint64(len(x)))
		for _, n := range x {
			dst = binary.AppendVarint(dst, n)
		}
		return dst, nil
	case []float64:
		dst = binary.AppendUvarint(append(dst, tagFloat64s), uint64(len(x)))
		for _, f := range x {
			dst = binary.BigEndian.AppendUint64(dst, math.Float64bits(f))
		}
		return dst, nil
	}
	return appendReflect(dst, reflect.ValueOf(v), depth)
}

// appendReflect encodes named types through their underlying kind.
func appendReflect(dst []byte, v reflect.Value, depth int) ([]byte, error) {
	switch v.Kind() {
	case reflect.Bool:
		return appendValue(dst, v.Bool(), depth)
	case reflect.Int:
		return appendValue(dst, int(v.Int()), depth)
	case reflect.Int8:
		return appendValue(dst, int8(v.Int()), depth)
	case reflect.Int16:
		return appendValue(dst, int16(v.Int()), depth)
	case reflect.Int32:
		return appendValue(dst, int32(v.Int()), depth)
	case reflect.Int64:
		return appendValue(dst, v.Int(), depth)
	case reflect.Uint:
		return appendValue(dst, uint(v.Uint()), depth)
	case reflect.Uint8:
		return appendValue(dst, uint8(v.Uint()), depth)
	case reflect.Uint16:
		return appendValue(dst, uint16(v.Uint()), depth)
	case reflect.Uint32:
		return appendValue(dst, uint32(v.Uint()), depth)
	case reflect.Uint64:
		return appendValue(dst, v.Uint(), depth)
	case reflect.Float32:
		return appendValue(dst, float32(v.Float()), depth)
	case reflect.Float64:
		return appendValue(dst, v.Float(), depth)
	case reflect.String:
		return appendValue(dst, v.String(), depth)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return appendValue(dst, v.Bytes(), depth)
		}
		if depth+1 > MaxDepth {
			break
		}
		dst = binary.AppendUvarint(append(dst, tagList), uint64(v.Len()))
		var err error
		for i := range v.Len() {
			if dst, err = appendValue(dst, v.Index(i).Interface(), depth+1); err != nil {
				return dst, err
			}
		}
		return dst, nil
	case reflect.Map:
		if depth+1 > MaxDepth {
			break
		}
		tag := tagAnyMap
		if v.Type().Key().Kind() == reflect.String {
			tag = tagStringMap
		}
		dst = binary.AppendUvarint(append(dst, tag), uint64(v.Len()))
		var err error
		it := v.MapRange()
		for it.Next() {
			if tag == tagStringMap {
				dst = appendString(dst, it.Key().String())
			} else if dst, err = appendValue(dst, it.Key().Interface(), depth+1); err != nil {
				return dst, err
			}
			if dst, err = appendValue(dst, it.Value().Interface(), depth+1); err != nil {
				return dst, err
			}
		}
		return dst, nil
	}
	var typ reflect.Type
	if v.IsValid() {
		typ = v.Type()
	}
	return dst, &UnsupportedTypeError{Type: typ}
}
