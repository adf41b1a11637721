package main

import (
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
