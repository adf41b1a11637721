package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/galeproject/gale/perf/internal/bench"
)

func TestMerge(t *testing.T) {
	prev := &bench.Results{
		Runners: []bench.RunnerStatus{{Name: "storm-cluster", Available: true}, {Name: "gale-dev", Reason: "pending"}},
		Runs: []bench.RunResult{
			{Runner: "storm-cluster", Topology: "noop", Workers: 1, Rate: "max", AckedPerSec: 1},
			{Runner: "storm-cluster", Topology: "multilang", Workers: 1, Rate: "max", AckedPerSec: 2},
			{Runner: "storm-cluster", Topology: "multilang", Workers: 1, Rate: "50%", AckedPerSec: 3},
		},
	}
	now := &bench.Results{
		Runners: []bench.RunnerStatus{{Name: "storm-cluster", Available: true}},
		Runs:    []bench.RunResult{{Runner: "storm-cluster", Topology: "multilang", Workers: 1, Rate: "max", AckedPerSec: 20}},
	}
	got := merge(prev, now)
	if len(got.Runners) != 2 || len(got.Runs) != 2 {
		t.Fatalf("runners %v runs %v", got.Runners, got.Runs)
	}
	if x, _ := got.Find("storm-cluster", "multilang", 1, "max"); x.AckedPerSec != 20 {
		t.Errorf("multilang max = %v", x.AckedPerSec)
	}
	if _, ok := got.Find("storm-cluster", "multilang", 1, "50%"); ok {
		t.Error("stale 50% run of a re-run case kept")
	}
	if _, ok := got.Find("storm-cluster", "noop", 1, "max"); !ok {
		t.Error("untouched case dropped")
	}
}

func TestPython2(t *testing.T) {
	bin, home := t.TempDir(), t.TempDir()
	script := func(path, major string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		text := "#!/bin/sh\ncase \"$1\" in -V) echo \"Python " + major + ".7.0\" >&2;; *) echo " + major + ";; esac\n"
		if major == "" { // a pyenv shim with no Python 2 selected
			text = "#!/bin/sh\necho 'pyenv: python2.7: command not found' >&2\nexit 127\n"
		}
		if err := os.WriteFile(path, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	t.Setenv("HOME", home)
	ctx := context.Background()

	if _, _, err := python2(ctx, ""); err == nil || !strings.Contains(err.Error(), "-python2 PATH") {
		t.Fatalf("nothing installed: %v", err)
	}
	script(filepath.Join(bin, "python2.7"), "") // failing shim
	script(filepath.Join(bin, "python2"), "3")  // not Python 2
	for _, v := range []string{"2.7.9", "2.7.18", "2.7.10"} {
		script(filepath.Join(home, ".pyenv", "versions", v, "bin", "python2.7"), "2")
	}
	got, version, err := python2(ctx, "")
	if want := filepath.Join(home, ".pyenv", "versions", "2.7.18", "bin", "python2.7"); err != nil || got != want {
		t.Fatalf("python2 = %q, %v; want %q", got, err, want)
	}
	if version != "Python 2.7.0" {
		t.Errorf("version %q", version)
	}
	script(filepath.Join(bin, "python2"), "2")
	if got, _, err := python2(ctx, ""); err != nil || got != filepath.Join(bin, "python2") {
		t.Fatalf("python2 on PATH: %q, %v", got, err)
	}
	if _, _, err := python2(ctx, filepath.Join(bin, "python2.7")); err == nil || !strings.Contains(err.Error(), "-python2") {
		t.Fatalf("explicit failing -python2: %v", err)
	}
}
