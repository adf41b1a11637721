package tuple

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/stormjava"
)

var update = flag.Bool("update", false, "regenerate testdata/kryo/kryo_golden.txt with Storm 1.0.0 (needs java and mvn)")

const goldenFile = "testdata/kryo/kryo_golden.txt"

func readGolden(t *testing.T) map[string][]byte {
	t.Helper()
	if *update {
		regenerateGolden(t)
	}
	f, err := os.Open(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]byte{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		name, h, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("bad golden line %q", sc.Text())
		}
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// regenerateGolden runs testdata/kryo/KryoGolden.java against storm-core 1.0.0.
func regenerateGolden(t *testing.T) {
	cp := stormjava.Classpath(t)
	classes := stormjava.Compile(t, "testdata/kryo", cp)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out := stormjava.Run(t, stormjava.Command(ctx, classes+string(os.PathListSeparator)+cp, "KryoGolden"))
	if err := os.WriteFile(filepath.FromSlash(goldenFile), out, 0o644); err != nil {
		t.Fatal(err)
	}
}

var nan32 = float32(math.NaN())

var kryoValueCases = []struct {
	name       string
	encode     []any // what Go encodes to the golden bytes (nil: decode-only case)
	decoded    []any // what decoding the golden bytes yields
	decodeOnly bool
}{
	{name: "ints", encode: []any{int32(0), int32(1), int32(-1), int32(63), int32(64), int32(-65), uint16(300), int32(math.MaxInt32), int32(math.MinInt32)},
		decoded: []any{int32(0), int32(1), int32(-1), int32(63), int32(64), int32(-65), int32(300), int32(math.MaxInt32), int32(math.MinInt32)}},
	{name: "longs", encode: []any{int64(0), 1, int64(-1), int64(1) << 40, int64(math.MaxInt64), int64(math.MinInt64),
		-(int64(1) << 62), uint64(1) << 56, int64(1)<<62 + 12345},
		decoded: []any{int64(0), int64(1), int64(-1), int64(1) << 40, int64(math.MaxInt64), int64(math.MinInt64),
			-(int64(1) << 62), int64(1) << 56, int64(1)<<62 + 12345}},
	{name: "strings", encode: []any{"", "a", "ab", "hello world", strings.Repeat("x", 63), strings.Repeat("y", 64), "héllo", "日本語", "😀", "\x00x", strings.Repeat("é", 100), strings.Repeat("é", 9000), nil}},
	{name: "floats", encode: []any{float32(1.5), float32(math.Copysign(0, -1)), nan32, 1.5, -2.75e100, math.NaN(), math.Inf(1)},
		// Java canonicalizes NaN (floatToIntBits / doubleToLongBits).
		decoded: []any{float32(1.5), float32(math.Copysign(0, -1)), math.Float32frombits(0x7fc00000), 1.5, -2.75e100,
			math.Float64frombits(0x7ff8000000000000), math.Inf(1)}},
	{name: "misc", encode: []any{true, false, int8(-3), int16(-5), uint8(200), Char('x'), Char('é'), []byte{1, 2, 0xff}, []byte{}, nil},
		decoded: []any{true, false, int8(-3), int16(-5), int16(200), Char('x'), Char('é'), []byte{1, 2, 0xff}, []byte{}, nil}},
	{name: "collections", encode: []any{[]any{int64(1), "a", nil}, map[string]any{"k": int64(1)}, map[any]any{int32(7): "seven"},
		map[string]any{}, []any{}, [][]map[string]int64{{{"k": 1}}}},
		decoded: []any{[]any{int64(1), "a", nil}, map[string]any{"k": int64(1)}, map[any]any{int32(7): "seven"},
			map[string]any{}, []any{}, []any{[]any{map[string]any{"k": int64(1)}}}}},
	{name: "storm-values", decoded: []any{[]any{"v", int32(2)}}, decodeOnly: true},
	{name: "hashset", decoded: []any{[]any{int32(7)}}, decodeOnly: true},
	{name: "empty", encode: []any{}},
}

func init() {
	for i := range kryoValueCases {
		if kryoValueCases[i].decoded == nil {
			kryoValueCases[i].decoded = kryoValueCases[i].encode
		}
	}
}

func TestKryoValuesMatchStorm(t *testing.T) {
	golden := readGolden(t)
	for _, c := range kryoValueCases {
		want, ok := golden["values/"+c.name]
		if !ok {
			t.Fatalf("no golden for %s", c.name)
		}
		if !c.decodeOnly {
			got, err := AppendKryoValues(nil, c.encode)
			if err != nil {
				t.Fatalf("%s: encode: %v", c.name, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: encoded\n got %x\nwant %x", c.name, got, want)
			}
		}
		dec, err := DecodeKryoValues(want)
		if err != nil {
			t.Fatalf("%s: decode: %v", c.name, err)
		}
		if !sameValue(dec, c.decoded) {
			t.Errorf("%s: decoded\n got %#v\nwant %#v", c.name, dec, c.decoded)
		}
	}
}

func testDictionary() *StreamDictionary {
	return NewStreamDictionary(
		map[int32]string{1: "count", 2: "count", 3: "spout"}, // task -1 is __system implicitly
		map[string][]string{
			"spout":    {"default", "__ack_init", "__eventlog", "__metrics", "__system"},
			"count":    {"default", "__ack_ack", "__ack_fail", "__ack_reset_timeout", "__eventlog", "__metrics", "__system"},
			"__system": {"__tick", "__metrics_tick", "__credentials", "__metrics", "__system"},
		})
}

var kryoTupleCases = map[string]*Tuple{
	"spout-default":  {SourceTask: 3, Stream: "default", ID: MessageID{{Root: 0x1234567890, Edge: -99}}, Values: Values{"apple", int64(3)}},
	"spout-ack-init": {SourceTask: 3, Stream: "__ack_init", Values: Values{int64(-5), int64(77)}},
	"bolt-ack-ack":   {SourceTask: 2, Stream: "__ack_ack", Values: Values{int64(42), int64(7)}},
	"system-tick":    {SourceTask: -1, Stream: "__tick", Values: Values{int32(30), nil}},
}

func TestKryoTuplesMatchStorm(t *testing.T) {
	golden := readGolden(t)
	c := NewKryoCodec(testDictionary())
	for name, in := range kryoTupleCases {
		want := golden["tuple/"+name]
		got, err := c.AppendEncode(nil, in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: encoded\n got %x\nwant %x", name, got, want)
		}
		var out Tuple
		if err := c.Decode(want, &out); err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
		if out.SourceTask != in.SourceTask || out.Stream != in.Stream || !sameValue(out.Values, in.Values) ||
			len(out.ID) != len(in.ID) || (len(in.ID) > 0 && out.ID[0] != in.ID[0]) {
			t.Errorf("%s: decoded %#v", name, &out)
		}
	}
}

func TestKryoEncodeErrors(t *testing.T) {
	c := NewKryoCodec(testDictionary())
	for name, tu := range map[string]*Tuple{
		"unknown task":   {SourceTask: 9, Stream: "default"},
		"unknown stream": {SourceTask: 3, Stream: "nope"},
	} {
		if _, err := c.AppendEncode(nil, tu); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// An explicit source component wins over the task map.
	if _, err := c.AppendEncode(nil, &Tuple{SourceTask: 99, SourceComponent: "spout", Stream: "default"}); err != nil {
		t.Errorf("explicit component: %v", err)
	}
	type s struct{}
	var ue *UnsupportedTypeError
	if _, err := AppendKryoValues(nil, []any{s{}}); !errors.As(err, &ue) {
		t.Errorf("struct: %v", err)
	}
}

func TestKryoDecodeErrors(t *testing.T) {
	c := NewKryoCodec(testDictionary())
	good, _ := c.AppendEncode(nil, kryoTupleCases["spout-default"])
	for n := range len(good) {
		if err := c.Decode(good[:n], &Tuple{}); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d: %v", n, err)
		}
	}
	for name, b := range map[string][]byte{
		"trailing":        append(bytes.Clone(good), 0),
		"unknown task":    {0x09, 0x01, 0x00, 0x00},
		"unknown stream":  {0x03, 0x09, 0x00, 0x00},
		"stream zero":     {0x03, 0x00, 0x00, 0x00},
		"class 1 (named)": {0x03, 0x01, 0x00, 0x01, 0x01},
		"clojure class":   {0x03, 0x01, 0x00, 0x01, 28},
		"huge count":      {0x03, 0x01, 0x00, 0xff, 0xff, 0x7f},
		"bad utf8 lead":   {0x03, 0x01, 0x00, 0x01, 0x03, 0x82, 0xff},
		"unhashable key":  {0x03, 0x01, 0x00, 0x01, 0x0f, 0x01, 0x0e, 0x00, 0x00},
	} {
		if err := c.Decode(b, &Tuple{}); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// sameValue is reflect.DeepEqual that treats NaNs with equal bits as equal.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case float32:
		y, ok := b.(float32)
		return ok && math.Float32bits(x) == math.Float32bits(y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// FuzzKryoDecode: the Kryo decoder never panics on arbitrary input, and what it accepts re-encodes
// to bytes that decode again to the same encoding.
func FuzzKryoDecode(f *testing.F) {
	b, err := os.ReadFile(goldenFile)
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		_, h, _ := strings.Cut(line, "\t")
		raw, _ := hex.DecodeString(h)
		f.Add(raw)
	}
	c := NewKryoCodec(testDictionary())
	f.Fuzz(func(t *testing.T, b []byte) {
		var t1 Tuple
		if err := c.Decode(b, &t1); err != nil {
			if _, err := DecodeKryoValues(b); err != nil {
				return
			}
			return
		}
		b2, err := c.AppendEncode(nil, &t1)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var t2 Tuple
		if err := c.Decode(b2, &t2); err != nil {
			t.Fatalf("decode of re-encoded: %v", err)
		}
		b3, _ := c.AppendEncode(nil, &t2)
		if len(b2) != len(b3) || (!hasMap(t1.Values) && !bytes.Equal(b2, b3)) {
			t.Fatalf("unstable:\n%x\n%x", b2, b3)
		}
	})
}
