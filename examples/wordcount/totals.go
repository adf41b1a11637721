package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Totals collects the counts of the count tasks running in this process
// (all of them in dev mode). Safe for concurrent use.
type Totals struct {
	mu     sync.Mutex
	byTask map[int32]map[string]int64
}

// NewTotals returns an empty Totals.
func NewTotals() *Totals { return &Totals{byTask: map[int32]map[string]int64{}} }

// Set replaces task's counts; the map now belongs to t.
func (t *Totals) Set(task int32, counts map[string]int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byTask[task] = counts
}

// Sum returns the total per word over all tasks.
func (t *Totals) Sum() map[string]int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	sum := map[string]int64{}
	for _, counts := range t.byTask {
		for w, n := range counts {
			sum[w] += n
		}
	}
	return sum
}

// Expected returns each word's occurrences in lines times repeat.
func Expected(lines []string, repeat int64) map[string]int64 {
	want := map[string]int64{}
	for _, l := range lines {
		for _, w := range strings.Fields(l) {
			want[w] += repeat
		}
	}
	return want
}

// Lines are the non-empty lines of the input text.
func Lines(text string) []string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// Diff describes how got differs from want ("" when equal).
func Diff(got, want map[string]int64) string {
	var d []string
	for _, w := range slices.Sorted(maps.Keys(want)) {
		if got[w] != want[w] {
			d = append(d, fmt.Sprintf("%s: %d, want %d", w, got[w], want[w]))
		}
	}
	for _, w := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[w]; !ok {
			d = append(d, fmt.Sprintf("%s: %d, want none", w, got[w]))
		}
	}
	return strings.Join(d, "; ")
}

// PrintTable prints the counts, largest first, in columns.
func PrintTable(w io.Writer, counts map[string]int64) {
	words := slices.Collect(maps.Keys(counts))
	slices.SortFunc(words, func(a, b string) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	const cols = 4
	rows := (len(words) + cols - 1) / cols
	for r := range rows {
		var line strings.Builder
		for c := range cols {
			i := c*rows + r
			if i < len(words) {
				fmt.Fprintf(&line, "%-12s %5d    ", words[i], counts[words[i]])
			}
		}
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
	}
}
