package multilang

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// FuzzReader reads arbitrary child output as a parent does: framed
// messages, decoded and interpreted as commands, until an error.
func FuzzReader(f *testing.F) {
	for _, name := range []string{"testdata/parent.txt", "testdata/handshake.txt"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("{\"command\":\"emit\",\"anchors\":[\"1\",null],\"tuple\":[1,2.5,\"x\"]}\nend\n{\"pid\":1}\r\nend\r\n"))
	f.Add([]byte("{\"command\":\"log\",\"msg\":\"m\",\"level\":4}\nend"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewReader(bytes.NewReader(b), 1<<12)
		for range 100 {
			raw, err := r.ReadRaw()
			if err != nil {
				if !errors.Is(err, ErrPipeClosed) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("unexpected error kind: %v", err)
				}
				return
			}
			if len(raw) > 1<<12 {
				t.Fatalf("message of %d bytes passed a %d limit", len(raw), 1<<12)
			}
			v, err := Decode(raw)
			if err != nil {
				continue
			}
			_, _ = ParsePid(v)
			if m, err := ParseShellMsg(v); err == nil && m.Command == "" && m.Stream == "" {
				t.Fatalf("parsed message without defaults: %+v", m)
			}
			// Whatever decodes must encode and decode to the same value.
			again, err := Encode(v)
			if err != nil {
				t.Fatalf("Encode(%#v): %v", v, err)
			}
			if _, err := Decode(again); err != nil {
				t.Fatalf("Decode(Encode(%q)) = %v (%s)", raw, err, again)
			}
		}
	})
}
