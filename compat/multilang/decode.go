package multilang

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The decoder is hand-written for the child's messages, which the parent
// reads at the tuple rate: one pass, no reflection, allocations only for
// the values it returns. It accepts exactly what encoding/json accepts and
// returns what Decode's contract says (TestDecodeMatchesEncodingJSON and
// FuzzDecode compare it with encoding/json): invalid UTF-8 and unpaired
// surrogates become U+FFFD, nesting is bounded as encoding/json bounds it,
// and the last of duplicate members wins.

// maxDecodeDepth is encoding/json's nesting bound.
const maxDecodeDepth = 10000

// Decode parses one JSON text. Integers become int64 (an integer outside
// its range is an error, as in json-simple), other numbers float64
// (overflowing to ±Inf as Java's Double.valueOf does), objects
// map[string]any and arrays []any. Text after the value is an error.
func Decode(b []byte) (any, error) {
	d := decoder{data: b}
	d.skipSpace()
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	return v, nil
}

type decoder struct {
	data  []byte
	pos   int
	depth int
}

func (d *decoder) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: offset %d: %s", ErrBadJSON, d.pos, fmt.Sprintf(format, args...))
}

func (d *decoder) unexpected(context string) error {
	if d.pos >= len(d.data) {
		return d.errorf("unexpected end of JSON input %s", context)
	}
	return d.errorf("invalid character %q %s", d.data[d.pos], context)
}

// end checks that only white space follows the value.
func (d *decoder) end() error {
	d.skipSpace()
	if d.pos != len(d.data) {
		return fmt.Errorf("%w: data after the JSON value", ErrBadJSON)
	}
	return nil
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// value decodes the value at d.pos (white space already skipped).
func (d *decoder) value() (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.unexpected("looking for a value")
	}
	switch c := d.data[d.pos]; {
	case c == '"':
		return d.str()
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	}
	return nil, d.unexpected("looking for a value")
}

func (d *decoder) literal(lit string) error {
	if len(d.data)-d.pos >= len(lit) && string(d.data[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return nil
	}
	for i := 0; i < len(lit); i++ {
		if d.pos >= len(d.data) || d.data[d.pos] != lit[i] {
			return d.unexpected("in literal " + lit)
		}
		d.pos++
	}
	return nil
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > maxDecodeDepth {
		return d.errorf("exceeded max depth")
	}
	return nil
}

func (d *decoder) array() ([]any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.pos++ // [
	d.skipSpace()
	out := []any{}
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		d.depth--
		return out, nil
	}
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.unexpected("after array element")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
			d.skipSpace()
		case ']':
			d.pos++
			d.depth--
			return out, nil
		default:
			return nil, d.unexpected("after array element")
		}
	}
}

// members walks the members of the object at d.pos, calling member with
// the key (valid only during the call) with d.pos at the value, white
// space skipped; member must consume the value.
func (d *decoder) members(member func(key []byte, escaped bool) error) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++ // {
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		d.depth--
		return nil
	}
	for {
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return d.unexpected("looking for beginning of object key string")
		}
		key, escaped, err := d.strBytes()
		if err != nil {
			return err
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return d.unexpected("after object key")
		}
		d.pos++
		d.skipSpace()
		if err := member(key, escaped); err != nil {
			return err
		}
		d.skipSpace()
		if d.pos >= len(d.data) {
			return d.unexpected("after object key:value pair")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
			d.skipSpace()
		case '}':
			d.pos++
			d.depth--
			return nil
		default:
			return d.unexpected("after object key:value pair")
		}
	}
}

func (d *decoder) object() (map[string]any, error) {
	out := map[string]any{}
	err := d.members(func(key []byte, _ bool) error {
		v, err := d.value()
		if err != nil {
			return err
		}
		out[string(key)] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (d *decoder) str() (string, error) {
	b, _, err := d.strBytes()
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// strBytes decodes the string at d.pos. Without escapes or bytes to
// replace the result aliases d.data (escaped is false); otherwise it is a
// fresh slice.
func (d *decoder) strBytes() (s []byte, escaped bool, err error) {
	start := d.pos + 1
	i := start
	for i < len(d.data) {
		c := d.data[i]
		if c == '"' {
			d.pos = i + 1
			return d.data[start:i], false, nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		i++
	}
	// Slow path: escapes, control characters or non-ASCII.
	out := make([]byte, i-start, i-start+16)
	copy(out, d.data[start:i])
	for i < len(d.data) {
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return out, true, nil
		case c < 0x20:
			d.pos = i
			return nil, false, d.errorf("invalid character %q in string literal", c)
		case c == '\\':
			if i+1 >= len(d.data) {
				d.pos = len(d.data)
				return nil, false, d.unexpected("in string escape code")
			}
			switch e := d.data[i+1]; e {
			case '"', '\\', '/':
				out = append(out, e)
				i += 2
			case 'b':
				out = append(out, '\b')
				i += 2
			case 'f':
				out = append(out, '\f')
				i += 2
			case 'n':
				out = append(out, '\n')
				i += 2
			case 'r':
				out = append(out, '\r')
				i += 2
			case 't':
				out = append(out, '\t')
				i += 2
			case 'u':
				r := hex4(d.data[i+2:])
				if r < 0 {
					d.pos = i + 2
					for k := 0; k < 4 && d.pos < len(d.data) && isHex(d.data[d.pos]); k++ {
						d.pos++
					}
					return nil, false, d.unexpected("in \\u hexadecimal character escape")
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if i+1 < len(d.data) && d.data[i] == '\\' && d.data[i+1] == 'u' {
						r2 = hex4(d.data[i+2:])
					}
					if dec := utf16.DecodeRune(r, r2); dec != unicode.ReplacementChar {
						out = utf8.AppendRune(out, dec)
						i += 6
						break
					}
					r = unicode.ReplacementChar
				}
				out = utf8.AppendRune(out, r)
			default:
				d.pos = i + 1
				return nil, false, d.errorf("invalid character %q in string escape code", e)
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(d.data[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, unicode.ReplacementChar)
			} else {
				out = append(out, d.data[i:i+size]...)
			}
			i += size
		}
	}
	d.pos = len(d.data)
	return nil, false, d.unexpected("in string literal")
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// hex4 reads four hex digits, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// number decodes a JSON number: int64 without fraction and exponent (an
// error out of range), else float64.
func (d *decoder) number() (any, error) {
	start := d.pos
	i := d.pos
	neg := false
	if d.data[i] == '-' {
		neg = true
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(d.data) && d.data[i] == '0':
		i++
	case i < len(d.data) && d.data[i] >= '1' && d.data[i] <= '9':
		digits()
	default:
		d.pos = i
		return nil, d.unexpected("in numeric literal")
	}
	intEnd := i
	isFloat := false
	if i < len(d.data) && d.data[i] == '.' {
		i++
		if digits() == 0 {
			d.pos = i
			return nil, d.unexpected("after decimal point in numeric literal")
		}
		isFloat = true
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.pos = i
			return nil, d.unexpected("in exponent of numeric literal")
		}
		isFloat = true
	}
	d.pos = i
	text := d.data[start:i]
	if !isFloat {
		if v, ok := parseInt64(d.data[start:intEnd], neg); ok {
			return v, nil
		}
		return nil, fmt.Errorf("%w: integer %s out of the 64-bit range", ErrBadJSON, text)
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, fmt.Errorf("%w: number %s: %v", ErrBadJSON, text, err)
	}
	return f, nil
}

// parseInt64 parses a validated JSON integer (sign included in b).
func parseInt64(b []byte, neg bool) (int64, bool) {
	if neg {
		b = b[1:]
	}
	var u uint64
	for _, c := range b {
		if u > (math.MaxUint64-9)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}
