package tuple

import (
	"slices"
	"testing"
)

func TestMessageIDXOR(t *testing.T) {
	var m MessageID
	m.XOR(1, 5)
	m.XOR(2, 7)
	m.XOR(1, 3)
	if v, ok := m.Get(1); !ok || v != 5^3 {
		t.Fatalf("Get(1) = %d,%v", v, ok)
	}
	if v, ok := m.Get(2); !ok || v != 7 {
		t.Fatalf("Get(2) = %d,%v", v, ok)
	}
	if _, ok := m.Get(3); ok || len(m) != 2 {
		t.Fatalf("unexpected root; len %d", len(m))
	}
}

func TestFields(t *testing.T) {
	f, err := NewFields("word", "count")
	if err != nil {
		t.Fatal(err)
	}
	if i, ok := f.Index("count"); !ok || i != 1 || f.Len() != 2 || !f.Contains("word") || f.Contains("x") {
		t.Fatal("index wrong")
	}
	if !slices.Equal(f.Names(), []string{"word", "count"}) {
		t.Fatal("names")
	}
	if _, err := NewFields("a", "a"); err == nil {
		t.Fatal("duplicate accepted")
	}
	var nilFields *Fields
	if nilFields.Len() != 0 || nilFields.Names() != nil || nilFields.Contains("a") {
		t.Fatal("nil Fields")
	}
}

func TestTupleAccessors(t *testing.T) {
	f, _ := NewFields("s", "i", "f", "b", "raw", "u")
	tu := &Tuple{Fields: f, Values: Values{"x", int32(7), float32(1.5), true, []byte("r"), uint64(1 << 63)}}
	if s, ok := tu.String(0); !ok || s != "x" {
		t.Error("String")
	}
	if n, ok := tu.Int64(1); !ok || n != 7 {
		t.Error("Int64")
	}
	if n, ok := tu.Float64(1); !ok || n != 7 {
		t.Error("Float64 from int")
	}
	if f, ok := tu.Float64(2); !ok || f != 1.5 {
		t.Error("Float64")
	}
	if b, ok := tu.Bool(3); !ok || !b {
		t.Error("Bool")
	}
	if b, ok := tu.Bytes(4); !ok || string(b) != "r" {
		t.Error("Bytes")
	}
	if _, ok := tu.Int64(5); ok {
		t.Error("uint64 above MaxInt64 converted")
	}
	if _, ok := tu.Int64(0); ok {
		t.Error("string converted to int")
	}
	if tu.ValueByField("i") != int32(7) || tu.ValueByField("nope") != nil || tu.Value(99) != nil || tu.Value(-1) != nil {
		t.Error("ValueByField/Value")
	}
	if _, ok := tu.Lookup("nope"); ok {
		t.Error("Lookup")
	}
	tick := &Tuple{SourceComponent: SystemComponent, Stream: TickStream}
	if !tick.IsTick() || tu.IsTick() {
		t.Error("IsTick")
	}
	_ = tu.GoString()
}
