package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Report is the whole run, written as report.json and report.md.
type Report struct {
	Suite    string       `json:"suite"`
	Started  time.Time    `json:"started"`
	Duration float64      `json:"duration_secs"`
	Java     string       `json:"java,omitempty"`
	Chromium string       `json:"chromium,omitempty"`
	Counts   Counts       `json:"counts"`
	Cases    []CaseResult `json:"cases"`
	// Coverage: the Nimbus methods that Storm 1.0.0's own client classes
	// called over the cases of this run (from the RPC record).
	Coverage Coverage `json:"nimbus_coverage"`
}

// Counts by status.
type Counts struct {
	Pass, Fail, Gap, Skip int
}

// Coverage of the Nimbus service.
type Coverage struct {
	Total   int      `json:"total"`
	Called  []string `json:"called"`
	Missing []string `json:"missing"`
}

// NewReport summarizes results.
func NewReport(started time.Time, results []CaseResult) Report {
	r := Report{Suite: "Gale conformance against Storm 1.0.0 peers", Started: started.UTC(),
		Duration: time.Since(started).Seconds(), Cases: results}
	called := map[string]bool{}
	for _, c := range results {
		switch c.Status {
		case StatusPass:
			r.Counts.Pass++
		case StatusFail:
			r.Counts.Fail++
		case StatusGap:
			r.Counts.Gap++
		case StatusSkip:
			r.Counts.Skip++
		}
		for _, m := range c.NimbusMethods {
			called[m] = true
		}
	}
	all := NimbusMethods()
	r.Coverage.Total = len(all)
	r.Coverage.Called, r.Coverage.Missing = []string{}, []string{}
	for _, m := range all {
		if called[m] {
			r.Coverage.Called = append(r.Coverage.Called, m)
		} else {
			r.Coverage.Missing = append(r.Coverage.Missing, m)
		}
	}
	return r
}

// Write puts report.json and report.md into dir.
func (r Report) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "report.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "report.md"), []byte(r.Markdown()), 0o644)
}

var statusMark = map[string]string{StatusPass: "PASS", StatusFail: "FAIL", StatusGap: "GAP (known)", StatusSkip: "SKIPPED"}

// Markdown renders the report for people.
func (r Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.Suite)
	fmt.Fprintf(&b, "Run %s, %.0f s. ", r.Started.Format(time.RFC3339), r.Duration)
	if r.Java != "" {
		fmt.Fprintf(&b, "Java: %s. ", r.Java)
	}
	if r.Chromium != "" {
		fmt.Fprintf(&b, "Chromium: %s. ", r.Chromium)
	}
	fmt.Fprintf(&b, "\n\n**%d passed, %d failed, %d known gaps, %d skipped.** A known gap is a case that cannot run yet; it is never counted as a pass.\n\n",
		r.Counts.Pass, r.Counts.Fail, r.Counts.Gap, r.Counts.Skip)
	fmt.Fprintf(&b, "Nimbus methods called by Storm 1.0.0's own client classes in this run: **%d of %d**", len(r.Coverage.Called), r.Coverage.Total)
	if len(r.Coverage.Missing) > 0 {
		fmt.Fprintf(&b, " (not called: %s)", strings.Join(r.Coverage.Missing, ", "))
	}
	b.WriteString(".\n\n| case | peer | status | time | evidence |\n|---|---|---|---|---|\n")
	for _, c := range r.Cases {
		ev := c.Reason
		if c.Status == StatusPass {
			ev = fmt.Sprintf("%d steps, %d checks", len(c.Steps), countChecks(c))
		}
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %.1f s | %s |\n", c.Case, anchor(c.Case), c.Peer, statusMark[c.Status], c.Duration, mdCell(ev))
	}
	for _, c := range r.Cases {
		fmt.Fprintf(&b, "\n## %s\n\n%s — peer `%s`, file `cases/%s`: **%s**", c.Case, c.Summary, c.Peer, c.File, statusMark[c.Status])
		if c.Reason != "" {
			fmt.Fprintf(&b, " — %s", c.Reason)
		}
		b.WriteString("\n")
		if len(c.NimbusMethods) > 0 {
			fmt.Fprintf(&b, "\nNimbus methods Storm's clients called: %s.\n", strings.Join(c.NimbusMethods, ", "))
		}
		for i, s := range c.Steps {
			mark := "ok"
			if !s.OK {
				mark = "FAILED"
			}
			fmt.Fprintf(&b, "\n%d. **%s** (`%s`, %.1f s", i+1, s.Step, s.Run, s.Duration)
			if s.Attempts > 1 {
				fmt.Fprintf(&b, ", %d attempts", s.Attempts)
			}
			fmt.Fprintf(&b, "): %s\n", mark)
			if s.Command != "" {
				fmt.Fprintf(&b, "   - command: `%s`\n", clip(strings.ReplaceAll(s.Command, "`", "'"), 1500))
			}
			if s.Error != "" && s.Error != "checks failed" {
				fmt.Fprintf(&b, "   - error: %s\n", mdCell(clip(s.Error, 1500)))
			}
			for _, ch := range s.Checks {
				m := "✓"
				if !ch.OK {
					m = "✗"
				}
				fmt.Fprintf(&b, "   - %s %s", m, mdCell(ch.Check))
				if ch.Got != "" && (!ch.OK || len(ch.Got) < 120) {
					fmt.Fprintf(&b, " (got: `%s`)", clip(strings.ReplaceAll(strings.ReplaceAll(ch.Got, "`", "'"), "\n", " "), 300))
				}
				if ch.Note != "" {
					fmt.Fprintf(&b, " — %s", ch.Note)
				}
				b.WriteString("\n")
			}
			if len(s.Captured) > 0 {
				keys := make([]string, 0, len(s.Captured))
				for k := range s.Captured {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				var parts []string
				for _, k := range keys {
					parts = append(parts, fmt.Sprintf("%s=`%s`", k, s.Captured[k]))
				}
				fmt.Fprintf(&b, "   - captured: %s\n", strings.Join(parts, ", "))
			}
			if s.Screenshot != "" {
				fmt.Fprintf(&b, "   - screenshot: [%s](%s)\n\n     ![%s](%s)\n", s.Screenshot, s.Screenshot, s.Step, s.Screenshot)
			}
			if !s.OK && (s.Stdout != "" || s.Stderr != "") {
				fmt.Fprintf(&b, "\n   ```\n%s\n   ```\n", indent(clip(strings.TrimSpace(s.Stdout+"\n"+s.Stderr), 4000), "   "))
			}
		}
		if len(c.Logs) > 0 {
			b.WriteString("\nLogs: ")
			for i, l := range c.Logs {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "[%s](%s)", l, l)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func countChecks(c CaseResult) int {
	n := 0
	for _, s := range c.Steps {
		n += len(s.Checks)
	}
	return n
}

func anchor(s string) string { return strings.ToLower(s) }

func mdCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ")
}

func indent(s, pre string) string {
	return pre + strings.ReplaceAll(s, "\n", "\n"+pre)
}
