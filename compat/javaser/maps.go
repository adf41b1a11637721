package javaser

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnsupported is wrapped by errors from the collection helpers about a
// class they do not know how to read.
var ErrUnsupported = errors.New("unsupported java class")

// Entry is one key/value pair of a serialized map.
type Entry struct {
	Key, Value any
}

// maxCollection caps the element count a collection header may announce
// before its elements are read; the elements themselves are already parsed
// and bounded, so this only guards the preallocation.
const maxCollection = 1 << 16

// MapEntries returns the entries of a serialized java.util.Map in stream
// order. It reads HashMap, LinkedHashMap, Hashtable (and Properties),
// ConcurrentHashMap, TreeMap, IdentityHashMap, EnumMap, the Collections
// empty, singleton, unmodifiable and synchronized wrappers, Guava's
// ImmutableMap serialized form (shaded or not) and Clojure's
// PersistentArrayMap. A nil value is an empty map (Java null).
func MapEntries(v any) ([]Entry, error) {
	return mapEntries(v, 0)
}

func mapEntries(v any, depth int) ([]Entry, error) {
	if v == nil {
		return nil, nil
	}
	if depth > 16 {
		return nil, fmt.Errorf("%w: map wrappers nested too deep", ErrMalformed)
	}
	o, ok := v.(*Object)
	if !ok {
		return nil, fmt.Errorf("%w: %s is not a map", ErrMalformed, describe(v))
	}
	switch {
	case o.Is("java.util.HashMap"):
		r := NewAnnotationReader(o.ClassData("java.util.HashMap").Annotations)
		if _, err := r.Int(); err != nil { // buckets
			return nil, mapErr(o, err)
		}
		return readPairs(o, r)
	case o.Is("java.util.Hashtable"):
		r := NewAnnotationReader(lowestAnnotations(o, "java.util.Hashtable"))
		if _, err := r.Int(); err != nil { // length
			return nil, mapErr(o, err)
		}
		return readPairs(o, r)
	case o.Is("java.util.TreeMap"), o.Is("java.util.IdentityHashMap"), o.Is("java.util.EnumMap"):
		return readPairs(o, NewAnnotationReader(lowestAnnotations(o, "")))
	case o.Is("java.util.concurrent.ConcurrentHashMap"):
		r := NewAnnotationReader(o.ClassData("java.util.concurrent.ConcurrentHashMap").Annotations)
		var out []Entry
		for {
			k, err := r.Object()
			if err != nil {
				return nil, mapErr(o, err)
			}
			val, err := r.Object()
			if err != nil {
				return nil, mapErr(o, err)
			}
			if k == nil && val == nil {
				return out, nil
			}
			out = append(out, Entry{k, val})
		}
	}
	name := o.ClassName()
	switch name {
	case "java.util.Collections$EmptyMap":
		return nil, nil
	case "java.util.Collections$SingletonMap":
		k, _ := o.Field(name, "k")
		val, _ := o.Field(name, "v")
		return []Entry{{k, val}}, nil
	case "java.util.Collections$UnmodifiableMap", "java.util.Collections$UnmodifiableSortedMap",
		"java.util.Collections$UnmodifiableNavigableMap", "java.util.Collections$SynchronizedMap",
		"java.util.Collections$SynchronizedSortedMap", "java.util.Collections$SynchronizedNavigableMap":
		for _, cd := range o.Data {
			if inner, ok := cd.Get("m"); ok {
				return mapEntries(inner, depth+1)
			}
		}
	case "clojure.lang.PersistentArrayMap":
		arr, _ := o.Field(name, "array")
		a, ok := arr.(*Array)
		if !ok || len(a.Elems)%2 != 0 {
			return nil, fmt.Errorf("%w: %s without a key/value array", ErrMalformed, name)
		}
		out := make([]Entry, 0, len(a.Elems)/2)
		for i := 0; i+1 < len(a.Elems); i += 2 {
			out = append(out, Entry{a.Elems[i], a.Elems[i+1]})
		}
		return out, nil
	}
	if isGuavaForm(name, "Map") {
		keys, _ := o.Field(name, "keys")
		vals, _ := o.Field(name, "values")
		ka, ok1 := keys.(*Array)
		va, ok2 := vals.(*Array)
		if !ok1 || !ok2 || len(ka.Elems) != len(va.Elems) {
			return nil, fmt.Errorf("%w: %s without matching key and value arrays", ErrMalformed, name)
		}
		out := make([]Entry, len(ka.Elems))
		for i := range out {
			out[i] = Entry{ka.Elems[i], va.Elems[i]}
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: %s as a map", ErrUnsupported, name)
}

// isGuavaForm matches Guava's Immutable*<kind>$SerializedForm, shaded or
// not.
func isGuavaForm(name, kind string) bool {
	i := strings.LastIndex(name, "com.google.common.collect.Immutable")
	return i >= 0 && strings.HasSuffix(name, kind+"$SerializedForm")
}

// lowestAnnotations returns the annotations of the most derived class in
// o's hierarchy that has any, stopping at class stop (if non-empty) when
// it is reached from below.
func lowestAnnotations(o *Object, stop string) []any {
	for i := len(o.Data) - 1; i >= 0; i-- {
		cd := o.Data[i]
		if len(cd.Annotations) > 0 {
			return cd.Annotations
		}
		if cd.Class.Name == stop {
			break
		}
	}
	return nil
}

// readPairs reads an int size followed by that many key/value objects.
func readPairs(o *Object, r *AnnotationReader) ([]Entry, error) {
	n, err := r.Int()
	if err != nil {
		return nil, mapErr(o, err)
	}
	if n < 0 {
		return nil, mapErr(o, fmt.Errorf("%w: negative size %d", ErrMalformed, n))
	}
	out := make([]Entry, 0, min(int(n), maxCollection))
	for range n {
		k, err := r.Object()
		if err != nil {
			return nil, mapErr(o, err)
		}
		val, err := r.Object()
		if err != nil {
			return nil, mapErr(o, err)
		}
		out = append(out, Entry{k, val})
	}
	return out, nil
}

func mapErr(o *Object, err error) error {
	return fmt.Errorf("read %s entries: %w", o.ClassName(), err)
}
