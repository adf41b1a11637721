package topology

import (
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// javaCompare orders strings as Java's String.compareTo does (by UTF-16 code
// unit), which is how Storm sorts component ids and stream ids. It differs
// from Go's byte order only for characters above U+FFFF.
func javaCompare(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := utf16Units(ra), utf16Units(rb)
			for i := 0; i < len(ua) && i < len(ub); i++ {
				if ua[i] != ub[i] {
					return int(ua[i]) - int(ub[i])
				}
			}
			return len(ua) - len(ub)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

func utf16Units(r rune) []uint16 {
	if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
		return []uint16{uint16(r1), uint16(r2)}
	}
	return []uint16{uint16(r)}
}

// sortJava sorts ids in place in Java String order and returns them.
func sortJava(ids []string) []string {
	slices.SortFunc(ids, javaCompare)
	return ids
}

func sortedKeys[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	return sortJava(ids)
}

// javaHashCode is String.hashCode (over UTF-16 code units).
func javaHashCode(s string) int32 {
	var h int32
	for _, u := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(u)
	}
	return h
}

// clojureHash is Clojure 1.7's hasheq of a String: Murmur3.hashInt(hashCode).
func clojureHash(s string) uint32 {
	in := uint32(javaHashCode(s))
	if in == 0 {
		return 0
	}
	k1 := in * 0xcc9e2d51
	k1 = k1<<15 | k1>>17
	k1 *= 0x1b873593
	h1 := k1 // seed 0
	h1 = h1<<13 | h1>>19
	h1 = h1*5 + 0xe6546b64
	h1 ^= 4
	h1 ^= h1 >> 16
	h1 *= 0x85ebca6b
	h1 ^= h1 >> 13
	h1 *= 0xc2b2ae35
	h1 ^= h1 >> 16
	return h1
}

// hamtKey orders hashes the way a Clojure PersistentHashMap iterates them:
// by the 5-bit chunks of the hash, lowest chunk first.
func hamtKey(h uint32) uint32 {
	var k uint32
	for shift := 0; shift < 30; shift += 5 {
		k = k<<5 | (h>>shift)&31
	}
	return k<<2 | h>>30
}

// clojureSetString renders a set of strings the way Storm's error messages
// print a Clojure hash set: #{"a" "b"}, in the set's iteration order.
func clojureSetString(items []string) string {
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(a, b string) int {
		ka, kb := hamtKey(clojureHash(a)), hamtKey(clojureHash(b))
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	return "#{" + joinReadable(items) + "}"
}

// clojureListString renders a sequence of strings as Clojure prints one.
func clojureListString(items []string) string { return "(" + joinReadable(items) + ")" }

func joinReadable(items []string) string {
	parts := make([]string, len(items))
	for i, s := range items {
		parts[i] = readableString(s)
	}
	return strings.Join(parts, " ")
}

// readableString is pr-str of a string: quoted, with Clojure's escapes.
func readableString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\f':
			b.WriteString(`\f`)
		case '\b':
			b.WriteString(`\b`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
