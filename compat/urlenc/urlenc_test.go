package urlenc

import (
	"net/url"
	"testing"
)

func TestJava(t *testing.T) {
	tests := []struct{ in, want string }{
		{"wordcount-1-1700000000", "wordcount-1-1700000000"},
		{"my topo-2-3", "my+topo-2-3"},
		{"a/b:c~é", "a%2Fb%3Ac%7E%C3%A9"},
		{"a b/c~", "a+b%2Fc%7E"},
		{"x.y_z*", "x.y_z*"},
	}
	for _, tc := range tests {
		if got := JavaEncode(tc.in); got != tc.want {
			t.Errorf("JavaEncode(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if back, ok := JavaDecode(tc.want); !ok || back != tc.in {
			t.Errorf("JavaDecode(%q) = %q, %v", tc.want, back, ok)
		}
	}
	for _, bad := range []string{"%", "%4", "%zz"} {
		if _, ok := JavaDecode(bad); ok {
			t.Errorf("JavaDecode(%q) accepted", bad)
		}
	}
}

// The three encodings differ exactly in "~", "*", "+" and the space.
func TestSafeSets(t *testing.T) {
	const in = "a~*+ z"
	for _, tc := range []struct{ name, got, want string }{
		{"JavaEncode", JavaEncode(in), "a%7E*%2B+z"},
		{"Ring", Ring(in), "a~%2A+%20z"},
		{"QuotePlus", QuotePlus(in), "a%7E%2A%2B+z"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s(%q) = %q, want %q", tc.name, in, tc.got, tc.want)
		}
	}
}

// FuzzJava: JavaDecode inverts JavaEncode, and Java's decoder (Go's
// QueryUnescape is the same for this alphabet) agrees.
func FuzzJava(f *testing.F) {
	for _, s := range []string{"", "wc-1-2", "a b/c", "ü€", "%2F", "+*~", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := JavaEncode(s)
		dec, ok := JavaDecode(enc)
		if !ok || dec != s {
			t.Fatalf("%q -> %q -> %q (%v)", s, enc, dec, ok)
		}
		if q, err := url.QueryUnescape(enc); err != nil || q != s {
			t.Fatalf("QueryUnescape(%q) = %q, %v; want %q", enc, q, err, s)
		}
		JavaDecode(s) // never panics on outside bytes
	})
}
