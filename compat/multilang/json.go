package multilang

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrBadJSON is wrapped by errors about a message that is not valid JSON
// (JsonSerializer: "unable to parse").
var ErrBadJSON = errors.New("multilang message is not valid JSON")

// maxEncodeDepth bounds the nesting Encode follows (cyclic values).
const maxEncodeDepth = 1000

// Encode returns the JSON text json-simple's JSONValue.toJSONString writes
// for v. v may hold nil, bool, string, any Go integer or float type,
// json.Number, []any and other slices, map[string]any and other maps with
// string or integer keys, and the message types of this package. Go maps
// are written in the iteration order a java.util.HashMap would have if the
// keys had been inserted in sorted order.
func Encode(v any) ([]byte, error) {
	e := encoder{}
	if err := e.value(v, 0); err != nil {
		return nil, err
	}
	return e.buf, nil
}

type encoder struct{ buf []byte }

// object is a JSON object whose members keep an explicit insertion order;
// it is written in Java HashMap order for that insertion order, or in
// insertion order when ordered is set.
type object struct {
	keys    []string
	vals    []any
	ordered bool
}

func (o *object) put(k string, v any) {
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

// jsonValuer is implemented by the message types: they encode as the value
// they return.
type jsonValuer interface{ jsonValue() any }

func (e *encoder) value(v any, depth int) error {
	if depth > maxEncodeDepth {
		return fmt.Errorf("multilang encode: value nested deeper than %d (cyclic?)", maxEncodeDepth)
	}
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		e.str(x)
	case bool:
		e.buf = strconv.AppendBool(e.buf, x)
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int8:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int16:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int32:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int64:
		e.buf = strconv.AppendInt(e.buf, x, 10)
	case uint:
		e.buf = strconv.AppendUint(e.buf, uint64(x), 10)
	case uint8:
		e.buf = strconv.AppendUint(e.buf, uint64(x), 10)
	case uint16:
		e.buf = strconv.AppendUint(e.buf, uint64(x), 10)
	case uint32:
		e.buf = strconv.AppendUint(e.buf, uint64(x), 10)
	case uint64:
		e.buf = strconv.AppendUint(e.buf, x, 10)
	case float64:
		e.buf = appendJavaDouble(e.buf, x, 64)
	case float32:
		e.buf = appendJavaDouble(e.buf, float64(x), 32)
	case json.Number:
		if !isJSONNumber(string(x)) {
			return fmt.Errorf("multilang encode: invalid json.Number %q", string(x))
		}
		e.buf = append(e.buf, x...)
	case []any:
		e.buf = append(e.buf, '[')
		for i, el := range x {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.value(el, depth+1); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		o := &object{keys: keys, vals: make([]any, len(keys))}
		for i, k := range keys {
			o.vals[i] = x[k]
		}
		return e.object(o, depth)
	case *object:
		return e.object(x, depth)
	case jsonValuer:
		return e.value(x.jsonValue(), depth+1)
	default:
		return e.reflectValue(reflect.ValueOf(v), depth)
	}
	return nil
}

func (e *encoder) reflectValue(rv reflect.Value, depth int) error {
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			e.buf = append(e.buf, "[]"...)
			return nil
		}
		e.buf = append(e.buf, '[')
		for i := range rv.Len() {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.value(rv.Index(i).Interface(), depth+1); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
		return nil
	case reflect.Map:
		type kv struct {
			k    string
			sort any
			v    any
		}
		var entries []kv
		iter := rv.MapRange()
		for iter.Next() {
			k := iter.Key()
			switch k.Kind() {
			case reflect.String:
				entries = append(entries, kv{k.String(), k.String(), iter.Value().Interface()})
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				entries = append(entries, kv{strconv.FormatInt(k.Int(), 10), k.Int(), iter.Value().Interface()})
			default:
				return fmt.Errorf("multilang encode: map key type %s", k.Type())
			}
		}
		sort.Slice(entries, func(i, j int) bool {
			a, b := entries[i].sort, entries[j].sort
			if ai, ok := a.(int64); ok {
				return ai < b.(int64)
			}
			return a.(string) < b.(string)
		})
		o := &object{}
		for _, en := range entries {
			o.put(en.k, en.v)
		}
		return e.object(o, depth)
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.value(rv.Elem().Interface(), depth+1)
	}
	if m, ok := rv.Interface().(json.Marshaler); ok {
		b, err := m.MarshalJSON()
		if err != nil {
			return err
		}
		e.buf = append(e.buf, b...)
		return nil
	}
	return fmt.Errorf("multilang encode: cannot encode %s", rv.Type())
}

func (e *encoder) object(o *object, depth int) error {
	e.buf = append(e.buf, '{')
	var order []int
	if o.ordered {
		order = make([]int, len(o.keys))
		for i := range order {
			order[i] = i
		}
	} else {
		order = javaHashMapOrder(o.keys)
	}
	for n, i := range order {
		if n > 0 {
			e.buf = append(e.buf, ',')
		}
		e.str(o.keys[i])
		e.buf = append(e.buf, ':')
		if err := e.value(o.vals[i], depth+1); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

const hexUpper = "0123456789ABCDEF"

// str writes s quoted and escaped as json-simple's JSONValue.escape does.
func (e *encoder) str(s string) {
	e.buf = append(e.buf, '"')
	plain := 0
	for plain < len(s) && s[plain] >= 0x20 && s[plain] < 0x7F && s[plain] != '"' && s[plain] != '\\' && s[plain] != '/' {
		plain++
	}
	e.buf = append(e.buf, s[:plain]...)
	for _, r := range s[plain:] {
		switch r {
		case '"':
			e.buf = append(e.buf, '\\', '"')
		case '\\':
			e.buf = append(e.buf, '\\', '\\')
		case '\b':
			e.buf = append(e.buf, '\\', 'b')
		case '\f':
			e.buf = append(e.buf, '\\', 'f')
		case '\n':
			e.buf = append(e.buf, '\\', 'n')
		case '\r':
			e.buf = append(e.buf, '\\', 'r')
		case '\t':
			e.buf = append(e.buf, '\\', 't')
		case '/':
			e.buf = append(e.buf, '\\', '/')
		default:
			if r <= 0x1F || (r >= 0x7F && r <= 0x9F) || (r >= 0x2000 && r <= 0x20FF) {
				e.buf = append(e.buf, '\\', 'u', hexUpper[r>>12&0xF], hexUpper[r>>8&0xF], hexUpper[r>>4&0xF], hexUpper[r&0xF])
			} else {
				e.buf = utf8.AppendRune(e.buf, r)
			}
		}
	}
	e.buf = append(e.buf, '"')
}

// appendJavaDouble writes f as Java's Double.toString (bits 64) or
// Float.toString (bits 32) does, with json-simple's null for NaN and the
// infinities.
func appendJavaDouble(buf []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return append(buf, "null"...)
	case f == 0:
		if math.Signbit(f) {
			return append(buf, "-0.0"...)
		}
		return append(buf, "0.0"...)
	}
	if f < 0 {
		buf = append(buf, '-')
		f = -f
	}
	// Shortest digits that round-trip, and the decimal exponent of the
	// first digit.
	s := strconv.FormatFloat(f, 'e', -1, bits)
	mant, expStr, _ := strings.Cut(s, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expStr)
	if f >= 1e-3 && f < 1e7 {
		if exp >= 0 {
			for len(digits) < exp+1 {
				digits += "0"
			}
			buf = append(buf, digits[:exp+1]...)
			buf = append(buf, '.')
			if frac := digits[exp+1:]; frac != "" {
				return append(buf, frac...)
			}
			return append(buf, '0')
		}
		buf = append(buf, "0."...)
		for range -exp - 1 {
			buf = append(buf, '0')
		}
		return append(buf, digits...)
	}
	buf = append(buf, digits[0], '.')
	if len(digits) > 1 {
		buf = append(buf, digits[1:]...)
	} else {
		buf = append(buf, '0')
	}
	buf = append(buf, 'E')
	return strconv.AppendInt(buf, int64(exp), 10)
}

func isJSONNumber(s string) bool {
	if s == "" {
		return false
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return false
	}
	_, ok := v.(float64)
	return ok
}

// javaStringHash is java.lang.String.hashCode over the UTF-16 form of s.
func javaStringHash(s string) int32 {
	var h int32
	for _, r := range s {
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			h = 31*h + hi
			h = 31*h + lo
		} else {
			h = 31*h + r
		}
	}
	return h
}

// javaHashMapOrder returns the indexes of keys in the order a
// java.util.HashMap built with the default constructor iterates them when
// they were put in the given order: by bucket of the spread hash, then by
// insertion order within a bucket.
func javaHashMapOrder(keys []string) []int {
	n := len(keys)
	capacity := 16
	for float64(n) > 0.75*float64(capacity) {
		capacity *= 2
	}
	bucket := make([]int, n)
	idx := make([]int, n)
	for i, k := range keys {
		h := javaStringHash(k)
		h ^= int32(uint32(h) >> 16)
		bucket[i] = int(uint32(h) & uint32(capacity-1))
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return bucket[a] - bucket[b] })
	return idx
}
