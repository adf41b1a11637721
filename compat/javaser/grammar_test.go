package javaser

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestGrammarGoldens checks the streams GenGoldens writes to cover the
// grammar beyond components: every primitive, long strings, enums,
// classes, proxies, externalizable objects, custom writeObject sections,
// back references, resets and the exception marker.
func TestGrammarGoldens(t *testing.T) { checkGrammar(t, "testdata") }

func checkGrammar(t *testing.T, dir string) {
	t.Helper()
	t.Run("grammar", func(t *testing.T) { checkGrammarMap(t, dir) })
	t.Run("multi", func(t *testing.T) { checkMulti(t, dir) })
	t.Run("exception", func(t *testing.T) { checkException(t, dir) })
}

func readGolden(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkGrammarMap(t *testing.T, dir string) {
	o, err := ParseObject(readGolden(t, dir, "grammar.ser"))
	if err != nil {
		t.Fatal(err)
	}
	if o.ClassName() != "java.util.LinkedHashMap" {
		t.Fatalf("root is %s", o.ClassName())
	}
	entries, err := MapEntries(o)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	var order []string
	for _, e := range entries {
		k := e.Key.(string)
		m[k] = e.Value
		order = append(order, k)
	}
	if order[0] != "int" || order[len(order)-1] != "streaminfo" {
		t.Errorf("LinkedHashMap order lost: %v", order)
	}
	conv := func(k string) any {
		t.Helper()
		v, err := ToGo(m[k])
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		return v
	}
	want := map[string]any{
		"int": int32(42), "long": int64(1) << 40, "double": 0.5, "float": float32(1.5),
		"short": int16(-7), "byte": int8(9), "char": uint16('x'), "bool": true, "null": nil,
		"string": "plain", "unicode": "\x00é日😀",
		"enum": "SECONDS", "ints": []int32{1, -2, 3}, "bytes": []byte{0, 1, 0xff},
		"longs": []int64{math.MinInt64, math.MaxInt64}, "floats": []float32{0.25},
		"shorts": []int16{-1}, "chars": []uint16{'a', 0xe9}, "bools": []bool{true, false},
		"strings": []any{"a", nil, "c"}, "matrix": []any{[]int32{1}, []int32{2, 3}},
		"arraylist": []any{"x", "y"}, "linkedlist": []any{int32(1), int32(2), int32(3)},
		"aslist": []any{"p", "q"}, "hashset": []any{"only"}, "treemap": map[string]any{"k": "v"},
		"concurrent": map[string]any{"c": int32(3)}, "unmodifiable": map[string]any{"u": int32(1)},
		"emptylist": []any{}, "shared1": []any{"shared", "shared"},
	}
	for k, w := range want {
		if g := conv(k); !reflect.DeepEqual(g, w) {
			t.Errorf("%s = %#v, want %#v", k, g, w)
		}
	}
	if d := conv("doubles").([]float64); !math.Signbit(d[0]) || d[0] != 0 || d[1] != 1e300 {
		t.Errorf("doubles = %v", d)
	}
	if s := conv("longstring").(string); len(s) != 70000 || !strings.HasPrefix(s, "abcdefghijklmnopqrstuvwxyzab") {
		t.Errorf("longstring of %d bytes", len(s))
	}
	if c, ok := m["class"].(*Class); !ok || c.Desc.Name != "java.lang.String" {
		t.Errorf("class = %#v", m["class"])
	}
	if e, ok := m["enum"].(*Enum); !ok || !e.Class.Is("java.lang.Enum") || e.Class.Flags&SCEnum == 0 {
		t.Errorf("enum = %#v", m["enum"])
	}

	ext := m["ext"].(*Object)
	if ext.Class.Flags&(SCExternalizable|SCBlockData) != SCExternalizable|SCBlockData || len(ext.Data) != 1 {
		t.Fatalf("ext flags %#x, %d class data", ext.Class.Flags, len(ext.Data))
	}
	r := NewAnnotationReader(ext.Data[0].Annotations)
	n, err1 := r.Int()
	s, err2 := r.Object()
	tail, err3 := r.UTF()
	if err := errors.Join(err1, err2, err3); err != nil || n != 5 || s != "five" || tail != "tail" || !r.Done() {
		t.Errorf("ext annotation: %d %v %q %v done=%v", n, s, tail, err, r.Done())
	}

	prims := m["prims"].(*Object)
	cls := "gale.javaser.GenGoldens$Prims"
	wantPrims := map[string]any{"b": int8(-2), "c": uint16(0xe9), "d": 2.5, "f": float32(-1.25),
		"i": int32(123456789), "j": int64(-9876543210), "s": int16(-300), "z": true}
	for f, w := range wantPrims {
		if g, _ := prims.Field(cls, f); g != w {
			t.Errorf("prims.%s = %#v, want %#v", f, g, w)
		}
	}
	if self, _ := prims.Field(cls, "self"); self != prims {
		t.Errorf("prims.self is not a back reference to prims")
	}
	r = NewAnnotationReader(prims.ClassData(cls).Annotations)
	i7, err1 := r.Int()
	after, err2 := r.Object()
	l8, err3 := r.Long()
	if err := errors.Join(err1, err2, err3); err != nil || i7 != 7 || after != "after" || l8 != 8 || !r.Done() {
		t.Errorf("prims annotation: %d %v %d %v", i7, after, l8, err)
	}

	proxy := m["proxy"].(*Object)
	if !proxy.Class.Proxy || !reflect.DeepEqual(proxy.Class.Interfaces, []string{"java.lang.Runnable", "java.io.Serializable"}) {
		t.Errorf("proxy class %+v", proxy.Class)
	}
	h, _ := proxy.Field("java.lang.reflect.Proxy", "h")
	if ho, ok := h.(*Object); !ok || ho.ClassName() != "gale.javaser.GenGoldens$Handler" {
		t.Errorf("proxy handler %#v", h)
	} else if name, _ := ho.Field(ho.ClassName(), "name"); name != "handler" {
		t.Errorf("handler name %v", name)
	}

	si := m["streaminfo"].(*Object)
	cd := si.ClassData("org.apache.storm.generated.StreamInfo")
	if !cd.NoFieldValues || len(cd.Annotations) == 0 {
		t.Errorf("StreamInfo class data %+v: want annotation only", cd)
	}
	if got, err := jsonable(si); err != nil || !reflect.DeepEqual(normJSON(t, got), normJSON(t, map[string]any{"direct": true, "output_fields": []string{"f1"}})) {
		t.Errorf("StreamInfo = %v, %v", got, err)
	}
}

func checkMulti(t *testing.T, dir string) {
	s, err := Parse(readGolden(t, dir, "multi.ser"))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Contents
	if len(c) != 5 || c[0] != "first" || c[2] != "first" {
		t.Fatalf("contents %#v", c)
	}
	if bd, ok := c[1].(BlockData); !ok || !reflect.DeepEqual([]byte(bd), []byte{0, 0, 0, 77}) {
		t.Errorf("block data %#v", c[1])
	}
	e1, ok1 := c[3].(*Enum)
	e2, ok2 := c[4].(*Enum)
	if !ok1 || !ok2 || e1 != e2 || e1.Constant != "MINUTES" {
		t.Errorf("enums %#v %#v: want one shared MINUTES", c[3], c[4])
	}
}

func checkException(t *testing.T, dir string) {
	_, err := Parse(readGolden(t, dir, "exception.ser"))
	var se *StreamExceptionError
	if !errors.As(err, &se) || se.Exception == nil || se.Exception.ClassName() != "java.io.NotSerializableException" {
		t.Fatalf("err = %v, want StreamExceptionError with NotSerializableException", err)
	}
	if !strings.Contains(err.Error(), "gale.javaser.GenGoldens$NotSerializable") {
		t.Errorf("error %q lacks the class", err)
	}
}
