package multilang

import (
	"bytes"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

func TestEncode(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, `null`},
		{"a/b", `"a\/b"`},
		{"\u0000\u001f\u007f\u009f\u00a0\u1fff\u2000\u20ff\u2100", `"\u0000\u001F\u007F\u009F` + "\u00a0\u1fff" + `\u2000\u20FF` + "\u2100\""},
		{"\U0001F600", "\"\U0001F600\""},
		{int8(-1), `-1`}, {uint64(math.MaxUint64), `18446744073709551615`},
		{1.0, `1.0`}, {100.0, `100.0`}, {1234567.0, `1234567.0`}, {1e7, `1.0E7`}, {12345678.9, `1.23456789E7`},
		{0.001, `0.001`}, {0.0001, `1.0E-4`}, {1.5e-7, `1.5E-7`}, {-2.5, `-2.5`}, {0.0, `0.0`},
		{math.Inf(1), `null`}, {math.MaxFloat64, `1.7976931348623157E308`}, {1e-300, `1.0E-300`},
		{float32(0.1), `0.1`}, {float32(1e10), `1.0E10`},
		{[]string{"a"}, `["a"]`}, {[]int32(nil), `[]`}, {[]any{}, `[]`},
		{map[string]any{}, `{}`},
		{map[int32]string{2: "b", 1: "a"}, `{"1":"a","2":"b"}`},
		{&[]any{true}, `[true]`},
	}
	for _, tc := range tests {
		got, err := Encode(tc.in)
		if err != nil {
			t.Errorf("Encode(%#v): %v", tc.in, err)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("Encode(%#v) = %s, want %s", tc.in, got, tc.want)
		}
	}
	for _, bad := range []any{make(chan int), map[float64]int{1: 1}, []any{func() {}}} {
		if _, err := Encode(bad); err == nil {
			t.Errorf("Encode(%T) succeeded", bad)
		}
	}
	cyclic := []any{nil}
	cyclic[0] = cyclic
	if _, err := Encode(cyclic); err == nil {
		t.Error("Encode of a cyclic value succeeded")
	}
}

// TestJavaHashMapOrder pins member order against Storm's output: the keys
// of a JsonSerializer bolt message and a spout message.
func TestJavaHashMapOrder(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"id", "comp", "stream", "task", "tuple"}, []string{"comp", "tuple", "task", "stream", "id"}},
		{[]string{"command", "id"}, []string{"id", "command"}},
		{[]string{"pidDir", "conf", "context"}, []string{"pidDir", "context", "conf"}},
	} {
		var got []string
		for _, i := range javaHashMapOrder(tc.in) {
			got = append(got, tc.in[i])
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("order of %v = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestDecode(t *testing.T) {
	v, err := Decode([]byte(` {"a":[1,-0,2.0,1e2,9223372036854775807,1e400,"\u00e9"],"b":{"c":null}} `))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": []any{int64(1), int64(0), 2.0, 100.0, int64(math.MaxInt64), math.Inf(1), "é"}, "b": map[string]any{"c": nil}}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("Decode = %#v", v)
	}
	for _, bad := range []string{``, `{`, `{"a":1}x`, `9223372036854775808`, `[1,]`, `{'a':1}`} {
		if _, err := Decode([]byte(bad)); !errors.Is(err, ErrBadJSON) {
			t.Errorf("Decode(%q) = %v, want ErrBadJSON", bad, err)
		}
	}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		err  error // after the wanted messages
	}{
		{"one", "{}\nend\n", []string{"{}"}, ErrPipeClosed},
		{"multi-line", "{\n\"a\":\n1}\nend\n[1]\nend\n", []string{"{\n\"a\":\n1}", "[1]"}, ErrPipeClosed},
		{"crlf", "{}\r\nend\r\n", []string{"{}"}, ErrPipeClosed},
		{"no final newline", "{}\nend", []string{"{}"}, ErrPipeClosed},
		{"empty message", "end\n", []string{""}, ErrPipeClosed},
		{"partial", "{\"a\":", nil, ErrPipeClosed},
		{"end must be alone", "x\n end\nend \nend\n", []string{"x\n end\nend "}, ErrPipeClosed},
		{"too large line", strings.Repeat("x", 200) + "\nend\n", nil, ErrTooLarge},
		{"too large lines", strings.Repeat("xxxxxxxxx\n", 20) + "end\n", nil, ErrTooLarge},
		{"at the limit", strings.Repeat("x", 100) + "\nend\n", []string{strings.Repeat("x", 100)}, ErrPipeClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(iotest.OneByteReader(strings.NewReader(tc.in)), 100)
			for _, w := range tc.want {
				got, err := r.ReadRaw()
				if err != nil || string(got) != w {
					t.Fatalf("ReadRaw = %q, %v; want %q", got, err, w)
				}
			}
			_, err := r.ReadRaw()
			if !errors.Is(err, tc.err) {
				t.Fatalf("final error %v, want %v", err, tc.err)
			}
			if errors.Is(err, ErrPipeClosed) && !errors.Is(err, io.EOF) {
				t.Errorf("%v does not wrap io.EOF", err)
			}
		})
	}
	// Read refuses null and bad JSON, naming the text.
	r := NewReader(strings.NewReader("null\nend\nnope\nend\n"), 0)
	if _, err := r.Read(); !errors.Is(err, ErrBadJSON) {
		t.Errorf("null: %v", err)
	}
	if _, err := r.Read(); !errors.Is(err, ErrBadJSON) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("nope: %v", err)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	msgs := []any{map[string]any{"command": "emit", "tuple": []any{"a\nend\nb", int64(1)}}, []any{int64(3)}}
	for _, m := range msgs {
		if err := w.Write(m); err != nil {
			t.Fatal(err)
		}
	}
	r := NewReader(&buf, 0)
	for _, m := range msgs {
		got, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("round trip %#v = %#v", m, got)
		}
	}
}

func TestParsePid(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want int64
		ok   bool
	}{
		{map[string]any{"pid": int64(42)}, 42, true},
		{map[string]any{"pid": 42.0}, 42, true},
		{map[string]any{}, 0, false},
		{map[string]any{"pid": "42"}, 0, false},
		{[]any{}, 0, false},
	} {
		got, err := ParsePid(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParsePid(%v) = %d, %v", tc.in, got, err)
		}
	}
}
