package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReport(t *testing.T) {
	results := []CaseResult{
		{Case: "a", Peer: "storm-client", Status: StatusPass, NimbusMethods: []string{"getClusterInfo"},
			Steps: []StepResult{{Step: "storm list", Run: "storm", OK: true, Checks: []CheckResult{{Check: "exit code == 0", OK: true, Got: "0"}}}}},
		{Case: "b", Peer: "streamparse", Status: StatusGap, Reason: "needs the worker runtime"},
		{Case: "c", Peer: "storm-ui", Status: StatusFail, Reason: "step 1 failed",
			Steps: []StepResult{{Step: "GET /x", Run: "http", Error: "checks failed", Stdout: "body | with pipe",
				Checks: []CheckResult{{Check: "HTTP status == 200", Got: "500 Internal Server Error"}}}}},
		{Case: "d", Peer: "chromium", Status: StatusSkip, Reason: "no chromium"},
	}
	r := NewReport(time.Now(), results)
	if r.Counts != (Counts{Pass: 1, Fail: 1, Gap: 1, Skip: 1}) {
		t.Errorf("counts %+v", r.Counts)
	}
	if len(r.Coverage.Called) != 1 || r.Coverage.Total != len(NimbusMethods()) || len(r.Coverage.Missing) != r.Coverage.Total-1 {
		t.Errorf("coverage %+v", r.Coverage)
	}
	dir := t.TempDir()
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| [b](#b) | streamparse | GAP (known) |", "| [a](#a) | storm-client | PASS |",
		"| [c](#c) | storm-ui | FAIL |", "✗ HTTP status == 200 (got: `500 Internal Server Error`)", "1 passed, 1 failed, 1 known gaps, 1 skipped"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
	var back Report
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &back); err != nil || back.Cases[1].Status != StatusGap {
		t.Errorf("report.json round trip: %v %+v", err, back.Cases)
	}
}
