package javaser

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// ErrMalformed is wrapped by every error about bytes that do not follow the
// stream grammar.
var ErrMalformed = errors.New("malformed java serialization stream")

// ErrLimit is wrapped by errors about a stream that exceeds a [Limits] bound.
var ErrLimit = errors.New("java serialization stream exceeds a limit")

// StreamExceptionError reports a TC_EXCEPTION marker: the writer failed
// while serializing and wrote the exception it hit instead.
type StreamExceptionError struct {
	// Exception is the serialized Throwable (may be nil if unreadable).
	Exception *Object
}

func (e *StreamExceptionError) Error() string {
	name := "<unknown>"
	if e.Exception != nil {
		name = e.Exception.ClassName()
		if msg, ok := e.Exception.Field("java.lang.Throwable", "detailMessage"); ok {
			if s, ok := msg.(string); ok {
				return fmt.Sprintf("java serialization stream holds an exception written by the writer: %s: %s", name, s)
			}
		}
	}
	return "java serialization stream holds an exception written by the writer: " + name
}

// Limits bound the resources one Parse may use. Zero fields take the
// defaults of [DefaultLimits].
type Limits struct {
	// MaxBytes is the largest input accepted.
	MaxBytes int
	// MaxDepth bounds the nesting of values (objects within objects,
	// descriptor chains).
	MaxDepth int
	// MaxElements bounds the total of array elements, field values and
	// handles the parse may create.
	MaxElements int
	// MaxWork bounds the bytes read in total, counting bytes read again
	// when an ambiguous writeObject section is retried; it defaults to a
	// multiple of the input size.
	MaxWork int
}

// DefaultLimits returns the limits Parse uses: 16 MiB of input, depth 1000,
// 4 Mi elements, 32 times the input size of work. Serialized spouts and
// bolts are a few kilobytes.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 16 << 20, MaxDepth: 1000, MaxElements: 4 << 20}
}

// Parse parses a complete stream with [DefaultLimits].
func Parse(b []byte) (*Stream, error) { return ParseWithLimits(b, Limits{}) }

// ParseObject parses a stream that must hold exactly one object, as
// Utils.javaSerialize writes, and returns it.
func ParseObject(b []byte) (*Object, error) {
	s, err := Parse(b)
	if err != nil {
		return nil, err
	}
	if len(s.Contents) != 1 {
		return nil, fmt.Errorf("%w: stream holds %d top-level contents, want one object", ErrMalformed, len(s.Contents))
	}
	o, ok := s.Contents[0].(*Object)
	if !ok {
		return nil, fmt.Errorf("%w: top-level content is %s, want an object", ErrMalformed, describe(s.Contents[0]))
	}
	return o, nil
}

// ParseWithLimits parses a complete stream: magic, version, then contents
// up to the end of b.
func ParseWithLimits(b []byte, lim Limits) (*Stream, error) {
	def := DefaultLimits()
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = def.MaxBytes
	}
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = def.MaxDepth
	}
	if lim.MaxElements <= 0 {
		lim.MaxElements = def.MaxElements
	}
	if lim.MaxWork <= 0 {
		lim.MaxWork = 32*len(b) + 1<<16
	}
	if len(b) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrLimit, len(b), lim.MaxBytes)
	}
	d := &decoder{b: b, lim: lim}
	magic, err := d.u16()
	if err != nil {
		return nil, err
	}
	version, err := d.u16()
	if err != nil {
		return nil, err
	}
	if magic != StreamMagic || version != StreamVersion {
		return nil, fmt.Errorf("%w: header %04x %04x, want ACED 0005", ErrMalformed, magic, version)
	}
	s := &Stream{}
	for d.off < len(d.b) {
		tc := d.b[d.off]
		switch tc {
		case TCReset:
			d.off++
			d.base = len(d.handles)
			continue
		case TCBlockData, TCBlockDataLong:
			bd, err := d.blockData()
			if err != nil {
				return nil, err
			}
			s.Contents = append(s.Contents, bd)
			continue
		}
		v, err := d.content(0)
		if err != nil {
			return nil, err
		}
		s.Contents = append(s.Contents, v)
	}
	return s, nil
}

// decoder is the state of one parse. Handles are d.handles[d.base:]; a
// reset (legal only between top-level contents) moves base, so a failed
// attempt can be undone by truncating handles.
type decoder struct {
	b        []byte
	off      int
	handles  []any
	base     int
	elements int
	work     int
	lim      Limits
}

func (d *decoder) malformed(format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", ErrMalformed, d.off, fmt.Sprintf(format, args...))
}

func (d *decoder) need(n int) error {
	if n < 0 || n > len(d.b)-d.off {
		return fmt.Errorf("%w at offset %d: need %d bytes, %d left", ErrMalformed, d.off, n, len(d.b)-d.off)
	}
	d.work += n
	if d.work > d.lim.MaxWork {
		return fmt.Errorf("%w: more than %d bytes of parsing work", ErrLimit, d.lim.MaxWork)
	}
	return nil
}

func (d *decoder) charge(n int) error {
	d.elements += n
	if n < 0 || d.elements > d.lim.MaxElements {
		return fmt.Errorf("%w: more than %d elements", ErrLimit, d.lim.MaxElements)
	}
	return nil
}

func (d *decoder) take(n int) ([]byte, error) {
	if err := d.need(n); err != nil {
		return nil, err
	}
	p := d.b[d.off : d.off+n]
	d.off += n
	return p, nil
}

func (d *decoder) u8() (byte, error) {
	p, err := d.take(1)
	if err != nil {
		return 0, err
	}
	return p[0], nil
}

func (d *decoder) u16() (uint16, error) {
	p, err := d.take(2)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint16(p), nil
}

func (d *decoder) u32() (uint32, error) {
	p, err := d.take(4)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(p), nil
}

func (d *decoder) u64() (uint64, error) {
	p, err := d.take(8)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint64(p), nil
}

func (d *decoder) peek() (byte, error) {
	if d.off >= len(d.b) {
		return 0, d.malformed("unexpected end of stream")
	}
	return d.b[d.off], nil
}

// newHandle assigns the next handle to v.
func (d *decoder) newHandle(v any) error {
	if err := d.charge(1); err != nil {
		return err
	}
	d.handles = append(d.handles, v)
	return nil
}

func (d *decoder) reference() (any, error) {
	h, err := d.u32()
	if err != nil {
		return nil, err
	}
	idx := int64(h) - BaseWireHandle
	if idx < 0 || idx >= int64(len(d.handles)-d.base) {
		return nil, d.malformed("reference to unknown handle %#x", h)
	}
	return d.handles[d.base+int(idx)], nil
}

// utf reads a u2-length modified UTF-8 string (no handle).
func (d *decoder) utf() (string, error) {
	n, err := d.u16()
	if err != nil {
		return "", err
	}
	p, err := d.take(int(n))
	if err != nil {
		return "", err
	}
	s, err := decodeModifiedUTF8(p)
	if err != nil {
		return "", d.malformed("%v", err)
	}
	return s, nil
}

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

// classDesc reads a class descriptor position: new descriptor, proxy,
// null or reference to a descriptor.
func (d *decoder) classDesc(depth int) (*ClassDesc, error) {
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
	case TCClassDesc:
		return d.newClassDesc(depth)
	case TCProxyClassDesc:
		return d.newProxyClassDesc(depth)
	case TCReference:
		v, err := d.reference()
		if err != nil {
			return nil, err
		}
		cd, ok := v.(*ClassDesc)
		if !ok {
			return nil, d.malformed("reference to %s where a class descriptor was expected", describe(v))
		}
		return cd, nil
	default:
		d.off--
		return nil, d.malformed("type code %#x where a class descriptor was expected", tc)
	}
}

func (d *decoder) newClassDesc(depth int) (*ClassDesc, error) {
	name, err := d.utf()
	if err != nil {
		return nil, err
	}
	suid, err := d.u64()
	if err != nil {
		return nil, err
	}
	cd := &ClassDesc{Name: name, SUID: int64(suid)}
	if err := d.newHandle(cd); err != nil {
		return nil, err
	}
	if cd.Flags, err = d.u8(); err != nil {
		return nil, err
	}
	if cd.Flags&SCSerializable != 0 && cd.Flags&SCExternalizable != 0 {
		return nil, d.malformed("class %s is both serializable and externalizable", name)
	}
	n, err := d.u16()
	if err != nil {
		return nil, err
	}
	if int(n)*3 > len(d.b)-d.off {
		return nil, d.malformed("class %s declares %d fields, only %d bytes left", name, n, len(d.b)-d.off)
	}
	if cd.Flags&SCEnum != 0 && n != 0 {
		return nil, d.malformed("enum class %s declares %d fields", name, n)
	}
	if err := d.charge(int(n)); err != nil {
		return nil, err
	}
	cd.Fields = make([]FieldDesc, 0, n)
	for range n {
		var f FieldDesc
		if f.Type, err = d.u8(); err != nil {
			return nil, err
		}
		if f.Name, err = d.utf(); err != nil {
			return nil, err
		}
		switch f.Type {
		case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z':
		case 'L', '[':
			if f.ClassName, err = d.stringContent(); err != nil {
				return nil, err
			}
			if f.ClassName == "" || f.ClassName[0] != f.Type {
				return nil, d.malformed("field %s.%s has type %q", name, f.Name, f.ClassName)
			}
		default:
			return nil, d.malformed("field %s.%s has unknown type code %#x", name, f.Name, f.Type)
		}
		cd.Fields = append(cd.Fields, f)
	}
	if cd.Annotations, err = d.annotation(depth); err != nil {
		return nil, err
	}
	if cd.Super, err = d.classDesc(depth + 1); err != nil {
		return nil, err
	}
	return cd, d.checkChain(cd)
}

func (d *decoder) newProxyClassDesc(depth int) (*ClassDesc, error) {
	cd := &ClassDesc{Proxy: true, Flags: SCSerializable}
	if err := d.newHandle(cd); err != nil {
		return nil, err
	}
	n, err := d.u32()
	if err != nil {
		return nil, err
	}
	if int64(n)*2 > int64(len(d.b)-d.off) {
		return nil, d.malformed("proxy declares %d interfaces, only %d bytes left", n, len(d.b)-d.off)
	}
	if err := d.charge(int(n)); err != nil {
		return nil, err
	}
	for range n {
		s, err := d.utf()
		if err != nil {
			return nil, err
		}
		cd.Interfaces = append(cd.Interfaces, s)
	}
	if cd.Annotations, err = d.annotation(depth); err != nil {
		return nil, err
	}
	if cd.Super, err = d.classDesc(depth + 1); err != nil {
		return nil, err
	}
	return cd, d.checkChain(cd)
}

// checkChain refuses superclass cycles (possible through references) and
// chains deeper than the depth limit.
func (d *decoder) checkChain(cd *ClassDesc) error {
	n := 0
	for c := cd.Super; c != nil; c = c.Super {
		if c == cd {
			return d.malformed("class %s is its own superclass", cd)
		}
		if n++; n > d.lim.MaxDepth {
			return fmt.Errorf("%w: superclass chain of %s longer than %d (or cyclic)", ErrLimit, cd, d.lim.MaxDepth)
		}
	}
	return nil
}

// blockData reads one TC_BLOCKDATA or TC_BLOCKDATALONG segment.
func (d *decoder) blockData() (BlockData, error) {
	tc, err := d.u8()
	if err != nil {
		return nil, err
	}
	var n int
	if tc == TCBlockData {
		v, err := d.u8()
		if err != nil {
			return nil, err
		}
		n = int(v)
	} else {
		v, err := d.u32()
		if err != nil {
			return nil, err
		}
		if int32(v) < 0 {
			return nil, d.malformed("negative block data length %d", int32(v))
		}
		n = int(v)
	}
	p, err := d.take(n)
	if err != nil {
		return nil, err
	}
	return BlockData(p), nil
}

// annotation reads block data and values up to TC_ENDBLOCKDATA.
func (d *decoder) annotation(depth int) ([]any, error) {
	var out []any
	for {
		tc, err := d.peek()
		if err != nil {
			return nil, err
		}
		switch tc {
		case TCEndBlockData:
			d.off++
			return out, nil
		case TCBlockData, TCBlockDataLong:
			bd, err := d.blockData()
			if err != nil {
				return nil, err
			}
			out = append(out, bd)
		default:
			v, err := d.content(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		if err := d.charge(1); err != nil {
			return nil, err
		}
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
		return cd, nil // no data (Java: a class without data in the stream)
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
