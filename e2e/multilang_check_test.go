package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// wordFlowWords are the words the sink may see: TestWordSpout's words,
// upper-cased by the Node.js bolt, with the Python bolt's "!".
func wordFlowWords() map[string]bool {
	out := map[string]bool{}
	for _, w := range []string{"nathan", "mike", "jackson", "golda", "bertels"} {
		out[strings.ToUpper(w)+"!"] = true
	}
	return out
}

// readLines returns the complete (newline-terminated) lines of a file,
// split into fields; a file being appended to may end in a partial line.
// A missing file has no lines.
func readLines(path string) ([][]string, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[:i+1]
	} else {
		b = nil
	}
	var out [][]string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		out = append(out, strings.Fields(sc.Text()))
	}
	return out, sc.Err()
}

// flowResult is what the word flow's sink wrote: every count it saw of
// each word, in order.
type flowResult struct {
	seqs  map[string][]int64
	lines int
}

// readFlow reads the sink-<task>.txt files under dir.
func readFlow(dir string) (flowResult, error) {
	r := flowResult{seqs: map[string][]int64{}}
	files, err := filepath.Glob(filepath.Join(dir, "sink-*.txt"))
	if err != nil {
		return r, err
	}
	for _, f := range files {
		lines, err := readLines(f)
		if err != nil {
			return r, err
		}
		for _, l := range lines {
			if len(l) != 2 {
				return r, fmt.Errorf("%s: line %q is not \"word count\"", f, strings.Join(l, " "))
			}
			n, err := strconv.ParseInt(l[1], 10, 64)
			if err != nil {
				return r, fmt.Errorf("%s: count in %q: %w", f, strings.Join(l, " "), err)
			}
			r.seqs[l[0]] = append(r.seqs[l[0]], n)
			r.lines++
		}
	}
	return r, nil
}

// check verifies the invariants of a correct run: only the five
// transformed words, and for each word the counts 1, 2, ..., n in order
// (TestWordCounter counts each word in one task, and the sink gets that
// task's tuples in order; a missing, repeated or reordered count would
// show a lost, replayed or misrouted tuple).
func (r flowResult) check() error {
	allowed := wordFlowWords()
	for _, w := range slices.Sorted(maps.Keys(r.seqs)) {
		if !allowed[w] {
			return fmt.Errorf("the sink saw word %q; want only %v", w, slices.Sorted(maps.Keys(allowed)))
		}
		for i, n := range r.seqs[w] {
			if n != int64(i+1) {
				return fmt.Errorf("counts of %s are %v: count %d where %d belongs", w, head(r.seqs[w], 20), n, i+1)
			}
		}
	}
	return nil
}

// complete reports whether the sink saw at least min lines and every word.
func (r flowResult) complete(min int) error {
	if r.lines < min || len(r.seqs) < len(wordFlowWords()) {
		return fmt.Errorf("%d sink lines (want %d), words %v", r.lines, min, slices.Sorted(maps.Keys(r.seqs)))
	}
	return nil
}

func (r flowResult) String() string {
	var b strings.Builder
	for _, w := range slices.Sorted(maps.Keys(r.seqs)) {
		fmt.Fprintf(&b, "%s %d, ", w, len(r.seqs[w]))
	}
	return fmt.Sprintf("%d lines: %s", r.lines, strings.TrimSuffix(b.String(), ", "))
}

func head[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// chaosFiles are the records of one chaos topology (resources/source.py,
// resources/chaos.py): ids with the pid of the process that wrote them.
type chaosFiles struct {
	starts    [][2]int // spout pid, its worker's pid, per spout start
	emitted   [][2]int // id, spout pid
	acked     [][2]int // id, spout pid
	processed [][2]int // id, bolt pid
}

func readChaos(dir string) (chaosFiles, error) {
	var c chaosFiles
	for name, into := range map[string]*[][2]int{"starts": &c.starts, "emitted": &c.emitted, "acked": &c.acked, "processed": &c.processed} {
		lines, err := readLines(filepath.Join(dir, name))
		if err != nil {
			return c, err
		}
		for _, l := range lines {
			if len(l) != 2 {
				return c, fmt.Errorf("%s: line %q", name, strings.Join(l, " "))
			}
			a, err1 := strconv.Atoi(l[0])
			b, err2 := strconv.Atoi(l[1])
			if err1 != nil || err2 != nil {
				return c, fmt.Errorf("%s: line %q", name, strings.Join(l, " "))
			}
			*into = append(*into, [2]int{a, b})
		}
	}
	return c, nil
}

// ackedIDs counts the acks of each id.
func (c chaosFiles) ackedIDs() map[int]int {
	out := map[int]int{}
	for _, a := range c.acked {
		out[a[0]]++
	}
	return out
}

// allAcked reports whether every id in 0..n-1 was acked.
func (c chaosFiles) allAcked(n int) error {
	got := c.ackedIDs()
	var missing []int
	for i := range n {
		if got[i] == 0 {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%d of %d ids acked; missing %v", n-len(missing), n, missing)
	}
	return nil
}

// emissions counts the emits of id.
func (c chaosFiles) emissions(id int) int {
	n := 0
	for _, e := range c.emitted {
		if e[0] == id {
			n++
		}
	}
	return n
}

// workerPIDsOfSpouts are the distinct worker pids the spout ran under, in
// start order.
func (c chaosFiles) workerPIDsOfSpouts() []int {
	var out []int
	for _, s := range c.starts {
		if !slices.Contains(out, s[1]) {
			out = append(out, s[1])
		}
	}
	return out
}

// inFlightAtFirstDeath are the ids the first spout emitted and did not
// see acked: in flight when its worker died.
func (c chaosFiles) inFlightAtFirstDeath() []int {
	if len(c.starts) == 0 {
		return nil
	}
	first := c.starts[0][0]
	acked := map[int]bool{}
	for _, a := range c.acked {
		if a[1] == first {
			acked[a[0]] = true
		}
	}
	var out []int
	for _, e := range c.emitted {
		if e[1] == first && !acked[e[0]] && !slices.Contains(out, e[0]) {
			out = append(out, e[0])
		}
	}
	return out
}

// procCmdline is the command line of a live process, or nil.
func procCmdline(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
}

// procParent is the parent pid of a live process, or 0.
func procParent(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.FieldsFunc(string(b[i+1:]), unicode.IsSpace)
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}
