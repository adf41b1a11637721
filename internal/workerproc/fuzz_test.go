package workerproc

import (
	"strings"
	"testing"
)

// FuzzParseArgs: any command line either parses into a valid Args or is
// an error; it never panics.
func FuzzParseArgs(f *testing.F) {
	f.Add("wc-1-2 sup 6700 w1")
	f.Add("-c a=1 wc sup --config /x 6701 w -c b=2")
	f.Add("-c")
	f.Add("a b 99999 d")
	f.Fuzz(func(t *testing.T, line string) {
		a, err := ParseArgs(strings.Fields(line))
		if err != nil {
			return
		}
		if a.StormID == "" || a.AssignmentID == "" || a.WorkerID == "" || a.Port <= 0 || a.Port > 65535 {
			t.Fatalf("ParseArgs(%q) = %+v without an error", line, a)
		}
	})
}
