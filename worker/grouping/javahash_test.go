package grouping

import (
	"math"
	"testing"
)

// javaCases were computed with Java 17 (jshell): Arrays.deepHashCode(values), and Math.floorMod of
// it by 7 and by 3 — the task index Storm's fields grouping picks among 7 or 3 sorted targets.
var javaCases = []struct {
	name       string
	values     []any
	hash       int32
	mod7, mod3 int
}{
	{"Integer 0", []any{int32(0)}, 31, 3, 1},
	{"Integer 1", []any{int32(1)}, 32, 4, 2},
	{"Integer -1", []any{int32(-1)}, 30, 2, 0},
	{"Integer MIN", []any{int32(math.MinInt32)}, -2147483617, 1, 2},
	{"Integer 12345", []any{int32(12345)}, 12376, 0, 1},
	{"Long 0", []any{int64(0)}, 31, 3, 1},
	{"Long 1", []any{int64(1)}, 32, 4, 2},
	{"Long -1", []any{int64(-1)}, 31, 3, 1},
	{"Long 1<<32", []any{int64(1) << 32}, 32, 4, 2},
	{"Long MIN", []any{int64(math.MinInt64)}, -2147483617, 1, 2},
	{"Long 123456789012", []any{int64(123456789012)}, -1097262553, 5, 2},
	{"Long -123456789012", []any{int64(-123456789012)}, -1097262546, 5, 0},
	{"Go int is Long", []any{-123456789012}, -1097262546, 5, 0},
	{"String empty", []any{""}, 31, 3, 1},
	{"String a", []any{"a"}, 128, 2, 2},
	{"String apple", []any{"apple"}, 93029241, 4, 0},
	{"String hello world", []any{"hello world"}, 1794106083, 0, 0},
	{"String héllo", []any{"héllo"}, 103094765, 4, 2},
	{"String emoji (surrogate pair)", []any{"😀"}, 1772930, 5, 2},
	{"String 日本語", []any{"日本語"}, 25921974, 1, 0},
	{"String pangram", []any{"The quick brown fox jumps over the lazy dog"}, -609428110, 3, 2},
	{"Boolean true", []any{true}, 1262, 2, 2},
	{"Boolean false", []any{false}, 1268, 1, 2},
	{"Double 0.0", []any{0.0}, 31, 3, 1},
	{"Double -0.0", []any{math.Copysign(0, -1)}, -2147483617, 1, 2},
	{"Double 1.5", []any{1.5}, 1073217567, 2, 0},
	{"Double NaN", []any{math.NaN()}, 2146959391, 3, 1},
	{"Double +Inf", []any{math.Inf(1)}, 2146435103, 1, 2},
	{"Double -2.75e100", []any{-2.75e100}, -949638751, 2, 2},
	{"Float 1.5", []any{float32(1.5)}, 1069547551, 2, 1},
	{"Float NaN", []any{float32(math.NaN())}, 2143289375, 3, 2},
	{"Float -0.0", []any{float32(math.Copysign(0, -1))}, -2147483617, 1, 2},
	{"Short -5", []any{int16(-5)}, 26, 5, 2},
	{"Byte -3", []any{int8(-3)}, 28, 0, 1},
	{"Character x (as rune)", []any{'x'}, 151, 4, 1},
	{"null", []any{nil}, 31, 3, 1},
	{"byte[] {1,2,-1}", []any{[]byte{1, 2, 0xff}}, 30844, 2, 1},
	{"byte[] {}", []any{[]byte{}}, 32, 4, 2},
	{"List [1L, a]", []any{[]any{int64(1), "a"}}, 1120, 0, 1},
	{"List [[1L], null]", []any{[]any{[]any{int64(1)}, nil}}, 1984, 3, 1},
	{"Map {a=1L, b=x}", []any{map[string]any{"a": int64(1), "b": "x"}}, 153, 6, 0},
	{"apple, 1L", []any{"apple", int64(1)}, -1411060824, 2, 0},
	{"apple, Integer 1", []any{"apple", int32(1)}, -1411060824, 2, 0},
	{"1L 2L 3L", []any{int64(1), int64(2), int64(3)}, 30817, 3, 1},
	{"two strings", []any{"user-42", "2024-01-01"}, -881035711, 4, 2},
	{"null, null", []any{nil, nil}, 961, 2, 1},
}

func TestListHashCodeMatchesJava(t *testing.T) {
	for _, c := range javaCases {
		if got := ListHashCode(c.values); got != c.hash {
			t.Errorf("%s: ListHashCode = %d, Java %d", c.name, got, c.hash)
		}
	}
}

// TestFieldsGroupingPinnedToStorm checks the task Storm's fields grouping picks, for 7 and 3
// target tasks given in unsorted order (Storm sorts them).
func TestFieldsGroupingPinnedToStorm(t *testing.T) {
	seven := []int32{17, 11, 15, 12, 14, 13, 16} // sorted: 11..17
	three := []int32{30, 10, 20}
	for _, c := range javaCases {
		out := make([]string, len(c.values))
		for i := range out {
			out[i] = string(rune('a' + i))
		}
		// Group on all fields, listed in output order, with an unrelated field in between.
		outFields := append([]string{"skip"}, out...)
		values := append([]any{"ignored"}, c.values...)
		f7, err := NewFields(outFields, out, seven)
		if err != nil {
			t.Fatal(err)
		}
		f3, _ := NewFields(outFields, out, three)
		if got := f7.Choose(nil, 1, values); len(got) != 1 || got[0] != int32(11+c.mod7) {
			t.Errorf("%s: 7 targets chose %v, Storm task %d", c.name, got, 11+c.mod7)
		}
		if got := f3.Choose(nil, 1, values); len(got) != 1 || got[0] != int32(10*(1+c.mod3)) {
			t.Errorf("%s: 3 targets chose %v, Storm task %d", c.name, got, 10*(1+c.mod3))
		}
	}
}

type userID string

type point struct{ X, Y int32 }

type hasher struct{}

func (hasher) JavaHashCode() int32 { return 77 }

func TestJavaHashCodeGoTypes(t *testing.T) {
	s := "apple"
	tests := []struct {
		name string
		v    any
		want int32
	}{
		{"named string", userID("apple"), 93029210},
		{"pointer to string", &s, 93029210},
		{"nil pointer", (*string)(nil), 0},
		{"[]string as List", []string{"a"}, 128},
		{"[]int64 as List", []int64{1, 2, 3}, 30817},
		{"[]int32 via reflect", []int32{1, 2, 3}, 30817},
		{"array via reflect", [3]int64{1, 2, 3}, 30817},
		{"map[string]int64 via reflect", map[string]int64{"a": 1}, 97 ^ 1},
		{"struct as field list", point{1, 2}, 994},
		{"uint8", uint8(200), 200},
		{"uint16", uint16(60000), 60000},
		{"uint32 as Long", uint32(math.MaxUint32), -1},
		{"uint64 as Long bits", uint64(math.MaxUint64), 0},
		{"uint as Long", uint(7), 7},
		{"JavaHasher", hasher{}, 77},
		{"func hashes 0", func() {}, 0},
		{"invalid UTF-8 as U+FFFD", "\xff", 0xFFFD},
	}
	for _, tt := range tests {
		if got := JavaHashCode(tt.v); got != tt.want {
			t.Errorf("%s: JavaHashCode = %d, want %d", tt.name, got, tt.want)
		}
	}
}

type cyclic struct{ Next *cyclic }

func TestJavaHashCodeCycleTerminates(t *testing.T) {
	c := &cyclic{}
	c.Next = c
	_ = JavaHashCode(c)
}

func TestFloorMod(t *testing.T) {
	for _, tt := range []struct {
		h    int32
		n    int
		want int
	}{{7, 3, 1}, {-7, 3, 2}, {-1, 5, 4}, {math.MinInt32, 7, 5}, {0, 1, 0}} {
		if got := floorMod(tt.h, tt.n); got != tt.want {
			t.Errorf("floorMod(%d,%d) = %d, want %d", tt.h, tt.n, got, tt.want)
		}
	}
}
