package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// wordCountInput are the lines of the word count's input.txt.
func wordCountInput(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../examples/wordcount/input.txt")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// expectedCounts is each word's count in lines times repeat.
func expectedCounts(lines []string, repeat int64) (map[string]int64, int64) {
	want := map[string]int64{}
	var total int64
	for _, l := range lines {
		for _, w := range strings.Fields(l) {
			want[w] += repeat
			total += repeat
		}
	}
	return want, total
}

// readCounts sums the counts-<task>.json files the count tasks write.
func readCounts(dir string) (map[string]int64, error) {
	sum := map[string]int64{}
	files, err := filepath.Glob(filepath.Join(dir, "counts-*.json"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]int64
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for w, n := range m {
			sum[w] += n
		}
	}
	return sum, nil
}

// diffCounts describes how got differs from want (nil when equal).
func diffCounts(got, want map[string]int64) error {
	var d []string
	for _, w := range slices.Sorted(maps.Keys(want)) {
		if got[w] != want[w] {
			d = append(d, fmt.Sprintf("%s=%d (want %d)", w, got[w], want[w]))
		}
	}
	for _, w := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[w]; !ok {
			d = append(d, fmt.Sprintf("%s=%d (want none)", w, got[w]))
		}
	}
	if len(d) == 0 {
		return nil
	}
	if len(d) > 8 {
		d = append(d[:8], fmt.Sprintf("... %d more", len(d)-8))
	}
	return fmt.Errorf("counts differ: %s", strings.Join(d, ", "))
}
