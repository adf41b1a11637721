package javaser

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// content reads one value: the grammar's "content" minus block data,
// which only annotations and the top level accept.
func (d *decoder) content(depth int) (any, error) {
	if depth > d.lim.MaxDepth {
		return nil, fmt.Errorf("%w: nesting deeper than %d", ErrLimit, d.lim.MaxDepth)
	}
	tc, err := d.u8()
	if err != nil {
		return nil, err
	}
	switch tc {
	case TCNull:
		return nil, nil
	case TCReference:
		return d.reference()
	case TCObject:
		return d.newObject(depth)
	case TCString:
		return d.newString(false)
	case TCLongString:
		return d.newString(true)
	case TCArray:
		return d.newArray(depth)
	case TCClass:
		desc, err := d.classDesc(depth + 1)
		if err != nil {
			return nil, err
		}
		c := &Class{Desc: desc}
		return c, d.newHandle(c)
	case TCEnum:
		return d.newEnum(depth)
	case TCClassDesc:
		return d.newClassDesc(depth + 1)
	case TCProxyClassDesc:
		return d.newProxyClassDesc(depth + 1)
	case TCException:
		return nil, d.exception(depth)
	case TCReset:
		d.off--
		return nil, d.malformed("TC_RESET inside an object")
	case TCBlockData, TCBlockDataLong, TCEndBlockData:
		d.off--
		return nil, d.malformed("block data where a value was expected (tag %#x)", tc)
	default:
		d.off--
		return nil, d.malformed("unknown type code %#x", tc)
	}
}

func (d *decoder) exception(depth int) error {
	// The writer reset the stream before and after writing the exception.
	d.base = len(d.handles)
	v, err := d.content(depth + 1)
	if err != nil {
		return err
	}
	o, _ := v.(*Object)
	return &StreamExceptionError{Exception: o}
}

func (d *decoder) newString(long bool) (string, error) {
	var n uint64
	if long {
		v, err := d.u64()
		if err != nil {
			return "", err
		}
		n = v
	} else {
		v, err := d.u16()
		if err != nil {
			return "", err
		}
		n = uint64(v)
	}
	if n > uint64(len(d.b)-d.off) {
		return "", d.malformed("string of %d bytes, %d left", n, len(d.b)-d.off)
	}
	p, err := d.take(int(n))
	if err != nil {
		return "", err
	}
	s, err := decodeModifiedUTF8(p)
	if err != nil {
		return "", d.malformed("%v", err)
	}
	return s, d.newHandle(s)
}

// stringContent reads a string value (TC_STRING, TC_LONGSTRING or a
// reference to a string), as field type names and enum constant names are
// written.
func (d *decoder) stringContent() (string, error) {
	tc, err := d.u8()
	if err != nil {
		return "", err
	}
	switch tc {
	case TCString:
		return d.newString(false)
	case TCLongString:
		return d.newString(true)
	case TCReference:
		v, err := d.reference()
		if err != nil {
			return "", err
		}
		s, ok := v.(string)
		if !ok {
			return "", d.malformed("reference to %s where a string was expected", describe(v))
		}
		return s, nil
	default:
		d.off--
		return "", d.malformed("type code %#x where a string was expected", tc)
	}
}

func (d *decoder) newEnum(depth int) (*Enum, error) {
	desc, err := d.classDesc(depth + 1)
	if err != nil {
		return nil, err
	}
	if desc == nil {
		return nil, d.malformed("enum with null class descriptor")
	}
	e := &Enum{Class: desc}
	if err := d.newHandle(e); err != nil {
		return nil, err
	}
	if e.Constant, err = d.stringContent(); err != nil {
		return nil, err
	}
	return e, nil
}

func (d *decoder) newObject(depth int) (*Object, error) {
	desc, err := d.classDesc(depth + 1)
	if err != nil {
		return nil, err
	}
	if desc == nil {
		return nil, d.malformed("object with null class descriptor")
	}
	if desc.Flags&SCEnum != 0 {
		return nil, d.malformed("TC_OBJECT of enum class %s", desc)
	}
	o := &Object{Class: desc}
	if err := d.newHandle(o); err != nil {
		return nil, err
	}
	if desc.Flags&SCExternalizable != 0 {
		if desc.Flags&SCBlockData == 0 {
			return nil, d.malformed("externalizable class %s written with stream protocol 1 cannot be read without the class", desc)
		}
		ann, err := d.annotation(depth)
		if err != nil {
			return nil, err
		}
		o.Data = []*ClassData{{Class: desc, Annotations: ann, NoFieldValues: true}}
		return o, nil
	}
	for _, c := range desc.Hierarchy() {
		cd, err := d.classData(c, depth)
		if err != nil {
			return nil, err
		}
		o.Data = append(o.Data, cd)
	}
	return o, nil
}

// classData reads the part of an object written for class c.
func (d *decoder) classData(c *ClassDesc, depth int) (*ClassData, error) {
	cd := &ClassData{Class: c}
	if c.Flags&SCSerializable == 0 {
		// No data in the stream for this class (Java: "no data").
		cd.NoFieldValues = true
		return cd, nil
	}
	if c.Flags&SCWriteMethod == 0 {
		var err error
		cd.Values, err = d.fieldValues(c, depth)
		return cd, err
	}
	// A writeObject method should write default field values first; some
	// never do. When the section starts like an annotation the field
	// values may be absent: try the values first, then the annotation
	// alone.
	ambiguous := false
	if len(c.Fields) > 0 {
		if tc, err := d.peek(); err == nil && (tc == TCBlockData || tc == TCBlockDataLong || tc == TCEndBlockData) {
			ambiguous = true
		}
	}
	off, nh, base := d.off, len(d.handles), d.base
	values, err := d.fieldValues(c, depth)
	if err == nil {
		var ann []any
		if ann, err = d.annotation(depth); err == nil {
			cd.Values, cd.Annotations = values, ann
			return cd, nil
		}
	}
	if !ambiguous || errors.Is(err, ErrLimit) {
		return nil, err
	}
	first := err
	d.off, d.base = off, base
	clear(d.handles[nh:])
	d.handles = d.handles[:nh]
	ann, err2 := d.annotation(depth)
	if err2 != nil {
		return nil, first
	}
	cd.NoFieldValues, cd.Annotations = true, ann
	return cd, nil
}

func (d *decoder) fieldValues(c *ClassDesc, depth int) ([]any, error) {
	if err := d.charge(len(c.Fields)); err != nil {
		return nil, err
	}
	values := make([]any, len(c.Fields))
	for i, f := range c.Fields {
		var err error
		if f.IsPrimitive() {
			values[i], err = d.primitive(f.Type)
		} else {
			values[i], err = d.content(depth + 1)
		}
		if err != nil {
			return nil, err
		}
	}
	return values, nil
}

func primSize(t byte) int {
	switch t {
	case 'B', 'Z':
		return 1
	case 'C', 'S':
		return 2
	case 'I', 'F':
		return 4
	case 'J', 'D':
		return 8
	}
	return 0
}

func (d *decoder) primitive(t byte) (any, error) {
	p, err := d.take(primSize(t))
	if err != nil {
		return nil, err
	}
	switch t {
	case 'B':
		return int8(p[0]), nil
	case 'Z':
		return p[0] != 0, nil
	case 'C':
		return binary.BigEndian.Uint16(p), nil
	case 'S':
		return int16(binary.BigEndian.Uint16(p)), nil
	case 'I':
		return int32(binary.BigEndian.Uint32(p)), nil
	case 'F':
		return math.Float32frombits(binary.BigEndian.Uint32(p)), nil
	case 'J':
		return int64(binary.BigEndian.Uint64(p)), nil
	case 'D':
		return math.Float64frombits(binary.BigEndian.Uint64(p)), nil
	}
	return nil, d.malformed("unknown primitive type %q", t)
}

func (d *decoder) newArray(depth int) (*Array, error) {
	desc, err := d.classDesc(depth + 1)
	if err != nil {
		return nil, err
	}
	if desc == nil || len(desc.Name) < 2 || desc.Name[0] != '[' {
		return nil, d.malformed("array with class %s", desc)
	}
	a := &Array{Class: desc, ElemType: desc.Name[1]}
	if err := d.newHandle(a); err != nil {
		return nil, err
	}
	n32, err := d.u32()
	if err != nil {
		return nil, err
	}
	if int32(n32) < 0 {
		return nil, d.malformed("negative array length %d", int32(n32))
	}
	n := int(n32)
	size := primSize(a.ElemType)
	switch {
	case a.ElemType == 'L' || a.ElemType == '[':
		size = 1 // every element takes at least one byte
	case size == 0:
		return nil, d.malformed("array class %s has unknown element type", desc)
	}
	if int64(n)*int64(size) > int64(len(d.b)-d.off) {
		return nil, d.malformed("array of %d elements, only %d bytes left", n, len(d.b)-d.off)
	}
	if err := d.charge(n); err != nil {
		return nil, err
	}
	if a.ElemType == 'L' || a.ElemType == '[' {
		a.Elems = make([]any, n)
		for i := range a.Elems {
			if a.Elems[i], err = d.content(depth + 1); err != nil {
				return nil, err
			}
		}
		return a, nil
	}
	p, err := d.take(n * size)
	if err != nil {
		return nil, err
	}
	switch a.ElemType {
	case 'B':
		a.Bytes = append([]byte(nil), p...)
	case 'Z':
		v := make([]bool, n)
		for i := range v {
			v[i] = p[i] != 0
		}
		a.Prims = v
	case 'C':
		v := make([]uint16, n)
		for i := range v {
			v[i] = binary.BigEndian.Uint16(p[2*i:])
		}
		a.Prims = v
	case 'S':
		v := make([]int16, n)
		for i := range v {
			v[i] = int16(binary.BigEndian.Uint16(p[2*i:]))
		}
		a.Prims = v
	case 'I':
		v := make([]int32, n)
		for i := range v {
			v[i] = int32(binary.BigEndian.Uint32(p[4*i:]))
		}
		a.Prims = v
	case 'F':
		v := make([]float32, n)
		for i := range v {
			v[i] = math.Float32frombits(binary.BigEndian.Uint32(p[4*i:]))
		}
		a.Prims = v
	case 'J':
		v := make([]int64, n)
		for i := range v {
			v[i] = int64(binary.BigEndian.Uint64(p[8*i:]))
		}
		a.Prims = v
	case 'D':
		v := make([]float64, n)
		for i := range v {
			v[i] = math.Float64frombits(binary.BigEndian.Uint64(p[8*i:]))
		}
		a.Prims = v
	}
	return a, nil
}

// describe names the kind of a value for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case *Object:
		return "an object of class " + x.Class.String()
	case *Array:
		return "an array " + x.Class.String()
	case *Enum:
		return "an enum " + x.Class.String()
	case *Class:
		return "a class " + x.Desc.String()
	case *ClassDesc:
		return "a class descriptor " + x.String()
	case BlockData:
		return fmt.Sprintf("%d bytes of block data", len(x))
	default:
		return fmt.Sprintf("a %T", v)
	}
}
