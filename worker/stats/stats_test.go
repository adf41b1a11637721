package stats

import (
	"context"
	"math"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/stormthrift"
)

const minute = 60_000

func TestRate(t *testing.T) {
	for in, want := range map[float64]float64{0.05: 20, 1: 1, 0.5: 2, 0.3: 3, 0: 1, -1: 1, 2: 1} {
		if got := Rate(in); got != want {
			t.Errorf("Rate(%v) = %v, want %v", in, got, want)
		}
	}
	if Rate(math.NaN()) != 1 {
		t.Error("Rate(NaN)")
	}
}

func TestRollingCountWindow(t *testing.T) {
	s := newSeries()
	s.add(0, 10, 0) // one bucket of the 10-minute window is 30 s wide
	tests := []struct {
		now  int64
		want [4]int64
	}{
		{0, [4]int64{10, 10, 10, 10}},
		{10*minute - 1, [4]int64{10, 10, 10, 10}},
		{10 * minute, [4]int64{10, 10, 10, 10}},       // oldest bucket, fully inside
		{10*minute + 15_000, [4]int64{5, 10, 10, 10}}, // half of it has left the window
		{10*minute + 30_000, [4]int64{0, 10, 10, 10}},
		{180*minute + 270_000, [4]int64{0, 5, 10, 10}}, // 3 h window: buckets of 9 minute
		{24*60*minute + 72*minute, [4]int64{0, 0, 0, 10}},
	}
	for _, tt := range tests {
		if got := s.counts(tt.now); got != tt.want {
			t.Errorf("counts(%d) = %v, want %v", tt.now, got, tt.want)
		}
	}
}

func TestRollingKeepsRecentAndDropsOld(t *testing.T) {
	s := newSeries()
	for m := int64(0); m < 60; m++ { // one event per minute for an hour
		s.add(m*minute, 1, 0)
	}
	got := s.counts(59 * minute)
	if got[0] != 10 && got[0] != 11 { // the last 10 minutes hold 10 events (11 counting the edge)
		t.Errorf("10-minute window after an hour: %d", got[0])
	}
	if got[1] != 60 || got[3] != 60 {
		t.Errorf("3-hour/all-time: %v", got)
	}
	// Time going backwards is clamped.
	s.add(0, 1, 0)
	if c := s.counts(0); c[3] != 61 {
		t.Errorf("all-time after clamped add: %d", c[3])
	}
}

func TestLatencyAverages(t *testing.T) {
	s := newSeries()
	s.add(0, 10, 1)
	s.add(1000, 30, 1)
	a := s.averages(2000)
	if a != [4]float64{20, 20, 20, 20} {
		t.Fatalf("averages %v", a)
	}
	s.add(20*minute, 100, 1) // the first two left the 10-minute window
	a = s.averages(20 * minute)
	if a[0] != 100 || a[3] != 140.0/3 {
		t.Fatalf("averages %v", a)
	}
	if a := newSeries().averages(0); a != [4]float64{} {
		t.Fatalf("empty averages %v", a)
	}
}

func TestRenderSpout(t *testing.T) {
	e := NewSpout(Rate(0.05))
	if !e.IsSpout() {
		t.Fatal("IsSpout")
	}
	empty := e.Render(0)
	if len(empty.Emitted) != 0 || len(empty.Specific.Spout.Acked) != 0 || empty.Specific.Bolt != nil {
		t.Fatalf("empty render %+v", empty)
	}
	e.Emitted("default", 0)
	e.Emitted("default", 1)
	e.Transferred("default", 3, 1)
	e.SpoutAcked("default", 40, 2)
	e.SpoutAcked("default", 60, 2)
	e.SpoutFailed("other", 2)
	st := e.Render(3)
	if st.Rate != 20 {
		t.Fatalf("rate %v", st.Rate)
	}
	for _, w := range []string{Window10m, Window3h, Window1d, WindowAllTime} {
		if st.Emitted[w]["default"] != 2 || st.Transferred[w]["default"] != 3 {
			t.Errorf("window %s: emitted %v transferred %v", w, st.Emitted[w], st.Transferred[w])
		}
		sp := st.Specific.Spout
		if sp.Acked[w]["default"] != 2 || sp.Failed[w]["other"] != 1 || sp.CompleteMsAvg[w]["default"] != 50 {
			t.Errorf("window %s: spout %+v", w, sp)
		}
		if _, ok := sp.Acked[w]["other"]; ok {
			t.Errorf("acked has a key never acked")
		}
	}
	if len(st.Emitted) != 4 {
		t.Fatalf("windows %v", st.Emitted)
	}
}

func TestRenderBolt(t *testing.T) {
	e := NewBolt(1)
	in := StreamID{"spout", "default"}
	e.BoltExecuted(in, 4, 0)
	e.BoltExecuted(in, 6, 0)
	e.BoltAcked(in, 8, 0)
	e.BoltFailed(StreamID{"split", "s"}, 0)
	e.Emitted("default", 0)
	st := e.Render(0)
	if st.Specific.Spout != nil || st.Specific.Bolt == nil {
		t.Fatal("wrong union arm")
	}
	b := st.Specific.Bolt
	for _, w := range []string{Window10m, WindowAllTime} {
		if len(b.Executed[w]) != 1 || len(b.Failed[w]) != 1 {
			t.Fatalf("window %s: executed %v failed %v", w, b.Executed[w], b.Failed[w])
		}
		for k, v := range b.Executed[w] {
			if k.ComponentId != "spout" || k.StreamId != "default" || v != 2 {
				t.Errorf("executed %v=%d", k, v)
			}
		}
		for k, v := range b.ExecuteMsAvg[w] {
			if k.ComponentId != "spout" || v != 5 {
				t.Errorf("execute avg %v=%v", k, v)
			}
		}
		for _, v := range b.ProcessMsAvg[w] {
			if v != 8 {
				t.Errorf("process avg %v", v)
			}
		}
		for k, v := range b.Failed[w] {
			if k.ComponentId != "split" || k.StreamId != "s" || v != 1 {
				t.Errorf("failed %v=%d", k, v)
			}
		}
	}
}

func TestRenderSerializes(t *testing.T) {
	for _, e := range []*Executor{NewSpout(20), NewBolt(20)} {
		e.Emitted("default", 0)
		e.BoltExecuted(StreamID{"a", "b"}, 1, 0)
		e.SpoutAcked("default", 1, 0)
		b, err := thrift.NewTSerializer().Write(context.Background(), e.Render(0))
		if err != nil || len(b) == 0 {
			t.Fatalf("serialize: %v", err)
		}
		var back stormthrift.ExecutorStats
		if err := thrift.NewTDeserializer().Read(context.Background(), &back, b); err != nil {
			t.Fatalf("deserialize: %v", err)
		}
		if back.Emitted[WindowAllTime]["default"] != 1 {
			t.Fatalf("round trip %+v", back)
		}
	}
}
