package multilang

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReaderLongLines: lines longer than the read buffer, next to short
// ones, come back whole (ReadRaw reuses its storage between messages).
func TestReaderLongLines(t *testing.T) {
	long := `{"command":"emit","tuple":["` + strings.Repeat("x", 200<<10) + `"]}`
	msgs := []string{long, `{"command":"sync"}`, "[1,\n2]", long + "\n" + long, `{"command":"ack","id":"1"}`}
	var in bytes.Buffer
	for _, m := range msgs {
		in.WriteString(m + "\nend\n")
	}
	for _, name := range []string{"whole", "half"} {
		src := bytes.NewReader(in.Bytes())
		var r *Reader
		if name == "half" {
			r = NewReader(iotest.HalfReader(src), 0)
		} else {
			r = NewReader(src, 0)
		}
		for i, want := range msgs {
			got, err := r.ReadRaw()
			if err != nil {
				t.Fatalf("%s: message %d: %v", name, i, err)
			}
			if string(got) != want {
				t.Fatalf("%s: message %d: got %d bytes %.40q..., want %d bytes", name, i, len(got), got, len(want))
			}
		}
	}
}
