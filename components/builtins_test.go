package components

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestWordSpout(t *testing.T) {
	s := NewWordSpout()
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]int{}
	for range 1000 {
		v := s.Next(r)
		if len(v) != 1 {
			t.Fatalf("tuple %v", v)
		}
		w := v[0].(string)
		if !slices.Contains(TestWordSpoutWords(), w) {
			t.Fatalf("word %q not among TestWordSpout's", w)
		}
		seen[w]++
	}
	if len(seen) != 5 {
		t.Errorf("words seen %v", seen)
	}
}

func bolt(t *testing.T, class string, fields map[string]any) BoltLogic {
	t.Helper()
	b, err := (&Builtin{Class: class, Fields: fields}).Bolt()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBuiltinBolts(t *testing.T) {
	type step struct {
		in   []any
		want []Emit
		err  bool
	}
	tests := []struct {
		class string
		steps []step
	}{
		{TestWordCounterClass, []step{
			{in: []any{"a"}, want: []Emit{{Values: []any{"a", int32(1)}, Anchored: true}}},
			{in: []any{"b"}, want: []Emit{{Values: []any{"b", int32(1)}, Anchored: true}}},
			{in: []any{"a", "extra"}, want: []Emit{{Values: []any{"a", int32(2)}, Anchored: true}}},
			{in: []any{nil}, want: []Emit{{Values: []any{nil, int32(1)}, Anchored: true}}},
			{in: []any{int64(3)}, err: true},
			{in: []any{}, err: true},
		}},
		{TestGlobalCountClass, []step{
			{in: []any{"x"}, want: []Emit{{Values: []any{int32(1)}, Anchored: true}}},
			{in: nil, want: []Emit{{Values: []any{int32(2)}, Anchored: true}}},
		}},
		{TestAggregatesCounterClass, []step{
			{in: []any{"a", int32(2)}, want: []Emit{{Values: []any{int32(2)}}}},
			{in: []any{"b", int64(5)}, want: []Emit{{Values: []any{int32(7)}}}},
			{in: []any{"a", 1}, want: []Emit{{Values: []any{int32(6)}}}},
			{in: []any{"a", "1"}, err: true},
			{in: []any{"a", int64(1) << 40}, err: true},
			{in: []any{"a"}, err: true},
		}},
		{IdentityBoltClass, []step{
			{in: []any{"x", int64(1), nil}, want: []Emit{{Values: []any{"x", int64(1), nil}, Anchored: true}}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.class, func(t *testing.T) {
			b := bolt(t, tc.class, map[string]any{"_fields": []string{"f"}})
			for i, s := range tc.steps {
				got, err := b.Execute(s.in)
				if (err != nil) != s.err {
					t.Fatalf("step %d: err %v", i, err)
				}
				if !s.err && !reflect.DeepEqual(got, s.want) {
					t.Errorf("step %d: %+v, want %+v", i, got, s.want)
				}
			}
		})
	}
	if _, err := (&Builtin{Class: TestWordSpoutClass}).Bolt(); err == nil {
		t.Error("TestWordSpout made a bolt")
	}
}
