package tuple

import (
	"encoding/binary"
	"math"
)

// prealloc caps the capacity reserved for a container before its elements are decoded, so memory
// grows with the elements actually present, not with a claimed count.
const prealloc = 64

// Decode implements Codec. Every length and count is checked against the bytes left and container
// capacity grows with decoded elements, so memory stays proportional to the payload size.
func (c *GaleCodec) Decode(payload []byte, t *Tuple) error {
	d := decoder{b: payload}
	task, err := d.varint()
	if err != nil {
		return err
	}
	if task < math.MinInt32 || task > math.MaxInt32 {
		return corrupt("source task %d out of range", task)
	}
	sb, err := d.bytes()
	if err != nil {
		return err
	}
	n, err := d.count(16)
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
	n, err = d.count(1)
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
	t.Stream = c.intern(sb)
	t.ID = id
	t.Values = values
	return nil
}

func (c *GaleCodec) intern(b []byte) string {
	if s, ok := c.streams[string(b)]; ok {
		return s
	}
	s := string(b)
	if c.streams != nil && len(c.streams) < maxInterned {
		c.streams[s] = s
	}
	return s
}

type decoder struct {
	b   []byte
	off int
}

func (d *decoder) left() int { return len(d.b) - d.off }

func (d *decoder) uvarint() (uint64, error) {
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		return 0, corrupt("bad uvarint at %d", d.off)
	}
	d.off += n
	return v, nil
}

func (d *decoder) varint() (int64, error) {
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		return 0, corrupt("bad varint at %d", d.off)
	}
	d.off += n
	return v, nil
}

// count reads an element count whose elements take at least minSize bytes each.
func (d *decoder) count(minSize int) (int, error) {
	n, err := d.uvarint()
	if err != nil {
		return 0, err
	}
	if n > uint64(d.left()/minSize) {
		return 0, corrupt("count %d exceeds payload at %d", n, d.off)
	}
	return int(n), nil
}

// bytes reads a length-prefixed byte string, aliasing the payload.
func (d *decoder) bytes() ([]byte, error) {
	n, err := d.count(1)
	if err != nil {
		return nil, err
	}
	b := d.b[d.off : d.off+n : d.off+n]
	d.off += n
	return b, nil
}

func (d *decoder) fixed(n int) ([]byte, error) {
	if d.left() < n {
		return nil, corrupt("truncated at %d", d.off)
	}
	b := d.b[d.off : d.off+n]
	d.off += n
	return b, nil
}

func (d *decoder) value(depth int) (any, error) {
	if d.left() < 1 {
		return nil, corrupt("truncated at %d", d.off)
	}
	tag := d.b[d.off]
	d.off++
	switch tag {
	case tagNil:
		return nil, nil
	case tagFalse:
		return false, nil
	case tagTrue:
		return true, nil
	case tagInt, tagInt16, tagInt32, tagInt64:
		v, err := d.varint()
		if err != nil {
			return nil, err
		}
		switch tag {
		case tagInt:
			return int(v), nil
		case tagInt16:
			if v < math.MinInt16 || v > math.MaxInt16 {
				return nil, corrupt("int16 out of range")
			}
			return int16(v), nil
		case tagInt32:
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, corrupt("int32 out of range")
			}
			return int32(v), nil
		}
		return v, nil
	case tagInt8, tagUint8:
		b, err := d.fixed(1)
		if err != nil {
			return nil, err
		}
		if tag == tagInt8 {
			return int8(b[0]), nil
		}
		return b[0], nil
	case tagUint, tagUint16, tagUint32, tagUint64:
		v, err := d.uvarint()
		if err != nil {
			return nil, err
		}
		switch tag {
		case tagUint:
			return uint(v), nil
		case tagUint16:
			if v > math.MaxUint16 {
				return nil, corrupt("uint16 out of range")
			}
			return uint16(v), nil
		case tagUint32:
			if v > math.MaxUint32 {
				return nil, corrupt("uint32 out of range")
			}
			return uint32(v), nil
		}
		return v, nil
	case tagFloat32:
		b, err := d.fixed(4)
		if err != nil {
			return nil, err
		}
		return math.Float32frombits(binary.BigEndian.Uint32(b)), nil
	case tagFloat64:
		b, err := d.fixed(8)
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	case tagString:
		b, err := d.bytes()
		return string(b), err
	case tagBytes:
		b, err := d.bytes()
		if err != nil {
			return nil, err
		}
		return append([]byte{}, b...), nil
	case tagStrings:
		n, err := d.count(1)
		if err != nil {
			return nil, err
		}
		out := make([]string, 0, min(n, prealloc))
		for range n {
			b, err := d.bytes()
			if err != nil {
				return nil, err
			}
			out = append(out, string(b))
		}
		return out, nil
	case tagInt64s:
		n, err := d.count(1)
		if err != nil {
			return nil, err
		}
		out := make([]int64, 0, min(n, prealloc))
		for range n {
			v, err := d.varint()
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case tagFloat64s:
		n, err := d.count(8)
		if err != nil {
			return nil, err
		}
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(binary.BigEndian.Uint64(d.b[d.off:]))
			d.off += 8
		}
		return out, nil
	}
	if tag >= numTags {
		return nil, corrupt("unknown value tag %d at %d", tag, d.off-1)
	}
	// Containers.
	if depth >= MaxDepth {
		return nil, corrupt("nesting deeper than %d", MaxDepth)
	}
	switch tag {
	case tagList:
		n, err := d.count(1)
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
	case tagStringMap:
		n, err := d.count(2)
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, min(n, prealloc))
		for range n {
			k, err := d.bytes()
			if err != nil {
				return nil, err
			}
			if out[string(k)], err = d.value(depth + 1); err != nil {
				return nil, err
			}
		}
		return out, nil
	default: // tagAnyMap
		n, err := d.count(2)
		if err != nil {
			return nil, err
		}
		out := make(map[any]any, min(n, prealloc))
		for range n {
			k, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			if !hashable(k) {
				return nil, corrupt("map key of type %T", k)
			}
			if out[k], err = d.value(depth + 1); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
}

// hashable reports whether a decoded value can be a Go map key.
func hashable(v any) bool {
	switch v.(type) {
	case []any, []byte, []string, []int64, []float64, map[string]any, map[any]any:
		return false
	}
	return true
}
