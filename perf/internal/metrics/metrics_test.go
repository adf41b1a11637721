package metrics

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The same table pins Hist.index in perf/java/src/gale/perf/Hist.java.
func TestIndexAndBounds(t *testing.T) {
	tests := []struct {
		us     int64
		idx    int
		lo, hi int64
	}{
		{-5, 0, 0, 1}, {0, 0, 0, 1}, {63, 63, 63, 64}, {64, 64, 64, 66}, {65, 64, 64, 66}, {66, 65, 66, 68},
		{127, 95, 126, 128}, {128, 96, 128, 132}, {1600, 210, 1600, 1632}, {1_000_000, 509, 999424, 1015808},
	}
	for _, tt := range tests {
		if got := Index(tt.us); got != tt.idx {
			t.Errorf("Index(%d) = %d, want %d", tt.us, got, tt.idx)
		}
		lo, hi := Bounds(tt.idx)
		if lo != tt.lo || hi != tt.hi || max(tt.us, 0) < lo || max(tt.us, 0) >= hi {
			t.Errorf("Bounds(%d) = [%d,%d), want [%d,%d) holding %d", tt.idx, lo, hi, tt.lo, tt.hi, tt.us)
		}
	}
	for us := int64(0); us < 1<<22; us += 7 {
		lo, hi := Bounds(Index(us))
		if us < lo || us >= hi {
			t.Fatalf("%d outside its bucket [%d,%d)", us, lo, hi)
		}
	}
}

func TestQuantile(t *testing.T) {
	h := NewHist()
	for i := 1; i <= 100; i++ {
		h.Record(time.Duration(i) * time.Millisecond)
	}
	tests := []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {0, time.Millisecond}, {1, 100 * time.Millisecond}}
	for _, tt := range tests {
		got := h.Quantile(tt.q)
		if d := got - tt.want; d < -tt.want/25 || d > tt.want/25 {
			t.Errorf("Quantile(%v) = %v, want about %v", tt.q, got, tt.want)
		}
	}
	if h.Mean() != 50500*time.Microsecond {
		t.Errorf("Mean = %v", h.Mean())
	}
	if NewHist().Quantile(0.5) != 0 {
		t.Error("empty quantile")
	}
}

// testdata/storm-run holds files a real Storm 1.0.0 worker wrote (multilang topology, 2 workers).
func TestReadDirStormRun(t *testing.T) {
	s, err := ReadDir("testdata/storm-run")
	if err != nil {
		t.Fatal(err)
	}
	rs := s.Reports[5]
	if len(rs) < 3 || len(s.Ready) != 3 {
		t.Fatalf("reports %d, ready %d", len(rs), len(s.Ready))
	}
	first, ok := s.FirstAck()
	if !ok || first.UnixMilli() != rs[0].FirstAckMs {
		t.Fatalf("FirstAck = %v %v", first, ok)
	}
	w, err := s.Window(rs[0].Time(), rs[len(rs)-1].Time())
	if err != nil {
		t.Fatal(err)
	}
	if w.Acked != rs[len(rs)-1].Acked-rs[0].Acked || w.Latency.N() == 0 || w.AckedPerSec() <= 0 {
		t.Fatalf("window %+v", w)
	}
	if _, err := s.Window(rs[0].Time().Add(-time.Hour), rs[0].Time().Add(-time.Minute)); err == nil {
		t.Fatal("window before the first report: want error")
	}
}

func TestWriterRoundTrip(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	w := NewWriter(&buf, 7, 99)
	t0 := time.UnixMilli(1_700_000_000_000)
	if err := w.Flush(t0); err != nil {
		t.Fatal(err)
	}
	w.Emitted = 3
	w.Ack(2*time.Millisecond, t0.Add(10*time.Millisecond))
	w.Ack(4*time.Millisecond, t0.Add(20*time.Millisecond))
	if err := w.Flush(t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	buf.WriteString(`{"t":17000`) // a line being written
	if err := os.WriteFile(filepath.Join(dir, "spout-7.jsonl"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteReady(dir, "spout", 7, 99, t0); err != nil {
		t.Fatal(err)
	}
	s, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	win, err := s.Window(t0, t0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if win.Acked != 2 || win.Emitted != 3 || win.Latency.N() != 2 || win.Latency.Mean() != 3*time.Millisecond {
		t.Fatalf("window %+v mean %v", win, win.Latency.Mean())
	}
	if fa, _ := s.FirstAck(); !fa.Equal(t0.Add(10 * time.Millisecond)) {
		t.Fatalf("first ack %v", fa)
	}
	if len(s.Ready) != 1 || s.Ready[0].PID != 99 {
		t.Fatalf("ready %+v", s.Ready)
	}
}

func FuzzParseReports(f *testing.F) {
	if b, err := os.ReadFile("testdata/storm-run/spout-5.jsonl"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"t":1,"task":1,"lat":{"x":1}}` + "\n"))
	f.Add([]byte("{}\n{\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rs, err := ParseReports(b)
		if err != nil {
			return
		}
		for _, r := range rs {
			if h, err := r.Hist(); err == nil {
				h.Quantile(0.99)
			}
		}
	})
}
