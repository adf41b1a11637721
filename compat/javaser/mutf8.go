package javaser

import (
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeModifiedUTF8 decodes Java's modified UTF-8 (DataInput.readUTF):
// U+0000 as C0 80, characters outside the BMP as two encoded UTF-16
// surrogates. An unpaired surrogate becomes U+FFFD.
func decodeModifiedUTF8(p []byte) (string, error) {
	ascii := true
	for _, c := range p {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(p), nil
	}
	var sb strings.Builder
	sb.Grow(len(p))
	var pending rune = -1 // a high surrogate waiting for its pair
	flush := func() {
		if pending >= 0 {
			sb.WriteRune(utf8.RuneError)
			pending = -1
		}
	}
	for i := 0; i < len(p); {
		c := p[i]
		var r rune
		switch {
		case c < 0x80:
			r, i = rune(c), i+1
		case c&0xE0 == 0xC0:
			if i+1 >= len(p) || p[i+1]&0xC0 != 0x80 {
				return "", errors.New("bad modified UTF-8 sequence")
			}
			r, i = rune(c&0x1F)<<6|rune(p[i+1]&0x3F), i+2
		case c&0xF0 == 0xE0:
			if i+2 >= len(p) || p[i+1]&0xC0 != 0x80 || p[i+2]&0xC0 != 0x80 {
				return "", errors.New("bad modified UTF-8 sequence")
			}
			r, i = rune(c&0x0F)<<12|rune(p[i+1]&0x3F)<<6|rune(p[i+2]&0x3F), i+3
		default:
			return "", errors.New("bad modified UTF-8 lead byte")
		}
		switch {
		case utf16.IsSurrogate(r) && r < 0xDC00: // high
			flush()
			pending = r
		case utf16.IsSurrogate(r): // low
			if pending >= 0 {
				sb.WriteRune(utf16.DecodeRune(pending, r))
				pending = -1
			} else {
				sb.WriteRune(utf8.RuneError)
			}
		default:
			flush()
			sb.WriteRune(r)
		}
	}
	flush()
	return sb.String(), nil
}
