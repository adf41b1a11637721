package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestWordCountDevMode runs `wordcount dev`, the README's first command:
// the Go word count on an embedded cluster inside its own process. It must
// print every word with its exact total and exit 0.
func TestWordCountDevMode(t *testing.T) {
	bin := build(t, t.TempDir(), "github.com/galeproject/gale/examples/wordcount")
	const repeat = 30
	p := start(t, "wordcount-dev", cleanEnv(t), bin, "dev", "-c", "nimbus.thrift.port=0",
		"-c", "wordcount.repeat="+strconv.Itoa(repeat))
	err, done := p.wait(60 * time.Second)
	if !done {
		t.Fatal("wordcount dev did not finish within 60s")
	}
	out := p.output()
	if err != nil {
		t.Fatalf("wordcount dev: %v\n%s", err, out)
	}
	want, total := expectedCounts(wordCountInput(t), repeat)
	if !strings.Contains(out, "All "+strconv.FormatInt(total, 10)+" words counted") ||
		!strings.Contains(out, "every total is exact") {
		t.Errorf("no exact-totals line in the output:\n%s", out)
	}
	// The table: "word count" pairs, four to a line.
	got := map[string]int64{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || len(f)%2 != 0 {
			continue
		}
		pairs := map[string]int64{}
		for i := 0; i < len(f); i += 2 {
			n, err := strconv.ParseInt(f[i+1], 10, 64)
			if err != nil {
				pairs = nil
				break
			}
			pairs[f[i]] = n
		}
		for w, n := range pairs {
			got[w] = n
		}
	}
	if err := diffCounts(got, want); err != nil {
		t.Errorf("printed table: %v\n%s", err, out)
	}
}

// TestExclamationDevMode runs the exclamation example's dev mode.
func TestExclamationDevMode(t *testing.T) {
	bin := build(t, t.TempDir(), "github.com/galeproject/gale/examples/exclamation")
	p := start(t, "exclamation-dev", cleanEnv(t), bin, "dev", "-c", "nimbus.thrift.port=0", "-c", "exclamation.repeat=4")
	err, done := p.wait(60 * time.Second)
	if !done {
		t.Fatal("exclamation dev did not finish within 60s")
	}
	out := p.output()
	if err != nil {
		t.Fatalf("exclamation dev: %v\n%s", err, out)
	}
	for _, w := range []string{"gale", "storm", "nimbus", "supervisor", "worker"} {
		if !strings.Contains(out, w+"!!!!!!") {
			t.Errorf("no %s!!!!!! in the output:\n%s", w, out)
		}
	}
	if !strings.Contains(out, "20 tuples went through both bolts.") {
		t.Errorf("output:\n%s", out)
	}
}
