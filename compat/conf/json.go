package conf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseJSON decodes a JSON object (a topology configuration, a component's
// json_conf, stormconf.ser) into a Conf. Integer literals become int64 (reals
// and integers too large for int64 become float64), matching json-simple's
// Long/Double. Anything but a single object is an error.
func ParseJSON(b []byte) (Conf, error) {
	v, err := parseJSONValue(b)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("conf: JSON is %s, not an object", jsonKind(v))
	}
	return Conf(m), nil
}

// ParseJSONValue decodes any single JSON value into the Conf value domain.
func ParseJSONValue(b []byte) (any, error) { return parseJSONValue(b) }

func parseJSONValue(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("conf: bad JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("conf: bad JSON: trailing data after value")
	}
	n, err := Normalize(v)
	if err != nil {
		return nil, fmt.Errorf("conf: bad JSON: %w", err)
	}
	return n, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	return "a number"
}

// ToJSON encodes c as a JSON object with keys sorted, integers as digits,
// reals in Java's Double.toString form (3072.0, 1.0E7) so they read back as
// reals, and strings escaped as json-simple escapes them.
func ToJSON(c Conf) ([]byte, error) {
	if c == nil {
		return []byte("{}"), nil
	}
	return EncodeJSON(map[string]any(c))
}

// EncodeJSON encodes any value Normalize accepts, in the form of ToJSON.
func EncodeJSON(v any) ([]byte, error) {
	n, err := Normalize(v)
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	writeJSON(&sb, n)
	return []byte(sb.String()), nil
}

func writeJSON(sb *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		sb.WriteString("null")
	case bool:
		sb.WriteString(strconv.FormatBool(x))
	case int64:
		sb.WriteString(strconv.FormatInt(x, 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			sb.WriteString("null") // json-simple does the same
			return
		}
		sb.WriteString(formatJavaDouble(x))
	case string:
		writeJSONString(sb, x)
	case []any:
		sb.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeJSON(sb, e)
		}
		sb.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeJSONString(sb, k)
			sb.WriteByte(':')
			writeJSON(sb, x[k])
		}
		sb.WriteByte('}')
	}
}

// writeJSONString escapes like json-simple's JSONValue.escape: the short
// escapes, "/" as "\/", and \uXXXX (upper-case hex) for U+0000–U+001F,
// U+007F–U+009F and U+2000–U+20FF.
func writeJSONString(sb *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	sb.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		case '/':
			sb.WriteString(`\/`)
		default:
			if r <= 0x1f || (r >= 0x7f && r <= 0x9f) || (r >= 0x2000 && r <= 0x20ff) {
				sb.WriteString(`\u`)
				sb.WriteByte(hex[r>>12&0xf])
				sb.WriteByte(hex[r>>8&0xf])
				sb.WriteByte(hex[r>>4&0xf])
				sb.WriteByte(hex[r&0xf])
				continue
			}
			sb.WriteRune(r) // invalid UTF-8 becomes U+FFFD
		}
	}
	sb.WriteByte('"')
}

// formatJavaDouble formats f as Java's Double.toString does: plain decimal
// with at least one fractional digit for 1e-3 <= |f| < 1e7, otherwise
// "d.dddE±n" notation.
func formatJavaDouble(f float64) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64) // e.g. 1.5E+07, 1E-05
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}
