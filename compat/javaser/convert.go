package javaser

import (
	"errors"
	"fmt"
)

// Unbox returns the Go value of a boxed primitive (java.lang.Integer →
// int32, Long → int64, Short → int16, Byte → int8, Character → uint16,
// Boolean → bool, Float → float32, Double → float64). Strings and
// primitives are returned as they are; anything else reports false.
func Unbox(v any) (any, bool) {
	switch v.(type) {
	case string, bool, int8, uint16, int16, int32, int64, float32, float64:
		return v, true
	}
	o, ok := v.(*Object)
	if !ok {
		return nil, false
	}
	switch name := o.Class.Name; name {
	case "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte",
		"java.lang.Character", "java.lang.Boolean", "java.lang.Float", "java.lang.Double":
		return o.Field(name, "value")
	}
	return nil, false
}

// Strings returns the elements of a String[] (or any collection of
// strings). A null element is an error.
func Strings(v any) ([]string, error) {
	elems, err := ListElements(v)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(elems))
	for i, e := range elems {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("%w: element %d is %s, want a string", ErrMalformed, i, describe(e))
		}
		out[i] = s
	}
	return out, nil
}

// ToGo converts a value into plain Go data where it can: boxed primitives
// are unboxed, collections and object arrays become []any, maps with string
// keys become map[string]any, byte[] becomes []byte, other primitive arrays
// their typed slices, enums their constant name. Other objects are
// returned unchanged. Nesting deeper than 64 levels (or a cycle) and more
// than maxConvert values in all (shared values count each time they are
// reached) are errors wrapping ErrLimit.
func ToGo(v any) (any, error) {
	budget := maxConvert
	return toGo(v, 0, &budget)
}

// maxConvert bounds the values one ToGo call produces, so that a small
// stream of shared references cannot make it exponential.
const maxConvert = 1 << 20

func toGo(v any, depth int, budget *int) (any, error) {
	if depth > 64 {
		return nil, fmt.Errorf("%w: value nested deeper than 64 levels (or cyclic)", ErrLimit)
	}
	if *budget--; *budget < 0 {
		return nil, fmt.Errorf("%w: more than %d values to convert", ErrLimit, maxConvert)
	}
	if u, ok := Unbox(v); ok {
		return u, nil
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case *Enum:
		return x.Constant, nil
	case *Array:
		switch {
		case x.ElemType == 'B':
			return x.Bytes, nil
		case x.Prims != nil:
			return x.Prims, nil
		}
		return convertAll(x.Elems, depth, budget)
	case *Object:
		if entries, err := MapEntries(x); err == nil {
			m := make(map[string]any, len(entries))
			for _, e := range entries {
				k, ok := e.Key.(string)
				if !ok {
					return nil, fmt.Errorf("%w: %s key is %s, want a string", ErrUnsupported, x.ClassName(), describe(e.Key))
				}
				val, err := toGo(e.Value, depth+1, budget)
				if err != nil {
					return nil, err
				}
				m[k] = val
			}
			return m, nil
		} else if !errors.Is(err, ErrUnsupported) {
			return nil, err
		}
		if elems, err := ListElements(x); err == nil {
			return convertAll(elems, depth, budget)
		} else if !errors.Is(err, ErrUnsupported) {
			return nil, err
		}
		return x, nil
	}
	return v, nil
}

func convertAll(elems []any, depth int, budget *int) ([]any, error) {
	out := make([]any, len(elems))
	for i, e := range elems {
		c, err := toGo(e, depth+1, budget)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}
