package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/galeproject/gale/stormthrift"
)

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{nil, 255, "Commands:", ""},
		{[]string{"-c", "a=1"}, 255, "Commands:", ""},
		{[]string{"frobnicate", "x"}, 254, "Unknown command: [storm frobnicate x]", ""},
		{[]string{"ui"}, 1, "", "Gale does not provide it"},
		{[]string{"supervisor", "extra"}, 2, "", "unexpected arguments"},
		{[]string{"worker", "a", "b"}, 2, "", "Syntax: [storm worker <storm-id>"},
		{[]string{"kill"}, 2, "", "Syntax: [storm kill"},
		{[]string{"activate"}, 2, "", "Syntax: [storm activate"},
		{[]string{"deactivate", "a", "b"}, 2, "", "Syntax: [storm deactivate"},
		{[]string{"rebalance", "t", "-e", "bad"}, 2, "", "COMPONENT=NUMBER"},
		{[]string{"list", "-c"}, 2, "", "-c needs a value"},
		{[]string{"version"}, 0, "Storm 1.0.0\nGale ", ""},
		{[]string{"help", "kill"}, 0, "storm kill: kill topology-name", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			a := &app{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
			if code := a.run(context.Background(), tt.args); code != tt.code {
				t.Errorf("code %d, want %d (stdout %q, stderr %q)", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stdout %q stderr %q; want %q / %q", stdout.String(), stderr.String(), tt.stdout, tt.stderr)
			}
		})
	}
}

func TestWriteTopologyList(t *testing.T) {
	var b bytes.Buffer
	writeTopologyList(&b, nil)
	if b.String() != "No topologies running.\n" {
		t.Errorf("empty: %q", b.String())
	}
	b.Reset()
	writeTopologyList(&b, []*stormthrift.TopologySummary{
		{Name: "word-count", Status: "ACTIVE", NumTasks: 28, NumWorkers: 3, UptimeSecs: 125},
		{Name: "a-very-long-topology-name", Status: "REBALANCING", NumTasks: 1, NumWorkers: 567890123, UptimeSecs: 0},
	})
	// Java's String.format("%-20s %-10s %-10s %-12s %-10s") pads with
	// trailing spaces and never truncates.
	want := "" +
		"Topology_name        Status     Num_tasks  Num_workers  Uptime_secs\n" +
		"-------------------------------------------------------------------\n" +
		"word-count           ACTIVE     28         3            125       \n" +
		"a-very-long-topology-name REBALANCING 1          567890123    0         \n"
	if b.String() != want {
		t.Errorf("list output\n got %q\nwant %q", b.String(), want)
	}
}
