package tuple

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"
)

type userID string
type row []any
type scores map[string]int64

func sampleTuples() []*Tuple {
	return []*Tuple{
		{SourceTask: 3, Stream: "default", Values: Values{"hello", int64(42)}},
		{SourceTask: -1, Stream: "__tick", Values: Values{int32(30)}},
		{SourceTask: 7, Stream: "__ack_ack", ID: MessageID{{Root: -5, Edge: math.MaxInt64}, {Root: 9, Edge: 0}},
			Values: Values{int64(-5), int64(1) << 62}},
		{SourceTask: 1, Stream: "", Values: Values{}},
		{SourceTask: 2, Stream: "kinds", Values: Values{
			nil, true, false, 1, int8(-8), int16(-16), int32(-32), int64(-64), uint(1), uint8(200), uint16(65535),
			uint32(math.MaxUint32), uint64(math.MaxUint64), float32(1.25), math.Inf(-1), "héllo 😀", []byte{0, 1, 255},
			[]byte{}, []any{"nested", []any{int64(1), nil}}, map[string]any{"a": int64(1), "b": []any{"x"}},
			map[any]any{int64(1): "one", "two": 2.0}, []string{"a", ""}, []int64{math.MinInt64, 0},
			[]float64{0.5, -2},
		}},
	}
}

func roundTrip(t *testing.T, in *Tuple) *Tuple {
	t.Helper()
	c := NewGaleCodec()
	b, err := c.AppendEncode(nil, in)
	if err != nil {
		t.Fatalf("encode %v: %v", in.Values, err)
	}
	out := &Tuple{}
	if err := c.Decode(b, out); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return out
}

func TestGaleRoundTrip(t *testing.T) {
	for _, in := range sampleTuples() {
		out := roundTrip(t, in)
		if out.SourceTask != in.SourceTask || out.Stream != in.Stream {
			t.Fatalf("header %d/%q, want %d/%q", out.SourceTask, out.Stream, in.SourceTask, in.Stream)
		}
		if len(out.ID) != len(in.ID) || (len(in.ID) > 0 && !reflect.DeepEqual(out.ID, in.ID)) {
			t.Fatalf("id %v, want %v", out.ID, in.ID)
		}
		if len(in.Values) == 0 && len(out.Values) == 0 {
			continue
		}
		if !reflect.DeepEqual(out.Values, in.Values) {
			t.Fatalf("values\n got %#v\nwant %#v", out.Values, in.Values)
		}
	}
}

func TestGaleNamedTypesDecodeAsUnderlying(t *testing.T) {
	in := &Tuple{Values: Values{userID("u1"), row{int64(1)}, scores{"a": 3}, [2]int{}}}
	c := NewGaleCodec()
	if _, err := c.AppendEncode(nil, in); err == nil {
		t.Fatal("array encoded; want unsupported")
	}
	in.Values = in.Values[:3]
	out := roundTrip(t, in)
	want := Values{"u1", []any{int64(1)}, map[string]any{"a": int64(3)}}
	if !reflect.DeepEqual(out.Values, want) {
		t.Fatalf("got %#v want %#v", out.Values, want)
	}
}

func TestGaleUnsupported(t *testing.T) {
	type s struct{ A int }
	deep := any("leaf")
	for range MaxDepth + 2 {
		deep = []any{deep}
	}
	for _, v := range []any{s{1}, &s{}, make(chan int), func() {}, []any{s{}}, map[string]any{"k": s{}}, deep,
		map[any]any{"k": s{}}, map[int]s{1: {}}} {
		_, err := NewGaleCodec().AppendEncode(nil, &Tuple{Values: Values{v}})
		var ue *UnsupportedTypeError
		if !errors.As(err, &ue) {
			t.Errorf("%T: err %v, want UnsupportedTypeError", v, err)
		}
	}
}

func TestGaleCorrupt(t *testing.T) {
	good, _ := NewGaleCodec().AppendEncode(nil, sampleTuples()[4])
	for n := range len(good) {
		if err := NewGaleCodec().Decode(good[:n], &Tuple{}); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated to %d: err %v", n, err)
		}
	}
	bad := [][]byte{
		append(bytes.Clone(good), 0),                                       // trailing byte
		{0x00, 0x00, 0x00, 0x01, 0xff},                                     // unknown tag
		{0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f},                   // huge value count
		{0x00, 0x00, 0x05},                                                 // anchors beyond payload
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, // varint overflow
		{0x80, 0x80, 0x80, 0x80, 0x20, 0x00, 0x00, 0x00},                   // task beyond int32
		{0x00, 0x00, 0x00, 0x01, tagAnyMap, 0x01, tagList, 0x00, tagNil},   // unhashable key
		{0x00, 0x00, 0x00, 0x01, tagInt16, 0x80, 0x80, 0x04},               // int16 out of range
		{0x00, 0x00, 0x00, 0x01, tagUint32, 0x80, 0x80, 0x80, 0x80, 0x10},  // uint32 out of range
	}
	for i, b := range bad {
		if err := NewGaleCodec().Decode(b, &Tuple{}); !errors.Is(err, ErrCorrupt) {
			t.Errorf("case %d: err %v", i, err)
		}
	}
	// Nesting beyond MaxDepth.
	deep := []byte{0x00, 0x00, 0x00, 0x01}
	for range MaxDepth + 1 {
		deep = append(deep, tagList, 0x01)
	}
	deep = append(deep, tagNil)
	if err := NewGaleCodec().Decode(deep, &Tuple{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("deep nesting: err %v", err)
	}
}

func TestGaleDecodeReusesAndInterns(t *testing.T) {
	c := NewGaleCodec()
	b, _ := c.AppendEncode(nil, &Tuple{SourceTask: 1, Stream: "words", Values: Values{"a", "b"}, ID: MessageID{{1, 2}}})
	tu := &Tuple{Values: make(Values, 0, 4), ID: make(MessageID, 0, 2)}
	if err := c.Decode(b, tu); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if err := c.Decode(b, tu); err != nil {
			t.Fatal(err)
		}
	})
	// Two fresh strings for the values; the stream name is interned, slices are reused.
	if allocs > 2 {
		t.Fatalf("allocs per decode = %v, want <= 2", allocs)
	}
	b[len(b)-1] = 'z' // the decoded tuple must not alias the payload
	if tu.Values[1] != "b" {
		t.Fatal("decoded value aliases the payload")
	}
}

func TestGaleEncodeAllocs(t *testing.T) {
	c := NewGaleCodec()
	tu := &Tuple{SourceTask: 4, Stream: "default", ID: MessageID{{1, 2}}, Values: Values{"word", int64(3), 1.5}}
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if buf, err = c.AppendEncode(buf[:0], tu); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("allocs per encode = %v", allocs)
	}
}
