package tuple

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// Char is a Java char (java.lang.Character) value. KryoCodec decodes Characters as Char and
// encodes Char as Character; Go code otherwise has no char type.
type Char uint16

// StreamDictionary numbers each component's streams the way Storm's SerializationFactory
// IdDictionary does: the component's stream ids in the system topology, sorted, from 1.
type StreamDictionary struct {
	taskComponent map[int32]string
	ids           map[string]map[string]int32
	names         map[string][]string
}

// NewStreamDictionary builds the dictionary from task → component (task -1 is __system) and
// component → declared stream ids of the system topology.
func NewStreamDictionary(taskComponent map[int32]string, componentStreams map[string][]string) *StreamDictionary {
	d := &StreamDictionary{taskComponent: taskComponent, ids: map[string]map[string]int32{}, names: map[string][]string{}}
	for comp, streams := range componentStreams {
		sorted := slices.Clone(streams)
		slices.Sort(sorted)
		sorted = slices.Compact(sorted)
		d.names[comp] = sorted
		m := make(map[string]int32, len(sorted))
		for i, s := range sorted {
			m[s] = int32(i + 1)
		}
		d.ids[comp] = m
	}
	return d
}

func (d *StreamDictionary) component(task int32) (string, bool) {
	if c, ok := d.taskComponent[task]; ok {
		return c, true
	}
	if task == SystemTaskID {
		return SystemComponent, true
	}
	return "", false
}

// KryoCodec encodes tuples exactly as Storm 1.0.0's KryoTupleSerializer does with the default
// Kryo registrations (reference §7.2), for values of the types Java and Go share:
//
//	Go                                   Java (Kryo class id on the wire)
//	nil                                  null
//	bool                                 Boolean
//	int8                                 Byte
//	int16, uint8                         Short
//	int32, uint16                        Integer
//	int, int64, uint32, uint, uint64     Long (uint64 by its bit pattern)
//	float32 / float64                    Float / Double
//	Char                                 Character
//	string                               String (UTF-16 code units, Kryo's string encoding)
//	[]byte                               byte[]
//	[]any and other slices               java.util.ArrayList
//	maps                                 java.util.HashMap
//
// Decoding yields the first Go type of each row; ArrayList, HashSet and Storm's Values decode as
// []any, HashMap as map[string]any when every key is a string, else map[any]any. Values of other
// classes (Clojure collections, BigInteger, Java-serialized objects, user registrations) are
// rejected with ErrCorrupt (decoding) or UnsupportedTypeError (encoding).
//
// The source component of a tuple comes from t.SourceComponent or, when empty, from the task map.
type KryoCodec struct {
	dict *StreamDictionary
}

// NewKryoCodec returns a codec numbering streams with d.
func NewKryoCodec(d *StreamDictionary) *KryoCodec { return &KryoCodec{dict: d} }

// Kryo wire class ids (registration id + 2) of Storm's default registrations.
const (
	kryoNull       = 0
	kryoInteger    = 2
	kryoString     = 3
	kryoFloat      = 4
	kryoBoolean    = 5
	kryoByte       = 6
	kryoChar       = 7
	kryoShort      = 8
	kryoLong       = 9
	kryoDouble     = 10
	kryoByteArray  = 12
	kryoArrayList  = 14
	kryoHashMap    = 15
	kryoHashSet    = 16
	kryoStormValue = 19
)

// AppendEncode implements Codec.
func (c *KryoCodec) AppendEncode(dst []byte, t *Tuple) ([]byte, error) {
	comp := t.SourceComponent
	if comp == "" {
		var ok bool
		if comp, ok = c.dict.component(t.SourceTask); !ok {
			return dst, fmt.Errorf("kryo codec: unknown source task %d", t.SourceTask)
		}
	}
	sid, ok := c.dict.ids[comp][t.Stream]
	if !ok {
		return dst, fmt.Errorf("kryo codec: component %q has no stream %q", comp, t.Stream)
	}
	dst = appendKryoVarInt(dst, uint32(t.SourceTask))
	dst = appendKryoVarInt(dst, uint32(sid))
	dst = appendKryoVarInt(dst, uint32(len(t.ID)))
	for _, a := range t.ID {
		dst = binary.BigEndian.AppendUint64(dst, uint64(a.Root))
		dst = binary.BigEndian.AppendUint64(dst, uint64(a.Edge))
	}
	return AppendKryoValues(dst, t.Values)
}

// AppendKryoValues appends values as Storm's KryoValuesSerializer writes a tuple's value list
// (a ListDelegate: element count, then each element with its class).
func AppendKryoValues(dst []byte, values []any) ([]byte, error) {
	dst = appendKryoVarInt(dst, uint32(len(values)))
	var err error
	for _, v := range values {
		if dst, err = appendKryoValue(dst, v, 0); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

func appendKryoVarInt(dst []byte, v uint32) []byte { return binary.AppendUvarint(dst, uint64(v)) }

func zigzag32(v int32) uint32 { return uint32(v<<1) ^ uint32(v>>31) }
func zigzag64(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

// appendKryoVarLong is Kryo's writeVarLong: 7-bit groups, but the ninth byte holds 8 bits.
func appendKryoVarLong(dst []byte, v uint64) []byte {
	for i := 0; i < 8; i++ {
		if v>>7 == 0 {
			return append(dst, byte(v))
		}
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// appendKryoString is Kryo's Output.writeString.
func appendKryoString(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, 0x81)
	}
	if n := len(s); n > 1 && n < 64 && isASCII(s) {
		dst = append(dst, s...)
		dst[len(dst)-1] |= 0x80
		return dst
	}
	units := 0
	for _, r := range s { // invalid UTF-8 bytes become U+FFFD, as Java decodes them
		units += utf16.RuneLen(r)
	}
	dst = appendUTF8Length(dst, uint32(units+1))
	for _, r := range s {
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			dst = appendJavaChar(appendJavaChar(dst, uint16(hi)), uint16(lo))
			continue
		}
		dst = appendJavaChar(dst, uint16(r))
	}
	return dst
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func appendJavaChar(dst []byte, c uint16) []byte {
	switch {
	case c <= 0x7F:
		return append(dst, byte(c))
	case c > 0x7FF:
		return append(dst, 0xE0|byte(c>>12&0x0F), 0x80|byte(c>>6&0x3F), 0x80|byte(c&0x3F))
	}
	return append(dst, 0xC0|byte(c>>6&0x1F), 0x80|byte(c&0x3F))
}

// appendUTF8Length is Kryo's writeUtf8Length: 6 bits in the first byte (0x80 always set, 0x40 =
// more), then 7-bit groups with 0x80 = more.
func appendUTF8Length(dst []byte, v uint32) []byte {
	if v>>6 == 0 {
		return append(dst, byte(v)|0x80)
	}
	dst = append(dst, byte(v&0x3F)|0xC0)
	v >>= 6
	for v>>7 != 0 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

func appendKryoValue(dst []byte, v any, depth int) ([]byte, error) {
	if depth > MaxDepth {
		return dst, &UnsupportedTypeError{Type: reflect.TypeOf(v)}
	}
	switch x := v.(type) {
	case nil:
		return append(dst, kryoNull), nil
	case string:
		return appendKryoString(append(dst, kryoString), x), nil
	case int64:
		return appendKryoVarLong(append(dst, kryoLong), zigzag64(x)), nil
	case int:
		return appendKryoVarLong(append(dst, kryoLong), zigzag64(int64(x))), nil
	case int32:
		return appendKryoVarInt(append(dst, kryoInteger), zigzag32(x)), nil
	case float64:
		bits := math.Float64bits(x)
		if x != x {
			bits = 0x7ff8000000000000
		}
		return binary.BigEndian.AppendUint64(append(dst, kryoDouble), bits), nil
	case bool:
		if x {
			return append(dst, kryoBoolean, 1), nil
		}
		return append(dst, kryoBoolean, 0), nil
	case []byte:
		if x == nil {
			return append(dst, kryoByteArray, 0), nil
		}
		dst = appendKryoVarInt(append(dst, kryoByteArray), uint32(len(x)+1))
		return append(dst, x...), nil
	case float32:
		bits := math.Float32bits(x)
		if x != x {
			bits = 0x7fc00000
		}
		return binary.BigEndian.AppendUint32(append(dst, kryoFloat), bits), nil
	case int8:
		return append(dst, kryoByte, byte(x)), nil
	case int16:
		return binary.BigEndian.AppendUint16(append(dst, kryoShort), uint16(x)), nil
	case uint8:
		return binary.BigEndian.AppendUint16(append(dst, kryoShort), uint16(x)), nil
	case uint16:
		return appendKryoVarInt(append(dst, kryoInteger), zigzag32(int32(x))), nil
	case uint32:
		return appendKryoVarLong(append(dst, kryoLong), zigzag64(int64(x))), nil
	case uint64:
		return appendKryoVarLong(append(dst, kryoLong), zigzag64(int64(x))), nil
	case uint:
		return appendKryoVarLong(append(dst, kryoLong), zigzag64(int64(x))), nil
	case Char:
		return binary.BigEndian.AppendUint16(append(dst, kryoChar), uint16(x)), nil
	case []any:
		dst = appendKryoVarInt(append(dst, kryoArrayList), uint32(len(x)))
		var err error
		for _, e := range x {
			if dst, err = appendKryoValue(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		return dst, nil
	case map[string]any:
		dst = appendKryoVarInt(append(dst, kryoHashMap), uint32(len(x)))
		var err error
		for k, e := range x {
			dst = appendKryoString(append(dst, kryoString), k)
			if dst, err = appendKryoValue(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		return dst, nil
	}
	return appendKryoReflect(dst, reflect.ValueOf(v), depth)
}

func appendKryoReflect(dst []byte, v reflect.Value, depth int) ([]byte, error) {
	switch v.Kind() {
	case reflect.Bool:
		return appendKryoValue(dst, v.Bool(), depth)
	case reflect.Int8:
		return appendKryoValue(dst, int8(v.Int()), depth)
	case reflect.Int16:
		return appendKryoValue(dst, int16(v.Int()), depth)
	case reflect.Int32:
		return appendKryoValue(dst, int32(v.Int()), depth)
	case reflect.Int, reflect.Int64:
		return appendKryoValue(dst, v.Int(), depth)
	case reflect.Uint8:
		return appendKryoValue(dst, uint8(v.Uint()), depth)
	case reflect.Uint16:
		return appendKryoValue(dst, uint16(v.Uint()), depth)
	case reflect.Uint32, reflect.Uint, reflect.Uint64:
		return appendKryoValue(dst, v.Uint(), depth)
	case reflect.Float32:
		return appendKryoValue(dst, float32(v.Float()), depth)
	case reflect.Float64:
		return appendKryoValue(dst, v.Float(), depth)
	case reflect.String:
		return appendKryoValue(dst, v.String(), depth)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return appendKryoValue(dst, v.Bytes(), depth)
		}
		if depth+1 > MaxDepth {
			break
		}
		dst = appendKryoVarInt(append(dst, kryoArrayList), uint32(v.Len()))
		var err error
		for i := range v.Len() {
			if dst, err = appendKryoValue(dst, v.Index(i).Interface(), depth+1); err != nil {
				return dst, err
			}
		}
		return dst, nil
	case reflect.Map:
		if depth+1 > MaxDepth {
			break
		}
		dst = appendKryoVarInt(append(dst, kryoHashMap), uint32(v.Len()))
		var err error
		it := v.MapRange()
		for it.Next() {
			if dst, err = appendKryoValue(dst, it.Key().Interface(), depth+1); err != nil {
				return dst, err
			}
			if dst, err = appendKryoValue(dst, it.Value().Interface(), depth+1); err != nil {
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
