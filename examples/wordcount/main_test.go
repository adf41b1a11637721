package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/storm/cli"
)

// TestWordCountLocal runs the word count on an embedded cluster in this
// process (two supervisors, two workers) and checks that every total is
// exact, in the in-process Totals and in the files of wordcount.output.dir,
// and that getTopologyInfo counts every line acked.
func TestWordCountLocal(t *testing.T) {
	totals := NewTotals()
	out := t.TempDir()
	const repeat = 15
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	l, err := cli.StartLocal(ctx, wordCount(totals), cli.LocalOptions{
		ClusterConf: conf.Conf{conf.NimbusThriftPort: int64(0)},
		Overrides:   conf.Conf{confRepeat: int64(repeat), confOutputDir: out},
		Supervisors: 2, Slots: 2,
		Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	lines := Lines(inputText)
	want := Expected(lines, repeat)
	waitFor(t, ctx, "exact in-process totals", func() string { return Diff(totals.Sum(), want) })
	waitFor(t, ctx, "exact totals in the output files", func() string { return Diff(readCounts(t, out), want) })

	var words int64
	for _, n := range want {
		words += n
	}
	waitFor(t, ctx, "acked counts in getTopologyInfo", func() string {
		info, err := l.Info(ctx)
		if err != nil {
			return err.Error()
		}
		c := cli.CountsOf(info)
		if c.Workers != 2 || c.Acked != int64(len(lines)*repeat) || c.Failed != 0 || c.BoltAcked != int64(len(lines)*repeat)+words {
			return c.String()
		}
		return ""
	})
}

// readCounts sums the counts-<task>.json files of dir.
func readCounts(t *testing.T, dir string) map[string]int64 {
	sum := map[string]int64{}
	files, _ := filepath.Glob(filepath.Join(dir, "counts-*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]int64
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for w, n := range m {
			sum[w] += n
		}
	}
	return sum
}

// waitFor polls check until it returns "" and fails with its last answer
// when ctx ends.
func waitFor(t *testing.T, ctx context.Context, what string, check func() string) {
	t.Helper()
	for {
		last := check()
		if last == "" {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: %s", what, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func TestExpectedAndTable(t *testing.T) {
	lines := Lines("a b a\n\n c \n")
	want := map[string]int64{"a": 6, "b": 3, "c": 3}
	if d := Diff(Expected(lines, 3), want); d != "" {
		t.Fatal(d)
	}
	var b strings.Builder
	PrintTable(&b, want)
	if got := b.String(); got != "a                6    b                3    c                3\n" {
		t.Errorf("table %q", got)
	}
}

// testLogger logs to t until the test ends.
func testLogger(t *testing.T) *slog.Logger { return testutil.Logger(t, slog.LevelWarn) }
