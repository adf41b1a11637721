package conf

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
)

// Conf is a Storm configuration map. Values are normalized (see Normalize).
type Conf map[string]any

// Normalize converts a Go value into the Conf value domain: integers become
// int64, floats float64, slices []any, maps with string (or stringable) keys
// map[string]any. Unsupported types (channels, funcs, structs...) are errors.
func Normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bool, string, int64, float64:
		return x, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case float32:
		return float64(x), nil
	case Conf:
		return normalizeMap(map[string]any(x))
	case map[string]any:
		return normalizeMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := Normalize(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = n
		}
		return out, nil
	case json.Number:
		return normalizeNumber(string(x))
	}
	return normalizeReflect(reflect.ValueOf(v))
}

func normalizeMap(m map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for k, e := range m {
		n, err := Normalize(e)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", k, err)
		}
		out[k] = n
	}
	return out, nil
}

func normalizeReflect(rv reflect.Value) (any, error) {
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return float64(u), nil
		}
		return int64(u), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
		return Normalize(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return []any{}, nil
		}
		out := make([]any, rv.Len())
		for i := range out {
			n, err := Normalize(rv.Index(i).Interface())
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = n
		}
		return out, nil
	case reflect.Map:
		out := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			k, err := mapKey(it.Key())
			if err != nil {
				return nil, err
			}
			n, err := Normalize(it.Value().Interface())
			if err != nil {
				return nil, fmt.Errorf("%q: %w", k, err)
			}
			out[k] = n
		}
		return out, nil
	}
	if !rv.IsValid() {
		return nil, nil
	}
	return nil, fmt.Errorf("conf: unsupported value type %s", rv.Type())
}

// mapKey renders a map key as Java's toString would for the scalar keys YAML
// and JSON produce.
func mapKey(k reflect.Value) (string, error) {
	n, err := Normalize(k.Interface())
	if err != nil {
		return "", err
	}
	switch x := n.(type) {
	case string:
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return formatJavaDouble(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case nil:
		return "null", nil
	}
	return "", fmt.Errorf("conf: unsupported map key type %T", k.Interface())
}

func normalizeNumber(s string) (any, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("conf: bad number %q", s)
	}
	return f, nil
}

// FromMap normalizes an arbitrary map into a Conf.
func FromMap(m map[string]any) (Conf, error) {
	n, err := normalizeMap(m)
	if err != nil {
		return nil, fmt.Errorf("conf: %w", err)
	}
	return Conf(n), nil
}

// Clone returns a deep copy of c.
func (c Conf) Clone() Conf {
	if c == nil {
		return Conf{}
	}
	return Conf(cloneValue(map[string]any(c)).(map[string]any))
}

// Merge returns a deep copy of c with every key of other set (other wins).
// Like Storm's map merges it is shallow per key: a map value in other
// replaces the whole map value in c.
func (c Conf) Merge(other Conf) Conf {
	out := c.Clone()
	for k, v := range other {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneValue(e)
		}
		return out
	case Conf:
		return cloneValue(map[string]any(x))
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	}
	return v
}

// Has reports whether key is present with a non-nil value.
func (c Conf) Has(key string) bool { return c[key] != nil }

// Int returns key as an integer. Like Storm's Utils.getInt it accepts
// integers, integral reals and decimal strings; anything else (including an
// absent or nil key) reports false.
func (c Conf) Int(key string) (int64, bool) { return toInt(c[key]) }

// IntOr returns Int(key), or def when that reports false.
func (c Conf) IntOr(key string, def int64) int64 {
	if v, ok := c.Int(key); ok {
		return v
	}
	return def
}

// Float returns key as a real number (integers and numeric strings too).
func (c Conf) Float(key string) (float64, bool) { return toFloat(c[key]) }

// FloatOr returns Float(key), or def when that reports false.
func (c Conf) FloatOr(key string, def float64) float64 {
	if v, ok := c.Float(key); ok {
		return v
	}
	return def
}

// String returns key when it holds a string.
func (c Conf) String(key string) (string, bool) {
	s, ok := c[key].(string)
	return s, ok
}

// StringOr returns String(key), or def when that reports false.
func (c Conf) StringOr(key, def string) string {
	if v, ok := c.String(key); ok {
		return v
	}
	return def
}

// Bool returns key when it holds a boolean.
func (c Conf) Bool(key string) (bool, bool) {
	b, ok := c[key].(bool)
	return b, ok
}

// BoolOr returns Bool(key), or def when that reports false.
func (c Conf) BoolOr(key string, def bool) bool {
	if v, ok := c.Bool(key); ok {
		return v
	}
	return def
}

// Strings returns a list value as strings (scalars formatted as Java's
// toString would; nil elements skipped). A single string gives a one-element
// list. Anything else gives nil. The slice is freshly allocated.
func (c Conf) Strings(key string) []string {
	switch x := c[key].(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			switch v := e.(type) {
			case nil:
			case string:
				out = append(out, v)
			case int64:
				out = append(out, strconv.FormatInt(v, 10))
			case float64:
				out = append(out, formatJavaDouble(v))
			default:
				out = append(out, fmt.Sprint(v))
			}
		}
		return out
	}
	return nil
}

// Ints returns a list value as integers; nil when the value is not a list or
// an element is not an integer (see Int).
func (c Conf) Ints(key string) []int64 {
	l, ok := c[key].([]any)
	if !ok {
		return nil
	}
	out := make([]int64, 0, len(l))
	for _, e := range l {
		v, ok := toInt(e)
		if !ok {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// Map returns a map value, or nil.
func (c Conf) Map(key string) map[string]any {
	m, _ := c[key].(map[string]any)
	return m
}

func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt64 && x < math.MaxInt64 {
			return int64(x), true
		}
	case string:
		if i, err := strconv.ParseInt(x, 10, 64); err == nil {
			return i, true
		}
	}
	return 0, false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return f, true
		}
	}
	return 0, false
}
