package conformance

import (
	"strings"
	"testing"
)

// TestLoadCases parses and validates every case file of the suite.
func TestLoadCases(t *testing.T) {
	cases, err := LoadCases("cases")
	if err != nil {
		t.Fatal(err)
	}
	peersSeen := map[string]bool{}
	for _, c := range cases {
		peersSeen[c.Peer] = true
		if c.KnownGap != "" && len(c.Steps) > 0 {
			t.Errorf("%s: a known gap with steps; the steps would never run", c.Name)
		}
	}
	for _, p := range peers {
		if !peersSeen[p] {
			t.Errorf("no case for peer %s", p)
		}
	}
}

func TestParseCaseRejects(t *testing.T) {
	const ok = "peer = \"storm-client\"\nsummary = \"s\"\n"
	tests := []struct {
		name, toml, want string
	}{
		{"unknown key", ok + "colour = 1\n[[step]]\nrun = \"sleep\"\nseconds = 1\n", "unknown keys: colour"},
		{"unknown peer", "peer = \"storm-drpc\"\nsummary = \"s\"\nknown_gap = \"x\"\n", "peer \"storm-drpc\""},
		{"no summary", "peer = \"storm-client\"\nknown_gap = \"x\"\n", "summary is required"},
		{"no steps", ok, "needs steps"},
		{"unknown run", ok + "[[step]]\nrun = \"ssh\"\n", "run \"ssh\""},
		{"storm command", ok + "[[step]]\nrun = \"storm\"\ncommand = \"nimbus\"\n", "not one of storm.py's client commands"},
		{"http without ui", ok + "[[step]]\nrun = \"http\"\nmethod = \"GET\"\npath = \"/\"\n", "cluster.ui = true"},
		{"browser without chromium", ok + "[cluster]\nui = true\n[[step]]\nrun = \"browser\"\npath = \"/\"\n", "requires = [\"chromium\"]"},
		{"two operations", ok + "[[step]]\nrun = \"gale\"\nrpc = \"getClusterInfo\"\n[[step.check]]\npath = \"/a\"\nequals = 1\nlen = 2\n", "exactly one operation"},
		{"no operation", ok + "[[step]]\nrun = \"gale\"\nrpc = \"getClusterInfo\"\n[[step.check]]\npath = \"/a\"\n", "exactly one operation"},
		{"bad toml", "peer = \n", "parse"},
		{"exec without program", ok + "[[step]]\nrun = \"exec\"\n", "needs program"},
		{"too many gale supervisors", ok + "[cluster]\ngale_supervisors = 3\n[[step]]\nrun = \"zk\"\n", "gale_supervisors = 3"},
		{"gale supervisors without nimbus", ok + "[cluster]\nnimbuses = 0\ngale_supervisors = 1\n[[step]]\nrun = \"zk\"\n", "need a nimbus"},
		{"unknown tool", ok + "requires = [\"lein\"]\n[[step]]\nrun = \"zk\"\n", "requires \"lein\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCase([]byte(tt.toml), "x")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	c, err := ParseCase([]byte(ok+"[[step]]\nrun = \"gale\"\nrpc = \"getClusterInfo\"\n"), "default-name")
	if err != nil || c.Name != "default-name" || c.Cluster.NimbusCount() != 1 {
		t.Errorf("ParseCase = %+v, %v", c, err)
	}
}

// FuzzParseCase: case files are ours, but the parser must never panic.
func FuzzParseCase(f *testing.F) {
	f.Add([]byte("peer = \"storm-client\"\nsummary = \"s\"\n[[step]]\nrun = \"sleep\"\nseconds = 1\n"))
	f.Add([]byte("[[step]]\n[[step.check]]\nequals = [1, {a = 2}]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseCase(b, "fuzz")
	})
}
