package grouping

import (
	"math"
	"reflect"
	"unicode/utf8"
)

// JavaHasher lets a user type state its Java hashCode (for values that cross to Java workers
// as a Java type with a value-based hashCode).
type JavaHasher interface {
	JavaHashCode() int32
}

// ListHashCode is Java's Arrays.deepHashCode of values, which is what Storm's fields grouping
// hashes (TupleUtils.listHashCode on the selected values): h = 1; h = 31*h + hash(e) for each
// element. A []byte element is hashed by content, as deepHashCode does for a byte[] element.
func ListHashCode(values []any) int32 {
	h := int32(1)
	for _, v := range values {
		h = 31*h + JavaHashCode(v)
	}
	return h
}

// JavaHashCode returns the Java hashCode of the Java value v stands for:
//
//	nil                        null → 0
//	bool                       Boolean → 1231 / 1237
//	int8, int16, int32, uint8, uint16  Byte, Short, Integer → the value
//	int, int64, uint32, uint, uint64   Long → (int)(v ^ (v >>> 32)) of the 64-bit pattern
//	float32                    Float → floatToIntBits (NaN canonical)
//	float64                    Double → (int)(b ^ (b >>> 32)), b = doubleToLongBits (NaN canonical)
//	string                     String → s[0]*31^(n-1) + … over UTF-16 code units (invalid UTF-8
//	                           bytes count as U+FFFD, as Java decodes them)
//	[]byte                     byte[] → Arrays.hashCode (by content, signed bytes)
//	[]any, []string, []int64 … java.util.List → 1, then 31*h + hash(e)
//	map[K]V                    java.util.Map → Σ hash(k) ^ hash(v)
//	JavaHasher                 its JavaHashCode
//
// Other values go through reflection: named types hash like their underlying type, pointers like
// what they point to, arrays like lists, structs like the list of their fields; channels and
// functions hash to 0.
//
// Where Java itself is not value based — a byte[] nested inside a List uses the array's identity
// hash — Gale hashes by content instead: such tuples cannot be routed identically by Java and Go,
// and Gale at least stays deterministic.
func JavaHashCode(v any) int32 {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return stringHash(x)
	case int64:
		return longHash(x)
	case int:
		return longHash(int64(x))
	case int32:
		return x
	case bool:
		if x {
			return 1231
		}
		return 1237
	case float64:
		return doubleHash(x)
	case float32:
		return floatHash(x)
	case []byte:
		return bytesHash(x)
	case []any:
		h := int32(1)
		for _, e := range x {
			h = 31*h + JavaHashCode(e)
		}
		return h
	case []string:
		h := int32(1)
		for _, e := range x {
			h = 31*h + stringHash(e)
		}
		return h
	case []int64:
		h := int32(1)
		for _, e := range x {
			h = 31*h + longHash(e)
		}
		return h
	case map[string]any:
		var h int32
		for k, e := range x {
			h += stringHash(k) ^ JavaHashCode(e)
		}
		return h
	case int8:
		return int32(x)
	case int16:
		return int32(x)
	case uint8:
		return int32(x)
	case uint16:
		return int32(x)
	case uint32:
		return longHash(int64(x))
	case uint64:
		return longHash(int64(x))
	case uint:
		return longHash(int64(x))
	case JavaHasher:
		return x.JavaHashCode()
	}
	return reflectHash(reflect.ValueOf(v), 0)
}

func longHash(v int64) int32 { return int32(v ^ int64(uint64(v)>>32)) }

func doubleHash(f float64) int32 {
	if f != f {
		return longHash(0x7ff8000000000000)
	}
	return longHash(int64(math.Float64bits(f)))
}

func floatHash(f float32) int32 {
	if f != f {
		return 0x7fc00000
	}
	return int32(math.Float32bits(f))
}

func bytesHash(b []byte) int32 {
	h := int32(1)
	for _, c := range b {
		h = 31*h + int32(int8(c))
	}
	return h
}

func stringHash(s string) int32 {
	var h int32
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			h = 31*h + int32(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r < 0x10000 {
			h = 31*h + r
			continue
		}
		r -= 0x10000
		h = 31*h + (0xD800 + (r >> 10))
		h = 31*h + (0xDC00 + (r & 0x3FF))
	}
	return h
}

// maxReflectDepth bounds recursion through pointers and containers (cyclic values hash finitely).
const maxReflectDepth = 32

func reflectHash(v reflect.Value, depth int) int32 {
	if !v.IsValid() || depth > maxReflectDepth {
		return 0
	}
	if v.CanInterface() {
		if jh, ok := v.Interface().(JavaHasher); ok {
			return jh.JavaHashCode()
		}
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return 1231
		}
		return 1237
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return int32(v.Int())
	case reflect.Int, reflect.Int64:
		return longHash(v.Int())
	case reflect.Uint8, reflect.Uint16:
		return int32(v.Uint())
	case reflect.Uint32, reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return longHash(int64(v.Uint()))
	case reflect.Float32:
		return floatHash(float32(v.Float()))
	case reflect.Float64:
		return doubleHash(v.Float())
	case reflect.String:
		return stringHash(v.String())
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return bytesHash(v.Bytes())
		}
		return listHash(v, depth)
	case reflect.Array:
		return listHash(v, depth)
	case reflect.Map:
		var h int32
		it := v.MapRange()
		for it.Next() {
			h += reflectHash(it.Key(), depth+1) ^ reflectHash(it.Value(), depth+1)
		}
		return h
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return reflectHash(v.Elem(), depth+1)
	case reflect.Struct:
		h := int32(1)
		for i := range v.NumField() {
			h = 31*h + reflectHash(v.Field(i), depth+1)
		}
		return h
	}
	return 0
}

func listHash(v reflect.Value, depth int) int32 {
	h := int32(1)
	for i := range v.Len() {
		h = 31*h + reflectHash(v.Index(i), depth+1)
	}
	return h
}
