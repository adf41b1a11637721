package urlenc

import (
	"strconv"
	"strings"
)

// JavaEncode is java.net.URLEncoder.encode(s, "UTF-8"): letters, digits and
// ".-*_" stay, a space becomes "+", every other byte becomes %XX.
func JavaEncode(s string) string {
	return escape(s, func(c byte) bool { return c == '.' || c == '-' || c == '*' || c == '_' }, true)
}

// JavaDecode is java.net.URLDecoder.decode(s, "UTF-8") for what JavaEncode
// writes: "+" is a space, %XX a byte, anything else itself. ok is false for
// a malformed escape.
func JavaDecode(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b.WriteByte(' ')
		case '%':
			if i+2 >= len(s) {
				return "", false
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", false
			}
			b.WriteByte(byte(v))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// Ring is Storm's url-encode (ring.util.codec/url-encode): letters, digits
// and "_~.+-" stay, every other byte (a space too) becomes %XX.
func Ring(s string) string {
	return escape(s, func(c byte) bool { return c == '_' || c == '~' || c == '.' || c == '+' || c == '-' }, false)
}

// QuotePlus is Python 2's urllib.quote_plus with the default safe set:
// letters, digits and "_.-" stay, a space becomes "+", every other byte
// becomes %XX. Unlike Go's url.QueryEscape it encodes "~", as Python 2 does.
func QuotePlus(s string) string {
	return escape(s, func(c byte) bool { return c == '_' || c == '.' || c == '-' }, true)
}

// escape keeps ASCII letters, digits and the bytes keep accepts, writes a
// space as "+" when spacePlus, and every other byte as %XX.
func escape(s string, keep func(byte) bool, spacePlus bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', keep(c):
			b.WriteByte(c)
		case c == ' ' && spacePlus:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
