package tuple

import (
	"bytes"
	"testing"
)

// FuzzGaleDecode feeds arbitrary payloads to the decoder: it must never panic, and whatever it
// accepts must re-encode to bytes that decode to the same encoding again.
func FuzzGaleDecode(f *testing.F) {
	for _, tu := range sampleTuples() {
		b, err := NewGaleCodec().AppendEncode(nil, tu)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{0x00, 0x00, 0x00, 0x01, tagAnyMap, 0x01, tagList, 0x00, tagNil})
	f.Fuzz(func(t *testing.T, b []byte) {
		c := NewGaleCodec()
		var t1 Tuple
		if err := c.Decode(b, &t1); err != nil {
			return
		}
		b2, err := c.AppendEncode(nil, &t1)
		if err != nil {
			t.Fatalf("re-encode of accepted payload: %v", err)
		}
		var t2 Tuple
		if err := c.Decode(b2, &t2); err != nil {
			t.Fatalf("decode of re-encoded payload: %v", err)
		}
		b3, _ := c.AppendEncode(nil, &t2)
		if len(b2) != len(b3) || (!hasMap(t1.Values) && !bytes.Equal(b2, b3)) {
			t.Fatalf("unstable encoding:\n%x\n%x", b2, b3)
		}
	})
}

// hasMap reports whether values contain a map (maps encode in iteration order).
func hasMap(vs []any) bool {
	for _, v := range vs {
		switch x := v.(type) {
		case map[string]any, map[any]any:
			return true
		case []any:
			if hasMap(x) {
				return true
			}
		}
	}
	return false
}
