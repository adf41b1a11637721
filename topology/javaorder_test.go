package topology

import (
	"slices"
	"testing"
)

func TestJavaCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int // sign
	}{
		{"a", "b", -1},
		{"__acker", "count", -1},
		{"Z", "a", -1},
		{"ab", "a", 1},
		{"", "", 0},
		// U+FFFD (one UTF-16 unit 0xFFFD) sorts after U+1F600 (0xD83D 0xDE00)
		// in Java, before it in UTF-8 byte order.
		{"\U0001F600", "\uFFFD", -1},
	}
	for _, tt := range tests {
		got := javaCompare(tt.a, tt.b)
		if sign(got) != tt.want {
			t.Errorf("javaCompare(%q, %q) = %d, want sign %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func sign(i int) int {
	switch {
	case i < 0:
		return -1
	case i > 0:
		return 1
	}
	return 0
}

func TestClojureSetString(t *testing.T) {
	// Orders printed by Clojure 1.7.0 (the version Storm 1.0.0 ships), e.g.
	// java -cp clojure-1.7.0.jar clojure.main -e '(str (set ["x" "y"]))'.
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"/", ".", ":", `\`}, `#{"/" ":" "." "\\"}`},
		{[]string{"x", "y", "z", "word", "count"}, `#{"z" "word" "x" "count" "y"}`},
		{[]string{"test"}, `#{"test"}`},
		{nil, `#{}`},
	}
	for _, tt := range tests {
		if got := clojureSetString(tt.in); got != tt.want {
			t.Errorf("clojureSetString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	// Order does not depend on the input order.
	a := clojureSetString([]string{"x", "y", "z", "word", "count"})
	b := clojureSetString([]string{"count", "word", "z", "y", "x"})
	if a != b {
		t.Errorf("order depends on input: %s vs %s", a, b)
	}
}

func TestClojureHash(t *testing.T) {
	// (hash "") = 0; (hash "a") = Murmur3.hashInt(97) = 1455541201 in Clojure 1.7.
	if got := clojureHash(""); got != 0 {
		t.Errorf(`clojureHash("") = %d`, got)
	}
	if got := int32(clojureHash("a")); got != 1455541201 {
		t.Errorf(`clojureHash("a") = %d, want 1455541201`, got)
	}
}

func TestSortJava(t *testing.T) {
	got := sortJava([]string{"spout", "split", "count", "__system", "__acker", "__eventlogger"})
	want := []string{"__acker", "__eventlogger", "__system", "count", "split", "spout"}
	if !slices.Equal(got, want) {
		t.Errorf("sortJava = %v, want %v", got, want)
	}
}
