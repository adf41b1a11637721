package metrics

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Report is one line of a spout's metrics file.
type Report struct {
	T          int64            `json:"t"`
	Task       int              `json:"task"`
	PID        int              `json:"pid"`
	Emitted    int64            `json:"emitted"`
	Acked      int64            `json:"acked"`
	Failed     int64            `json:"failed"`
	FirstAckMs int64            `json:"first_ack_ms"`
	LatSumUs   int64            `json:"lat_sum_us"`
	Lat        map[string]int64 `json:"lat"`
}

// Time is the report's wall-clock time.
func (r Report) Time() time.Time { return time.UnixMilli(r.T) }

// Hist decodes the report's interval histogram.
func (r Report) Hist() (*Hist, error) {
	h := NewHist()
	for k, v := range r.Lat {
		idx, err := strconv.Atoi(k)
		if err != nil || idx < 0 || idx > 4096 || v < 0 {
			return nil, fmt.Errorf("metrics: bad histogram bucket %q=%d", k, v)
		}
		h.Counts[idx] += v
	}
	h.SumMicros = r.LatSumUs
	return h, nil
}

// Ready is a component instance's ready event.
type Ready struct {
	Event     string `json:"event"`
	Component string `json:"component"`
	Task      int    `json:"task"`
	PID       int    `json:"pid"`
	Ms        int64  `json:"ms"`
}

// ParseReports parses JSON lines. An incomplete last line (a writer mid-write) is ignored;
// any other bad line is an error.
func ParseReports(data []byte) ([]Report, error) {
	var out []Report
	lines := bytes.Split(data, []byte{'\n'})
	for i, line := range lines {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var r Report
		if err := json.Unmarshal(line, &r); err != nil {
			if i == len(lines)-1 {
				break // partial trailing line
			}
			return nil, fmt.Errorf("metrics: line %d: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// Snapshot is everything the topology wrote to a metrics directory.
type Snapshot struct {
	Reports map[int][]Report // by spout task, in file order
	Ready   []Ready
}

// ReadDir reads a metrics directory (missing directory: empty snapshot).
func ReadDir(dir string) (Snapshot, error) {
	s := Snapshot{Reports: map[int][]Report{}}
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("metrics: %w", err)
	}
	for _, e := range ents {
		name := e.Name()
		path := filepath.Join(dir, name)
		switch {
		case strings.HasPrefix(name, "spout-") && strings.HasSuffix(name, ".jsonl"):
			b, err := os.ReadFile(path)
			if err != nil {
				return s, fmt.Errorf("metrics: %w", err)
			}
			rs, err := ParseReports(b)
			if err != nil {
				return s, fmt.Errorf("%s: %w", name, err)
			}
			for _, r := range rs {
				s.Reports[r.Task] = append(s.Reports[r.Task], r)
			}
		case strings.HasPrefix(name, "ready-") && strings.HasSuffix(name, ".json"):
			b, err := os.ReadFile(path)
			if err != nil {
				return s, fmt.Errorf("metrics: %w", err)
			}
			var r Ready
			if err := json.Unmarshal(bytes.TrimSpace(b), &r); err != nil {
				continue // being written
			}
			s.Ready = append(s.Ready, r)
		}
	}
	sort.Slice(s.Ready, func(i, j int) bool { return s.Ready[i].Ms < s.Ready[j].Ms })
	return s, nil
}

// FirstAck is the earliest first-ack time of any spout task.
func (s Snapshot) FirstAck() (time.Time, bool) {
	var first int64
	for _, rs := range s.Reports {
		for _, r := range rs {
			if r.FirstAckMs > 0 && (first == 0 || r.FirstAckMs < first) {
				first = r.FirstAckMs
			}
		}
	}
	return time.UnixMilli(first), first > 0
}

// Acked is the total acked count in the latest report of every task.
func (s Snapshot) Acked() int64 {
	var n int64
	for _, rs := range s.Reports {
		if len(rs) > 0 {
			n += rs[len(rs)-1].Acked
		}
	}
	return n
}

// Window is what the spouts reported between two times.
type Window struct {
	Acked, Failed, Emitted int64
	Elapsed                time.Duration // between the bracketing reports (mean over tasks)
	Latency                *Hist
}

// AckedPerSec is the acked rate over the window.
func (w Window) AckedPerSec() float64 {
	if w.Elapsed <= 0 {
		return 0
	}
	return float64(w.Acked) / w.Elapsed.Seconds()
}

// Window sums, over tasks, the counters between the last report at or before from and the last
// report at or before to, and merges the histograms of the reports in between.
func (s Snapshot) Window(from, to time.Time) (Window, error) {
	w := Window{Latency: NewHist()}
	var elapsed time.Duration
	tasks := 0
	for task, rs := range s.Reports {
		base, end := -1, -1
		for i, r := range rs {
			if r.T <= from.UnixMilli() {
				base = i
			}
			if r.T <= to.UnixMilli() {
				end = i
			}
		}
		if base < 0 || end <= base {
			return w, fmt.Errorf("metrics: task %d has no reports spanning the window", task)
		}
		b, e := rs[base], rs[end]
		w.Acked += e.Acked - b.Acked
		w.Failed += e.Failed - b.Failed
		w.Emitted += e.Emitted - b.Emitted
		elapsed += time.Duration(e.T-b.T) * time.Millisecond
		tasks++
		for _, r := range rs[base+1 : end+1] {
			h, err := r.Hist()
			if err != nil {
				return w, err
			}
			w.Latency.Merge(h)
		}
	}
	if tasks == 0 {
		return w, fmt.Errorf("metrics: no spout reports")
	}
	w.Elapsed = elapsed / time.Duration(tasks)
	return w, nil
}

// Writer writes a spout task's metrics file (the Go side of PerfSpout's reporting). It is used
// by the one goroutine that runs the spout.
type Writer struct {
	w          io.Writer
	bw         *bufio.Writer
	task, pid  int
	hist       *Hist
	Emitted    int64
	Acked      int64
	Failed     int64
	firstAckMs int64
}

// NewWriter reports for task of process pid into w.
func NewWriter(w io.Writer, task, pid int) *Writer {
	return &Writer{w: w, bw: bufio.NewWriter(w), task: task, pid: pid, hist: NewHist()}
}

// Ack records an ack with its complete latency at wall time now.
func (m *Writer) Ack(latency time.Duration, now time.Time) {
	m.hist.Record(latency)
	if m.Acked == 0 {
		m.firstAckMs = now.UnixMilli()
	}
	m.Acked++
}

// Flush writes one line with the counters and the histogram since the last Flush.
func (m *Writer) Flush(now time.Time) error {
	lat := make(map[string]int64, len(m.hist.Counts))
	for k, v := range m.hist.Counts {
		lat[strconv.Itoa(k)] = v
	}
	line, err := json.Marshal(Report{T: now.UnixMilli(), Task: m.task, PID: m.pid, Emitted: m.Emitted,
		Acked: m.Acked, Failed: m.Failed, FirstAckMs: m.firstAckMs, LatSumUs: m.hist.SumMicros, Lat: lat})
	if err != nil {
		return err
	}
	m.hist = NewHist()
	m.bw.Write(line)
	m.bw.WriteByte('\n')
	return m.bw.Flush()
}

// WriteReady writes the ready event of a component task into dir.
func WriteReady(dir, component string, task, pid int, now time.Time) error {
	b, err := json.Marshal(Ready{Event: "ready", Component: component, Task: task, PID: pid, Ms: now.UnixMilli()})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, fmt.Sprintf("ready-%d.json", task)), append(b, '\n'), 0o644)
}
