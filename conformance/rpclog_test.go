package conformance

import (
	"slices"
	"strings"
	"testing"
)

func TestNimbusMethods(t *testing.T) {
	m := NimbusMethods()
	if len(m) != 42 {
		t.Errorf("%d Nimbus methods, want the 42 of storm.thrift 1.0.0: %v", len(m), m)
	}
	for _, want := range []string{"submitTopology", "getClusterInfo", "beginFileDownload", "getTopologyHistory", "createStateInZookeeper"} {
		if !slices.Contains(m, want) {
			t.Errorf("missing %s", want)
		}
	}
}

func TestSummarize(t *testing.T) {
	log := strings.Join([]string{
		"call list 10.1 127.0.0.1:7000 getClusterInfo",
		"reply list 10.1 127.0.0.1:7000 getClusterInfo REPLY",
		"call list 10.2 127.0.0.1:7001 getClusterInfo",
		"call storm-ui 11.1 localhost:7001 getNimbusConf",
		"reply list 10.2 127.0.0.1:7001 getClusterInfo REPLY",
		"reply storm-ui 11.1 localhost:7001 getNimbusConf EXCEPTION",
		"call storm-ui 11.2 localhost:7001 killTopology",
		"",
	}, "\n")
	evs, err := ParseRPCLog([]byte(log))
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"getClusterInfo", "getNimbusConf", "killTopology", "activate"}
	s := Summarize(evs, "", all)
	check := func(name string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	check("calls", s.Calls, []string{"127.0.0.1:7000 getClusterInfo", "127.0.0.1:7001 getClusterInfo", "localhost:7001 getNimbusConf", "localhost:7001 killTopology"})
	check("methods", s.Methods, []string{"getClusterInfo", "getNimbusConf", "killTopology"})
	check("missing", s.Missing, []string{"activate"})
	check("answered", s.Answered, []string{"getClusterInfo"})
	check("exceptions", s.Exceptions, []string{"getNimbusConf (EXCEPTION)"})
	check("unanswered", s.Unanswered, []string{"killTopology on localhost:7001 (storm-ui)"})
	check("peers", s.Peers, []string{"list", "storm-ui"})

	s = Summarize(evs, "list", all)
	check("list calls", s.Calls, []string{"127.0.0.1:7000 getClusterInfo", "127.0.0.1:7001 getClusterInfo"})
	check("list unanswered", s.Unanswered, []string{})
	if _, err := ParseRPCLog([]byte("call only three\n")); err == nil {
		t.Error("malformed line accepted")
	}
}

// FuzzParseRPCLog: the record is written by JVMs.
func FuzzParseRPCLog(f *testing.F) {
	f.Add([]byte("call p 1.1 h:1 getClusterInfo\nreply p 1.1 h:1 getClusterInfo REPLY\n"))
	f.Add([]byte("reply p 1.1 h:1 x REPLY\nreply p 1.1 h:1 x REPLY\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		evs, err := ParseRPCLog(b)
		if err == nil {
			_ = Summarize(evs, "", NimbusMethods())
		}
	})
}
