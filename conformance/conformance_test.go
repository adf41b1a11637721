package conformance

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/stormjava"
	"github.com/galeproject/gale/internal/zktest"
)

var (
	resultsFlag = flag.String("conformance.results", "", "directory for report.json, report.md, screenshots and logs (default: results/ in this package)")
	workFlag    = flag.String("conformance.work", "", "keep the cases' working directories (daemon logs, RPC records, confs) here instead of a temporary directory")
)

// TestConformance runs every case in cases/ against real Storm 1.0.0
// peers; `-run 'TestConformance/<case>'` runs one. See README.md.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("the conformance suite starts ZooKeeper, Nimbus processes, JVMs and Chromium")
	}
	cases, err := LoadCases("cases")
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	env := setupEnv(t)
	ctx, cancel := suiteContext(t)
	defer cancel()

	var results []CaseResult
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			res := env.RunCase(ctx, c)
			results = append(results, res)
			for i, s := range res.Steps {
				t.Logf("step %d %s (%s): ok=%v %.1fs", i+1, s.Step, s.Run, s.OK, s.Duration)
				for _, ch := range s.Checks {
					if !ch.OK {
						t.Logf("    ✗ %s (got %s)", ch.Check, ch.Got)
					}
				}
				if !s.OK {
					t.Logf("    command: %s\n    error: %s\n    stdout: %s\n    stderr: %s", s.Command, s.Error, tail(s.Stdout, 3000), tail(s.Stderr, 3000))
				}
			}
			switch res.Status {
			case StatusGap:
				t.Skipf("known gap: %s", res.Reason)
			case StatusSkip:
				t.Skip(res.Reason)
			case StatusFail:
				t.Errorf("%s (peer %s) failed: %s; logs: %v", res.Case, res.Peer, res.Reason, res.Logs)
			}
		})
	}
	rep := NewReport(started, results)
	rep.Java = firstLine(exec.Command(env.Java, "-version"), true)
	if env.Chromium != "" {
		rep.Chromium = firstLine(exec.Command(env.Chromium, "--version"), false)
	}
	if err := rep.Write(env.Results); err != nil {
		t.Errorf("write report: %v", err)
	}
	t.Logf("report: %s (%d passed, %d failed, %d known gaps, %d skipped; Nimbus methods called by Storm's clients: %d/%d)",
		filepath.Join(env.Results, "report.md"), rep.Counts.Pass, rep.Counts.Fail, rep.Counts.Gap, rep.Counts.Skip,
		len(rep.Coverage.Called), rep.Coverage.Total)
}

// suiteContext ends a little before the test binary's deadline.
func suiteContext(t *testing.T) (context.Context, context.CancelFunc) {
	if d, ok := t.Deadline(); ok {
		return context.WithDeadline(context.Background(), d.Add(-30*time.Second))
	}
	return context.WithTimeout(context.Background(), 30*time.Minute)
}

// setupEnv builds and starts what every case shares.
func setupEnv(t *testing.T) *Env {
	t.Helper()
	cp := stormjava.Classpath(t)
	var jars []string
	for _, p := range filepath.SplitList(cp) {
		if strings.HasSuffix(p, ".jar") {
			jars = append(jars, p)
		}
	}
	classes := stormjava.Compile(t, "java", cp)
	scratch := t.TempDir()
	public, err := UIPublicDir(filepath.Join(scratch, "storm-ui"))
	if err != nil {
		t.Fatalf("Storm UI front end: %v", err)
	}
	if public == "" {
		t.Logf("no Storm UI 1.0.0 front end (set %s or %s): the browser case is a known gap", UIPublicEnv, StormGitEnv)
	}
	if *workFlag != "" {
		if scratch, err = filepath.Abs(*workFlag); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(scratch); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(scratch, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	stormDir := filepath.Join(scratch, "apache-storm-1.0.0")
	topoJar, err := Release(stormDir, jars, classes, public)
	if err != nil {
		t.Fatalf("release dir: %v", err)
	}
	bin := filepath.Join(scratch, "storm")
	build := exec.Command(goTool(), "build", "-o", bin, "../cmd/storm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/storm: %v\n%s", err, out)
	}
	java := "java"
	if h := os.Getenv("JAVA_HOME"); h != "" {
		java = filepath.Join(h, "bin", "java")
	}
	results := *resultsFlag
	if results == "" {
		results = "results"
	}
	if results, err = filepath.Abs(results); err != nil {
		t.Fatal(err)
	}
	for _, old := range []string{"report.json", "report.md", "screenshots", "logs"} {
		if err := os.RemoveAll(filepath.Join(results, old)); err != nil {
			t.Fatal(err)
		}
	}
	work := filepath.Join(scratch, "cases")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return &Env{
		TestData:           testdata,
		StreamparseVenv:    StreamparseVenv(),
		RequireStreamparse: os.Getenv("GALE_REQUIRE_STREAMPARSE") == "1",
		StormBin:           bin,
		Java:               java,
		StormDir:           stormDir,
		TopologyJar:        topoJar,
		ZKServers:          zktest.Start(t),
		Chromium:           findChromium(),
		UIPublic:           public,
		RequireBrowser:     os.Getenv("GALE_REQUIRE_BROWSER") == "1",
		Results:            results,
		Work:               work,
	}
}

// goTool is the go command that runs this test.
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// firstLine runs cmd and returns the first line of its output (stderr
// when fromStderr, as `java -version` prints there).
func firstLine(cmd *exec.Cmd, fromStderr bool) string {
	var out []byte
	var err error
	if fromStderr {
		out, err = cmd.CombinedOutput()
	} else {
		out, err = cmd.Output()
	}
	if err != nil {
		return fmt.Sprintf("unknown (%v)", err)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}
