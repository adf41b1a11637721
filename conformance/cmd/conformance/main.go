package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

func main() {
	os.Exit(run())
}

func run() int {
	caseRE := flag.String("case", "", "run only the cases whose names match this regular expression")
	results := flag.String("results", "", "report directory (default: conformance/results)")
	work := flag.String("work", "", "keep the cases' working directories here")
	timeout := flag.String("timeout", "25m", "go test -timeout")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root, err := moduleRoot(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	dir := *results
	if dir == "" {
		dir = filepath.Join(root, "conformance", "results")
	}
	if dir, err = filepath.Abs(dir); err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	pattern := "TestConformance"
	if *caseRE != "" {
		pattern += "/(" + *caseRE + ")"
	}
	args := []string{"test", "-count=1", "-v", "-timeout", *timeout, "-run", pattern, "./conformance", "-args", "-conformance.results=" + dir}
	if *work != "" {
		w, err := filepath.Abs(*work)
		if err != nil {
			fmt.Fprintln(os.Stderr, "conformance:", err)
			return 2
		}
		args = append(args, "-conformance.work="+w)
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	err = cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	summary(dir)
	return code
}

// moduleRoot is the directory of the go.mod this command belongs to.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run this inside Gale's module (no go.mod found)")
	}
	return filepath.Dir(mod), nil
}

// summary prints the report's counts and paths.
func summary(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "conformance: no report in %s: %v\n", dir, err)
		return
	}
	var r struct {
		Counts struct{ Pass, Fail, Gap, Skip int } `json:"counts"`
		Cases  []struct {
			Case, Peer, Status, Reason string
		} `json:"cases"`
		Coverage struct {
			Total  int      `json:"total"`
			Called []string `json:"called"`
		} `json:"nimbus_coverage"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		fmt.Fprintf(os.Stderr, "conformance: report.json: %v\n", err)
		return
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "\nConformance: %d passed, %d failed, %d known gaps, %d skipped; Nimbus methods called by Storm's clients: %d/%d\n",
		r.Counts.Pass, r.Counts.Fail, r.Counts.Gap, r.Counts.Skip, len(r.Coverage.Called), r.Coverage.Total)
	for _, c := range r.Cases {
		line := fmt.Sprintf("  %-5s %-34s %-16s", strings.ToUpper(c.Status), c.Case, c.Peer)
		if c.Reason != "" {
			line += " " + c.Reason
		}
		fmt.Fprintln(&out, strings.TrimRight(line, " "))
	}
	fmt.Fprintf(&out, "Report: %s\n", filepath.Join(dir, "report.md"))
	os.Stdout.Write(out.Bytes())
}
