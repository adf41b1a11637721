package conformance

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/galeproject/gale/stormthrift"
)

// RPCEvent is one line of the record RecordingTransportPlugin writes
// (java/gale/conformance/RecordingTransportPlugin.java): a message a Storm
// client class sent to a Nimbus, or the header of the reply it read.
type RPCEvent struct {
	Kind   string `json:"kind"`   // "call" or "reply"
	Peer   string `json:"peer"`   // $GALE_RPC_PEER of the JVM: the step label, or "storm-ui"
	Conn   string `json:"conn"`   // "<pid>.<n>": one Thrift connection
	Server string `json:"server"` // host:port the connection went to
	Method string `json:"method"`
	Reply  string `json:"reply,omitempty"` // REPLY or EXCEPTION (replies only)
}

// ParseRPCLog parses the record; malformed lines are errors.
func ParseRPCLog(b []byte) ([]RPCEvent, error) {
	var out []RPCEvent
	for i, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Fields(line)
		var ev RPCEvent
		switch {
		case len(f) == 5 && f[0] == "call":
			ev = RPCEvent{Kind: f[0], Peer: f[1], Conn: f[2], Server: f[3], Method: f[4]}
		case len(f) == 6 && f[0] == "reply":
			ev = RPCEvent{Kind: f[0], Peer: f[1], Conn: f[2], Server: f[3], Method: f[4], Reply: f[5]}
		default:
			return nil, fmt.Errorf("rpc record line %d: malformed %q", i+1, clip(line, 200))
		}
		out = append(out, ev)
	}
	return out, nil
}

// readRPCLog reads the record file; a missing file is an empty record.
func readRPCLog(path string) ([]RPCEvent, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseRPCLog(b)
}

// NimbusMethods lists every method of Storm 1.0.0's Nimbus service, from
// the generated processor (storm.thrift), sorted.
func NimbusMethods() []string {
	var out []string
	for name := range stormthrift.NewNimbusProcessor(nil).ProcessorMap() {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// RPCSummary is what the rpc-log step offers to checks.
type RPCSummary struct {
	// Calls are "host:port method" in order.
	Calls []string `json:"calls"`
	// Methods are the distinct methods called, sorted.
	Methods []string `json:"methods"`
	// Missing are Nimbus methods never called.
	Missing []string `json:"missing"`
	// Answered are the distinct methods that got a REPLY.
	Answered []string `json:"answered"`
	// Exceptions are calls answered with a TApplicationException.
	Exceptions []string `json:"exceptions"`
	// Unanswered are calls whose connection read no reply header for them.
	Unanswered []string `json:"unanswered"`
	// Peers are the distinct peers seen.
	Peers []string `json:"peers"`
}

// Summarize pairs calls with replies per connection (a Thrift client runs
// one call at a time on a connection) and summarizes, keeping only events
// of peer when it is not empty.
func Summarize(events []RPCEvent, peer string, all []string) RPCSummary {
	s := RPCSummary{Calls: []string{}, Methods: []string{}, Missing: []string{}, Answered: []string{},
		Exceptions: []string{}, Unanswered: []string{}, Peers: []string{}}
	pending := map[string][]RPCEvent{}
	methods, answered, peers := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, ev := range events {
		if peer != "" && ev.Peer != peer {
			continue
		}
		peers[ev.Peer] = true
		switch ev.Kind {
		case "call":
			s.Calls = append(s.Calls, ev.Server+" "+ev.Method)
			methods[ev.Method] = true
			pending[ev.Conn] = append(pending[ev.Conn], ev)
		case "reply":
			q := pending[ev.Conn]
			if len(q) == 0 || q[0].Method != ev.Method {
				s.Unanswered = append(s.Unanswered, "reply without call: "+ev.Method+" on "+ev.Conn)
				continue
			}
			pending[ev.Conn] = q[1:]
			if ev.Reply == "REPLY" {
				answered[ev.Method] = true
			} else {
				s.Exceptions = append(s.Exceptions, ev.Method+" ("+ev.Reply+")")
			}
		}
	}
	conns := make([]string, 0, len(pending))
	for c := range pending {
		conns = append(conns, c)
	}
	sort.Strings(conns)
	for _, c := range conns {
		for _, ev := range pending[c] {
			s.Unanswered = append(s.Unanswered, ev.Method+" on "+ev.Server+" ("+ev.Peer+")")
		}
	}
	s.Methods = sortedKeys(methods)
	s.Answered = sortedKeys(answered)
	s.Peers = sortedKeys(peers)
	for _, m := range all {
		if !methods[m] {
			s.Missing = append(s.Missing, m)
		}
	}
	return s
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// peerLabel is a step label as a record field (no spaces).
func peerLabel(s string) string { return strings.Join(strings.Fields(s), "_") }
