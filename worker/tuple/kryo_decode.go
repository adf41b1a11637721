package tuple

import (
	"encoding/binary"
	"math"
	"strings"
	"unicode/utf16"
)

// Decode implements Codec.
func (c *KryoCodec) Decode(payload []byte, t *Tuple) error {
	d := kryoDecoder{decoder{b: payload}}
	task, err := d.varInt()
	if err != nil {
		return err
	}
	sid, err := d.varInt()
	if err != nil {
		return err
	}
	comp, ok := c.dict.component(int32(task))
	if !ok {
		return corrupt("unknown source task %d", int32(task))
	}
	names := c.dict.names[comp]
	if sid < 1 || int(sid) > len(names) {
		return corrupt("component %q has no stream number %d", comp, sid)
	}
	n, err := d.countKryo(16)
	if err != nil {
		return err
	}
	id := t.ID[:0]
	for range n {
		root := int64(binary.BigEndian.Uint64(d.b[d.off:]))
		edge := int64(binary.BigEndian.Uint64(d.b[d.off+8:]))
		d.off += 16
		id = append(id, Anchor{Root: root, Edge: edge})
	}
	n, err = d.countKryo(1)
	if err != nil {
		return err
	}
	values := t.Values[:0]
	if cap(values) < n {
		values = make(Values, 0, min(n, prealloc))
	}
	for range n {
		v, err := d.value(0)
		if err != nil {
			return err
		}
		values = append(values, v)
	}
	if d.off != len(d.b) {
		return corrupt("%d trailing bytes", len(d.b)-d.off)
	}
	t.SourceTask = int32(task)
	t.Stream = names[sid-1]
	t.ID = id
	t.Values = values
	return nil
}

// DecodeKryoValues decodes a value list written by Storm's KryoValuesSerializer (or
// AppendKryoValues); it must fill b exactly.
func DecodeKryoValues(b []byte) ([]any, error) {
	d := kryoDecoder{decoder{b: b}}
	n, err := d.countKryo(1)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, min(n, prealloc))
	for range n {
		v, err := d.value(0)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if d.off != len(d.b) {
		return nil, corrupt("%d trailing bytes", len(d.b)-d.off)
	}
	return out, nil
}

type kryoDecoder struct{ decoder }

// varInt is Kryo's readVarInt: up to five 7-bit groups, the fifth byte taken whole.
func (d *kryoDecoder) varInt() (uint32, error) {
	var v uint32
	for i := 0; i < 5; i++ {
		if d.off >= len(d.b) {
			return 0, corrupt("truncated varint at %d", d.off)
		}
		b := d.b[d.off]
		d.off++
		if i == 4 {
			return v | uint32(b)<<28, nil
		}
		v |= uint32(b&0x7F) << (7 * i)
		if b&0x80 == 0 {
			return v, nil
		}
	}
	return v, nil
}

// varLong is Kryo's readVarLong: up to eight 7-bit groups, then a whole ninth byte.
func (d *kryoDecoder) varLong() (uint64, error) {
	var v uint64
	for i := 0; i < 9; i++ {
		if d.off >= len(d.b) {
			return 0, corrupt("truncated varlong at %d", d.off)
		}
		b := d.b[d.off]
		d.off++
		if i == 8 {
			return v | uint64(b)<<56, nil
		}
		v |= uint64(b&0x7F) << (7 * i)
		if b&0x80 == 0 {
			return v, nil
		}
	}
	return v, nil
}

func (d *kryoDecoder) countKryo(minSize int) (int, error) {
	n, err := d.varInt()
	if err != nil {
		return 0, err
	}
	if uint64(n) > uint64(d.left()/minSize) {
		return 0, corrupt("count %d exceeds payload at %d", n, d.off)
	}
	return int(n), nil
}

// string is Kryo's readString; ok is false for a null string.
func (d *kryoDecoder) string() (s string, ok bool, err error) {
	if d.left() < 1 {
		return "", false, corrupt("truncated string at %d", d.off)
	}
	if d.b[d.off]&0x80 == 0 { // ASCII: bytes up to one with the high bit set
		start := d.off
		for d.off < len(d.b) {
			b := d.b[d.off]
			d.off++
			if b&0x80 != 0 {
				var sb strings.Builder
				sb.Grow(d.off - start)
				sb.Write(d.b[start : d.off-1])
				sb.WriteByte(b & 0x7F)
				return sb.String(), true, nil
			}
		}
		return "", false, corrupt("unterminated ASCII string at %d", start)
	}
	n, err := d.utf8Length()
	if err != nil {
		return "", false, err
	}
	switch n {
	case 0:
		return "", false, nil
	case 1:
		return "", true, nil
	}
	n--
	if uint64(n) > uint64(d.left()) {
		return "", false, corrupt("string of %d chars exceeds payload", n)
	}
	units := make([]uint16, n)
	for i := range units {
		b := d.b[d.off]
		switch b >> 4 {
		case 0, 1, 2, 3, 4, 5, 6, 7:
			units[i] = uint16(b)
			d.off++
		case 12, 13:
			if d.left() < 2 {
				return "", false, corrupt("truncated char at %d", d.off)
			}
			units[i] = uint16(b&0x1F)<<6 | uint16(d.b[d.off+1]&0x3F)
			d.off += 2
		case 14:
			if d.left() < 3 {
				return "", false, corrupt("truncated char at %d", d.off)
			}
			units[i] = uint16(b&0x0F)<<12 | uint16(d.b[d.off+1]&0x3F)<<6 | uint16(d.b[d.off+2]&0x3F)
			d.off += 3
		default:
			return "", false, corrupt("bad UTF-8 lead byte %#x at %d", b, d.off)
		}
		if i < len(units)-1 && d.left() < 1 {
			return "", false, corrupt("truncated string at %d", d.off)
		}
	}
	return string(utf16.Decode(units)), true, nil
}

// utf8Length is Kryo's readUtf8Length.
func (d *kryoDecoder) utf8Length() (uint32, error) {
	b := d.b[d.off]
	d.off++
	v := uint32(b & 0x3F)
	if b&0x40 == 0 {
		return v, nil
	}
	shift := 6
	for i := 0; i < 4; i++ {
		if d.off >= len(d.b) {
			return 0, corrupt("truncated string length at %d", d.off)
		}
		b = d.b[d.off]
		d.off++
		v |= uint32(b&0x7F) << shift
		if b&0x80 == 0 {
			return v, nil
		}
		shift += 7
	}
	return v, nil
}

func (d *kryoDecoder) value(depth int) (any, error) {
	class, err := d.varInt()
	if err != nil {
		return nil, err
	}
	switch class {
	case kryoNull:
		return nil, nil
	case kryoInteger:
		u, err := d.varInt()
		return int32(u>>1) ^ -int32(u&1), err
	case kryoLong:
		u, err := d.varLong()
		return int64(u>>1) ^ -int64(u&1), err
	case kryoString:
		s, ok, err := d.string()
		if !ok || err != nil {
			return nil, err
		}
		return s, nil
	case kryoFloat:
		b, err := d.fixed(4)
		if err != nil {
			return nil, err
		}
		return math.Float32frombits(binary.BigEndian.Uint32(b)), nil
	case kryoDouble:
		b, err := d.fixed(8)
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	case kryoBoolean:
		b, err := d.fixed(1)
		if err != nil {
			return nil, err
		}
		return b[0] != 0, nil
	case kryoByte:
		b, err := d.fixed(1)
		if err != nil {
			return nil, err
		}
		return int8(b[0]), nil
	case kryoShort:
		b, err := d.fixed(2)
		if err != nil {
			return nil, err
		}
		return int16(binary.BigEndian.Uint16(b)), nil
	case kryoChar:
		b, err := d.fixed(2)
		if err != nil {
			return nil, err
		}
		return Char(binary.BigEndian.Uint16(b)), nil
	case kryoByteArray:
		n, err := d.varInt()
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return []byte(nil), nil
		}
		b, err := d.fixed(int(min(n-1, math.MaxInt32)))
		if err != nil {
			return nil, err
		}
		return append([]byte{}, b...), nil
	case kryoArrayList, kryoHashSet, kryoStormValue, kryoHashMap:
		if depth >= MaxDepth {
			return nil, corrupt("nesting deeper than %d", MaxDepth)
		}
	default:
		return nil, corrupt("unsupported Kryo class id %d at %d", class, d.off)
	}
	if class == kryoHashMap {
		return d.hashMap(depth)
	}
	n, err := d.countKryo(1)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, min(n, prealloc))
	for range n {
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (d *kryoDecoder) hashMap(depth int) (any, error) {
	n, err := d.countKryo(2)
	if err != nil {
		return nil, err
	}
	keys := make([]any, 0, min(n, prealloc))
	vals := make([]any, 0, min(n, prealloc))
	allStrings := true
	for range n {
		k, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if !hashable(k) {
			return nil, corrupt("map key of type %T", k)
		}
		if _, ok := k.(string); !ok {
			allStrings = false
		}
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
		vals = append(vals, v)
	}
	if allStrings {
		m := make(map[string]any, len(keys))
		for i, k := range keys {
			m[k.(string)] = vals[i]
		}
		return m, nil
	}
	m := make(map[any]any, len(keys))
	for i, k := range keys {
		m[k] = vals[i]
	}
	return m, nil
}
