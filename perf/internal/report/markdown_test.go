package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/galeproject/gale/perf/internal/bench"
)

func TestMarkdown(t *testing.T) {
	r := &bench.Results{
		Machine: bench.Machine{CPUModel: "Test CPU", Cores: 2, Python: "Python 2.7.18"},
		Skipped: []bench.Skipped{{Topology: "multilang-py", Reason: "no Python 2 interpreter"}},
		Runners: []bench.RunnerStatus{
			{Name: "storm-cluster", System: "storm", Available: true},
			{Name: "gale-cluster", System: "gale", Available: true},
			{Name: "gale-dev", System: "gale", Reason: bench.ErrPending.Error() + ": no runtime"},
		},
		Runs: []bench.RunResult{
			{Runner: "storm-cluster", Topology: "noop", Workers: 1, Rate: "max", AckedPerSec: 100000},
			{Runner: "gale-cluster", Topology: "noop", Workers: 1, Rate: "max", AckedPerSec: 250000},
			{Runner: "storm-cluster", Topology: "noop", Workers: 1, Rate: "50%", P50Ms: 4, P99Ms: 8, SubmitToFirstAckSecs: 10},
			{Runner: "gale-cluster", Topology: "noop", Workers: 1, Rate: "50%", P50Ms: 1, P99Ms: 2, SubmitToFirstAckSecs: 1},
			{Runner: "storm-cluster", Topology: "wordcount", Workers: 2, Rate: "25%", Offered: 5000, AckedPerSec: 4999, P50Ms: 3, P99Ms: 9},
			{Runner: "gale-cluster", Topology: "wordcount", Workers: 2, Rate: "25%", Error: "boom\nstack"},
			{Runner: "storm-cluster", Topology: "multilang-py", Workers: 1, Rate: "max", AckedPerSec: 2000},
			{Runner: "gale-cluster", Topology: "multilang-py", Workers: 1, Rate: "max", AckedPerSec: 3000},
			{Runner: "storm-cluster", Topology: "multilang", Workers: 1, Rate: "max", AckedPerSec: 4000},
		},
	}
	var b bytes.Buffer
	if err := Markdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Test CPU, 2 cores",
		"| `noop` | 1 | 100,000 | — | pending | 250,000 | 2.50× | — |",
		"| `noop` | 1 | 4.00 / 8.00 | — | pending | 1.00 / 2.00 | 0.25× | — |",
		"| 2 | 25% of max | 5,000 | 4,999 · 3.00 / 9.00 | — | pending | error |",
		"gale-cluster `wordcount` 2 worker(s) at 25%: boom\n",
		"Node.js ; Python 2.7.18 (multilang-py).",
		"- `multilang-py`: no Python 2 interpreter\n",
		"| `multilang` | 1 | 4,000 | — | pending | — | — | — |\n| `multilang-py` | 1 | 2,000 | — | pending | 3,000 | 1.50× | — |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}
