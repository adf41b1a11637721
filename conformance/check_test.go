package conformance

import "testing"

func ptr[T any](v T) *T { return &v }

func TestEvalCheck(t *testing.T) {
	doc := mustJSON(t, `{"status":"ACTIVE","n":2,"list":["a","b"],"obj":{"k":1},"other":"ACTIVE","s":"hello world"}`)
	tests := []struct {
		name string
		ch   Check
		ok   bool
	}{
		{"equals string", Check{Path: "/status", Equals: "ACTIVE"}, true},
		{"equals number as int", Check{Path: "/n", Equals: int64(2)}, true},
		{"equals number as string", Check{Path: "/n", Equals: "2"}, true},
		{"equals wrong", Check{Path: "/status", Equals: "KILLED"}, false},
		{"equals missing", Check{Path: "/nope", Equals: "x"}, false},
		{"not equals", Check{Path: "/status", NotEquals: "KILLED"}, true},
		{"equals_path", Check{Path: "/status", EqualsAt: "/other"}, true},
		{"equals_path missing", Check{Path: "/status", EqualsAt: "/nope"}, false},
		{"contains substring", Check{Path: "/s", Contains: "lo wo"}, true},
		{"contains element", Check{Path: "/list", Contains: "b"}, true},
		{"contains key", Check{Path: "/obj", Contains: "k"}, true},
		{"lacks", Check{Path: "/list", Lacks: "c"}, true},
		{"lacks fails", Check{Path: "/list", Lacks: "a"}, false},
		{"matches", Check{Path: "/s", Matches: "^hello"}, true},
		{"bad regexp", Check{Path: "/s", Matches: "("}, false},
		{"exists", Check{Path: "/obj/k", Exists: ptr(true)}, true},
		{"not exists", Check{Path: "/obj/j", Exists: ptr(false)}, true},
		{"exists fails", Check{Path: "/obj/j", Exists: ptr(true)}, false},
		{"len", Check{Path: "/list", Len: ptr(2)}, true},
		{"len of number", Check{Path: "/n", Len: ptr(1)}, false},
		{"min_len", Check{Path: "/s", MinLen: ptr(5)}, true},
		{"one_of", Check{Path: "/status", OneOf: []any{"INACTIVE", "ACTIVE"}}, true},
		{"one_of fails", Check{Path: "/status", OneOf: []any{"INACTIVE"}}, false},
		{"min", Check{Path: "/n", Min: ptr(2.0)}, true},
		{"min fails", Check{Path: "/n", Min: ptr(2.5)}, false},
		{"min of text", Check{Path: "/s", Min: ptr(0.0)}, false},
		{"at_least", Check{Path: "/n", AtLeast: "2"}, true},
		{"at_least fails", Check{Path: "/n", AtLeast: "3"}, false},
		{"at_most", Check{Path: "/n", AtMost: "2.5"}, true},
		{"at_most fails", Check{Path: "/n", AtMost: "1"}, false},
		{"at_least of text", Check{Path: "/s", AtLeast: "0"}, false},
		{"at_least bad bound", Check{Path: "/n", AtLeast: "${x}"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.ch.validate(); err != nil {
				t.Fatal(err)
			}
			r := evalCheck(doc, tt.ch)
			if r.OK != tt.ok {
				t.Errorf("%s: ok = %v (got %s), want %v", r.Check, r.OK, r.Got, tt.ok)
			}
		})
	}
}

func TestTextChecks(t *testing.T) {
	s := &Step{StdoutContains: []string{"Killed"}, StdoutLacks: []string{"Exception"},
		StdoutMatches: []string{`(?m)^t\s+ACTIVE$`, `(`}, StderrContains: []string{"warn"}}
	got := textChecks(s, "Killed topology\nt   ACTIVE\n", "a warning")
	want := []bool{true, true, true, true, false}
	if len(got) != len(want) {
		t.Fatalf("%d results, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].OK != want[i] {
			t.Errorf("%s: ok = %v, want %v", got[i].Check, got[i].OK, want[i])
		}
	}
}
