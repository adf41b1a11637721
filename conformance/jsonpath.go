package conformance

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Lookup finds the value at path in doc, a tree of JSON values as
// encoding/json decodes them (map[string]any, []any, string, float64,
// bool, nil). A path is a JSON Pointer (RFC 6901: "/a/0/b", "~1" for "/",
// "~0" for "~"; "" is the whole document) with one extension: on an array,
// a segment "key=value" selects the first element whose field key has
// that value (compared as Canon strings), e.g.
// "/topologies/name=word-count/id"; the key may name a nested field with
// dots when the element has no field of that exact name
// ("/executors/executor_info.task_start=3/port").
func Lookup(doc any, path string) (any, error) {
	if path == "" {
		return doc, nil
	}
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("path %q must start with /", path)
	}
	cur := doc
	for _, raw := range strings.Split(path[1:], "/") {
		seg := strings.ReplaceAll(strings.ReplaceAll(raw, "~1", "/"), "~0", "~")
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[seg]
			if !ok {
				return nil, fmt.Errorf("no key %q", seg)
			}
			cur = next
		case []any:
			if k, want, ok := strings.Cut(seg, "="); ok {
				found := false
				for _, el := range v {
					if f, ok := field(el, k); ok && Canon(f) == want {
						cur, found = el, true
						break
					}
				}
				if !found {
					return nil, fmt.Errorf("no element with %s=%s", k, want)
				}
				continue
			}
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(v) {
				return nil, fmt.Errorf("index %q out of range (len %d)", seg, len(v))
			}
			cur = v[i]
		default:
			return nil, fmt.Errorf("segment %q: %s is not an object or array", seg, kindOf(cur))
		}
	}
	return cur, nil
}

// field is element el's field k, or, when el has no such field and k
// has dots, the nested field they name ("a.b" = el["a"]["b"]).
func field(el any, k string) (any, bool) {
	m, ok := el.(map[string]any)
	if !ok {
		return nil, false
	}
	if f, ok := m[k]; ok {
		return f, true
	}
	first, rest, ok := strings.Cut(k, ".")
	if !ok {
		return nil, false
	}
	if sub, ok := m[first]; ok {
		return field(sub, rest)
	}
	return nil, false
}

// Canon is the string form used to compare values: strings as they are,
// numbers without a trailing ".0" (1e21 and up in exponent form), booleans
// "true"/"false", null "null", anything else compact JSON.
func Canon(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e21 {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return Canon(float64(x))
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return Canon(f)
		}
		return x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

// normalize turns any JSON-marshalable value into the plain tree Lookup
// reads.
func normalize(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal(b, &out)
}

// parseOutput decodes a program's standard output as JSON: the whole
// output as one value; else its JSON lines (lines that start with '{' or
// '[' and parse), one line as that value, several as an array. Other
// lines (logging, "Running: ...") are ignored. ok is false when there is
// no JSON.
func parseOutput(s string) (v any, ok bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, false
	}
	if err := json.Unmarshal([]byte(t), &v); err == nil {
		return v, true
	}
	var lines []any
	for _, line := range strings.Split(t, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "{") && !strings.HasPrefix(line, "[") {
			continue
		}
		var x any
		if err := json.Unmarshal([]byte(line), &x); err != nil {
			continue
		}
		lines = append(lines, x)
	}
	if len(lines) == 1 {
		return lines[0], true
	}
	return lines, len(lines) > 0
}
