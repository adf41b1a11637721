package conf

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestParseJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Conf
		wantErr string
	}{
		{"ints stay int64", `{"a":1,"b":-9223372036854775808,"c":[1,2]}`,
			Conf{"a": int64(1), "b": int64(math.MinInt64), "c": []any{int64(1), int64(2)}}, ""},
		{"reals are float64", `{"a":1.0,"b":0.05,"c":1e3}`, Conf{"a": 1.0, "b": 0.05, "c": 1000.0}, ""},
		{"int beyond int64 is float64", `{"a":9223372036854775808}`, Conf{"a": 9223372036854775808.0}, ""},
		{"nested", `{"m":{"k":null,"t":true},"s":"x\/y"}`, Conf{"m": map[string]any{"k": nil, "t": true}, "s": "x/y"}, ""},
		{"whitespace", " {} \n", Conf{}, ""},
		{"array", `[1]`, nil, "not an object"},
		{"null", `null`, nil, "not an object"},
		{"string", `"x"`, nil, "not an object"},
		{"trailing", `{} x`, nil, "trailing"},
		{"two objects", `{}{}`, nil, "trailing"},
		{"truncated", `{"a":`, nil, "bad JSON"},
		{"empty", ``, nil, "bad JSON"},
		{"overflowing real", `{"a":1e400}`, nil, "bad"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseJSON([]byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestToJSON(t *testing.T) {
	tests := []struct {
		name string
		in   Conf
		want string
	}{
		{"nil", nil, `{}`},
		{"sorted keys, ints and reals", Conf{"b": int64(2), "a": 3072.0, "c": 0.05, "d": 1},
			`{"a":3072.0,"b":2,"c":0.05,"d":1}`},
		{"nested", Conf{"l": []any{"x", nil, true, map[string]any{"z": int64(1), "y": []any{}}}},
			`{"l":["x",null,true,{"y":[],"z":1}]}`},
		{"json-simple escapes", Conf{"s": "a\"b\\c/d\n\t\x01\u007f\u2028é😀"},
			`{"s":"a\"b\\c\/d\n\t\u0001\u007F\u2028é😀"}`},
		{"go values normalized", Conf{"i": int32(5), "f": float32(0.5), "l": []string{"a"}, "m": map[string]int{"k": 1}},
			`{"f":0.5,"i":5,"l":["a"],"m":{"k":1}}`},
		{"nan is null", Conf{"n": math.NaN()}, `{"n":null}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ToJSON(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if _, err := ToJSON(Conf{"ch": make(chan int)}); err == nil {
		t.Error("channel value encoded")
	}
}

func TestFormatJavaDouble(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1, "1.0"},
		{3072, "3072.0"},
		{0.05, "0.05"},
		{0.001, "0.001"},
		{0.0001, "1.0E-4"},
		{1.5e-7, "1.5E-7"},
		{9999999, "9999999.0"},
		{1e7, "1.0E7"},
		{1.2345e10, "1.2345E10"},
		{-2.5e20, "-2.5E20"},
		{123.456, "123.456"},
	}
	for _, tc := range tests {
		if got := formatJavaDouble(tc.in); got != tc.want {
			t.Errorf("formatJavaDouble(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"b":[1.5,"x",null,{"c":true}]}`, `{"a":1e400}`, `[1]`,
		`{"a":9223372036854775808}`, `{"a":-0.0,"b":"\u2028\/"}`, `{"a":{"a":{"a":[[[]]]}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseJSON(b)
		if err != nil {
			return
		}
		out, err := ToJSON(c)
		if err != nil {
			t.Fatalf("ToJSON of parsed value: %v", err)
		}
		again, err := ParseJSON(out)
		if err != nil {
			t.Fatalf("re-parse %s: %v", out, err)
		}
		if !reflect.DeepEqual(c, again) {
			t.Fatalf("round trip changed value:\n%#v\n%#v", c, again)
		}
		out2, _ := ToJSON(again)
		if string(out) != string(out2) {
			t.Fatalf("ToJSON not deterministic: %s vs %s", out, out2)
		}
	})
}
