package conformance

import (
	"encoding/json"
	"testing"
)

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLookup(t *testing.T) {
	doc := mustJSON(t, `{"topologies":[{"name":"a","id":"a-1","n":3},{"name":"b","id":"b-2","n":7}],
		"conf":{"nimbus.thrift.port":6627,"a/b":true,"t~":null},"empty":[],
		"executors":[{"executor_info":{"task_start":1},"port":6700},{"executor_info":{"task_start":3},"port":6701,"a.b":"dotted"}]}`)
	tests := []struct {
		path, want string
		fails      bool
	}{
		{"", `{"conf":{"a/b":true,"nimbus.thrift.port":6627,"t~":null},"empty":[],"executors":[{"executor_info":{"task_start":1},"port":6700},{"a.b":"dotted","executor_info":{"task_start":3},"port":6701}],"topologies":[{"id":"a-1","n":3,"name":"a"},{"id":"b-2","n":7,"name":"b"}]}`, false},
		{"/executors/executor_info.task_start=3/port", "6701", false},
		{"/executors/a.b=dotted/port", "6701", false},
		{"/executors/executor_info.task_end=3", "", true},
		{"/executors/port.x=1", "", true},
		{"/topologies/1/id", "b-2", false},
		{"/topologies/name=b/n", "7", false},
		{"/topologies/n=3/name", "a", false},
		{"/conf/nimbus.thrift.port", "6627", false},
		{"/conf/a~1b", "true", false},
		{"/conf/t~0", "null", false},
		{"/topologies/2", "", true},
		{"/topologies/-1", "", true},
		{"/topologies/name=c", "", true},
		{"/conf/missing", "", true},
		{"/conf/nimbus.thrift.port/x", "", true},
		{"topologies", "", true},
	}
	for _, tt := range tests {
		v, err := Lookup(doc, tt.path)
		if (err != nil) != tt.fails {
			t.Errorf("Lookup(%q) err = %v, want failure %v", tt.path, err, tt.fails)
			continue
		}
		if !tt.fails && Canon(v) != tt.want {
			t.Errorf("Lookup(%q) = %s, want %s", tt.path, Canon(v), tt.want)
		}
	}
}

func TestCanon(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, "null"}, {"x", "x"}, {true, "true"}, {float64(3), "3"}, {3.5, "3.5"}, {int64(-2), "-2"},
		{int(7), "7"}, {float64(1e21), "1e+21"}, {[]any{"a", float64(1)}, `["a",1]`},
		{map[string]any{"k": "v"}, `{"k":"v"}`},
	}
	for _, tt := range tests {
		if got := Canon(tt.in); got != tt.want {
			t.Errorf("Canon(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseOutput(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{`{"a":1}`, `{"a":1}`, true},
		{"log line\n{\"a\":1}\nmore log\n", `{"a":1}`, true},
		{"{\"m\":1}\n{\"m\":2}\n", `[{"m":1},{"m":2}]`, true},
		{"Running: java\n[1,2]\n{broken\n", `[1,2]`, true},
		{"plain text\n", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		v, ok := parseOutput(tt.in)
		if ok != tt.ok || (ok && Canon(v) != tt.want) {
			t.Errorf("parseOutput(%q) = %s, %v; want %s, %v", tt.in, Canon(v), ok, tt.want, tt.ok)
		}
	}
}

// FuzzParseOutput: a peer's standard output is outside bytes.
func FuzzParseOutput(f *testing.F) {
	f.Add("{\"method\":\"getClusterInfo\",\"ok\":true}\n{\"done\":true}\n")
	f.Add("1234 [main] INFO o.a.s.StormSubmitter - Finished\n")
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := parseOutput(s); ok {
			_, _ = Lookup(v, "/0/method")
			_ = Canon(v)
		}
	})
}
