package javaser

import (
	"fmt"
	"strings"
)

// ListElements returns the elements of a serialized java.util.Collection
// or array in order. It reads ArrayList, LinkedList, Vector (and Stack),
// CopyOnWriteArrayList, ArrayDeque, HashSet, LinkedHashSet, TreeSet,
// Arrays$ArrayList, the Collections empty, singleton, unmodifiable and
// synchronized wrappers, Guava's ImmutableList/ImmutableSet serialized
// forms and arrays (primitive elements boxed into Go values). A nil value
// is an empty collection.
func ListElements(v any) ([]any, error) {
	return listElements(v, 0)
}

func listElements(v any, depth int) ([]any, error) {
	if v == nil {
		return nil, nil
	}
	if depth > 16 {
		return nil, fmt.Errorf("%w: collection wrappers nested too deep", ErrMalformed)
	}
	if a, ok := v.(*Array); ok {
		return arrayElements(a), nil
	}
	o, ok := v.(*Object)
	if !ok {
		return nil, fmt.Errorf("%w: %s is not a collection", ErrMalformed, describe(v))
	}
	switch {
	case o.Is("java.util.ArrayList"):
		cd := o.ClassData("java.util.ArrayList")
		size, _ := cd.Get("size")
		n, ok := size.(int32)
		if !ok || n < 0 {
			return nil, fmt.Errorf("%w: ArrayList without a size", ErrMalformed)
		}
		r := NewAnnotationReader(cd.Annotations)
		if _, err := r.Int(); err != nil { // capacity
			return nil, listErr(o, err)
		}
		return readElems(o, r, n)
	case o.Is("java.util.Vector"):
		cd := o.ClassData("java.util.Vector")
		data, _ := cd.Get("elementData")
		count, _ := cd.Get("elementCount")
		a, ok1 := data.(*Array)
		n, ok2 := count.(int32)
		if !ok1 || !ok2 || n < 0 || int(n) > len(a.Elems) {
			return nil, fmt.Errorf("%w: Vector without consistent elements", ErrMalformed)
		}
		return a.Elems[:n], nil
	case o.Is("java.util.HashSet"):
		r := NewAnnotationReader(o.ClassData("java.util.HashSet").Annotations)
		if _, err := r.Int(); err != nil { // capacity
			return nil, listErr(o, err)
		}
		if _, err := r.Float(); err != nil { // load factor
			return nil, listErr(o, err)
		}
		return readSized(o, r)
	case o.Is("java.util.TreeSet"):
		r := NewAnnotationReader(o.ClassData("java.util.TreeSet").Annotations)
		if _, err := r.Object(); err != nil { // comparator
			return nil, listErr(o, err)
		}
		return readSized(o, r)
	case o.Is("java.util.LinkedList"), o.Is("java.util.ArrayDeque"),
		o.Is("java.util.concurrent.CopyOnWriteArrayList"):
		return readSized(o, NewAnnotationReader(lowestAnnotations(o, "")))
	case o.Is("java.util.concurrent.LinkedBlockingQueue"), o.Is("java.util.concurrent.ConcurrentLinkedQueue"):
		r := NewAnnotationReader(lowestAnnotations(o, ""))
		var out []any
		for {
			e, err := r.Object()
			if err != nil {
				return nil, listErr(o, err)
			}
			if e == nil {
				return out, nil
			}
			out = append(out, e)
		}
	}
	name := o.ClassName()
	switch name {
	case "java.util.Arrays$ArrayList":
		a, _ := o.Field(name, "a")
		return listElements(a, depth+1)
	case "java.util.Collections$EmptyList", "java.util.Collections$EmptySet":
		return nil, nil
	case "java.util.Collections$SingletonList", "java.util.Collections$SingletonSet":
		e, _ := o.Field(name, "element")
		return []any{e}, nil
	}
	if strings.HasPrefix(name, "java.util.Collections$Unmodifiable") || strings.HasPrefix(name, "java.util.Collections$Synchronized") {
		for _, cd := range o.Data {
			if inner, ok := cd.Get("c"); ok {
				return listElements(inner, depth+1)
			}
		}
	}
	if isGuavaForm(name, "List") || isGuavaForm(name, "Set") || isGuavaForm(name, "Collection") {
		for _, cd := range o.Data {
			if elems, ok := cd.Get("elements"); ok {
				return listElements(elems, depth+1)
			}
		}
	}
	return nil, fmt.Errorf("%w: %s as a collection", ErrUnsupported, name)
}

func readSized(o *Object, r *AnnotationReader) ([]any, error) {
	n, err := r.Int()
	if err != nil {
		return nil, listErr(o, err)
	}
	return readElems(o, r, n)
}

func readElems(o *Object, r *AnnotationReader, n int32) ([]any, error) {
	if n < 0 {
		return nil, listErr(o, fmt.Errorf("%w: negative size %d", ErrMalformed, n))
	}
	out := make([]any, 0, min(int(n), maxCollection))
	for range n {
		e, err := r.Object()
		if err != nil {
			return nil, listErr(o, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func listErr(o *Object, err error) error {
	return fmt.Errorf("read %s elements: %w", o.ClassName(), err)
}

func arrayElements(a *Array) []any {
	if a.Elems != nil || a.ElemType == 'L' || a.ElemType == '[' {
		return a.Elems
	}
	if a.ElemType == 'B' {
		out := make([]any, len(a.Bytes))
		for i, b := range a.Bytes {
			out[i] = int8(b)
		}
		return out
	}
	var out []any
	switch p := a.Prims.(type) {
	case []bool:
		for _, x := range p {
			out = append(out, x)
		}
	case []uint16:
		for _, x := range p {
			out = append(out, x)
		}
	case []int16:
		for _, x := range p {
			out = append(out, x)
		}
	case []int32:
		for _, x := range p {
			out = append(out, x)
		}
	case []int64:
		for _, x := range p {
			out = append(out, x)
		}
	case []float32:
		for _, x := range p {
			out = append(out, x)
		}
	case []float64:
		for _, x := range p {
			out = append(out, x)
		}
	}
	return out
}
