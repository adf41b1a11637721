package javaser

import (
	"encoding/binary"
	"errors"
	"fmt"
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
