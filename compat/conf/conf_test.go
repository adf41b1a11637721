package conf

import (
	"reflect"
	"testing"
)

func TestGetters(t *testing.T) {
	c := Conf{
		"int": int64(5), "intreal": 6.0, "real": 2.5, "intstr": "7", "str": "x", "bool": true,
		"nil": nil, "list": []any{"a", int64(2), 1.5, nil}, "ints": []any{int64(1), 2.0, "3"},
		"badints": []any{int64(1), "x"}, "map": map[string]any{"k": "v"},
	}
	intTests := []struct {
		key string
		val int64
		ok  bool
	}{
		{"int", 5, true}, {"intreal", 6, true}, {"intstr", 7, true},
		{"real", 0, false}, {"str", 0, false}, {"nil", 0, false}, {"absent", 0, false}, {"bool", 0, false},
	}
	for _, tc := range intTests {
		if v, ok := c.Int(tc.key); v != tc.val || ok != tc.ok {
			t.Errorf("Int(%q) = %d, %v", tc.key, v, ok)
		}
		if want := map[bool]int64{true: tc.val, false: 42}[tc.ok]; c.IntOr(tc.key, 42) != want {
			t.Errorf("IntOr(%q) = %d", tc.key, c.IntOr(tc.key, 42))
		}
	}
	if v, ok := c.Float("int"); v != 5 || !ok {
		t.Errorf("Float(int) = %v, %v", v, ok)
	}
	if v := c.FloatOr("real", 0); v != 2.5 {
		t.Errorf("FloatOr(real) = %v", v)
	}
	if v := c.FloatOr("str", 9.5); v != 9.5 {
		t.Errorf("FloatOr(str) = %v", v)
	}
	if v, ok := c.String("str"); v != "x" || !ok {
		t.Errorf("String(str) = %q, %v", v, ok)
	}
	if v := c.StringOr("int", "d"); v != "d" {
		t.Errorf("StringOr(int) = %q", v)
	}
	if v := c.BoolOr("bool", false); !v {
		t.Error("BoolOr(bool) = false")
	}
	if v := c.BoolOr("str", true); !v {
		t.Error("BoolOr(str) = false")
	}
	if got := c.Strings("list"); !reflect.DeepEqual(got, []string{"a", "2", "1.5"}) {
		t.Errorf("Strings(list) = %q", got)
	}
	if got := c.Strings("str"); !reflect.DeepEqual(got, []string{"x"}) {
		t.Errorf("Strings(str) = %q", got)
	}
	if got := c.Strings("int"); got != nil {
		t.Errorf("Strings(int) = %q", got)
	}
	if got := c.Ints("ints"); !reflect.DeepEqual(got, []int64{1, 2, 3}) {
		t.Errorf("Ints(ints) = %v", got)
	}
	if got := c.Ints("badints"); got != nil {
		t.Errorf("Ints(badints) = %v", got)
	}
	if got := c.Map("map"); got["k"] != "v" {
		t.Errorf("Map(map) = %v", got)
	}
	if !c.Has("int") || c.Has("nil") || c.Has("absent") {
		t.Error("Has wrong")
	}
}

func TestCloneMerge(t *testing.T) {
	a := Conf{"l": []any{int64(1)}, "m": map[string]any{"x": int64(1), "y": int64(2)}, "s": "a"}
	b := Conf{"m": map[string]any{"x": int64(9)}, "n": int64(3)}
	c := a.Clone()
	c["l"].([]any)[0] = int64(99)
	c["m"].(map[string]any)["x"] = int64(99)
	if a["l"].([]any)[0] != int64(1) || a["m"].(map[string]any)["x"] != int64(1) {
		t.Fatal("Clone shares nested values")
	}
	m := a.Merge(b)
	want := Conf{"l": []any{int64(1)}, "m": map[string]any{"x": int64(9)}, "s": "a", "n": int64(3)}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("Merge = %#v", m)
	}
	m["m"].(map[string]any)["x"] = int64(0)
	if b["m"].(map[string]any)["x"] != int64(9) {
		t.Fatal("Merge shares other's values")
	}
	if Conf(nil).Clone() == nil {
		t.Fatal("nil Clone is nil")
	}
}

func TestNormalize(t *testing.T) {
	type named int16
	tests := []struct {
		in   any
		want any
	}{
		{int8(3), int64(3)},
		{uint32(4), int64(4)},
		{uint64(1 << 63), float64(1 << 63)},
		{named(5), int64(5)},
		{float32(0.5), 0.5},
		{[]int{1}, []any{int64(1)}},
		{[]string(nil), []any{}},
		{map[any]any{1: "a", "b": []any{true}}, map[string]any{"1": "a", "b": []any{true}}},
		{Conf{"a": 1}, map[string]any{"a": int64(1)}},
		{(*int)(nil), nil},
	}
	for _, tc := range tests {
		got, err := Normalize(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Normalize(%#v) = %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []any{struct{}{}, func() {}, map[string]any{"x": make(chan int)}} {
		if _, err := Normalize(bad); err == nil {
			t.Errorf("Normalize(%T) succeeded", bad)
		}
	}
	c, err := FromMap(map[string]any{"a": 1})
	if err != nil || c["a"] != int64(1) {
		t.Errorf("FromMap = %v, %v", c, err)
	}
}
