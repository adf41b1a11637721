package stats

import (
	"reflect"
	"testing"

	"github.com/galeproject/gale/stormthrift"
)

// recording is what Executor and Recorder both record.
type recording interface {
	Emitted(stream string, nowMs int64)
	Transferred(stream string, n int, nowMs int64)
	SpoutAcked(stream string, latencyMs, nowMs int64)
	SpoutFailed(stream string, nowMs int64)
	BoltExecuted(id StreamID, latencyMs, nowMs int64)
	BoltAcked(id StreamID, latencyMs, nowMs int64)
	BoltFailed(id StreamID, nowMs int64)
}

// flat renders stats with comparable keys (GlobalStreamId keys are pointers).
func flat(s *stormthrift.ExecutorStats) map[string]float64 {
	out := map[string]float64{}
	for w, m := range s.Emitted {
		for k, v := range m {
			out["emitted/"+w+"/"+k] = float64(v)
		}
	}
	for w, m := range s.Transferred {
		for k, v := range m {
			out["transferred/"+w+"/"+k] = float64(v)
		}
	}
	if sp := s.Specific.Spout; sp != nil {
		for name, mm := range map[string]map[string]map[string]int64{"acked": sp.Acked, "failed": sp.Failed} {
			for w, m := range mm {
				for k, v := range m {
					out[name+"/"+w+"/"+k] = float64(v)
				}
			}
		}
		for w, m := range sp.CompleteMsAvg {
			for k, v := range m {
				out["complete/"+w+"/"+k] = v
			}
		}
	}
	if b := s.Specific.Bolt; b != nil {
		for name, mm := range map[string]map[string]map[*stormthrift.GlobalStreamId]int64{
			"acked": b.Acked, "failed": b.Failed, "executed": b.Executed} {
			for w, m := range mm {
				for k, v := range m {
					out[name+"/"+w+"/"+k.ComponentId+":"+k.StreamId] = float64(v)
				}
			}
		}
		for name, mm := range map[string]map[string]map[*stormthrift.GlobalStreamId]float64{
			"process": b.ProcessMsAvg, "execute": b.ExecuteMsAvg} {
			for w, m := range mm {
				for k, v := range m {
					out[name+"/"+w+"/"+k.ComponentId+":"+k.StreamId] = v
				}
			}
		}
	}
	return out
}

func TestRecorderMatchesDirectRecording(t *testing.T) {
	a := StreamID{Component: "spout", Stream: "default"}
	b := StreamID{Component: "split", Stream: "words"}
	tests := []struct {
		name   string
		spout  bool
		record func(r recording)
	}{
		{"spout", true, func(r recording) {
			for i := int64(0); i < 100; i++ {
				r.Emitted("default", 1000+i)
				r.Transferred("default", 2, 1000+i)
				r.SpoutAcked("default", i%7, 1000+i)
			}
			r.Emitted("other", 1200)
			r.SpoutFailed("default", 1300)
		}},
		{"bolt", false, func(r recording) {
			for i := int64(0); i < 50; i++ {
				r.BoltExecuted(a, i%3, 5000+i)
				r.BoltAcked(a, i%5, 5000+i)
				r.BoltExecuted(b, 1, 5000+i)
				r.Emitted("default", 5000+i)
			}
			r.BoltFailed(b, 5100)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			direct, flushed := newExecutor(tt.spout, 20), newExecutor(tt.spout, 20)
			rec := NewRecorder(flushed)
			tt.record(direct)
			tt.record(rec)
			if !rec.Pending() {
				t.Fatal("nothing pending before Flush")
			}
			if got := flat(flushed.Render(2000)); len(got) != 0 {
				t.Fatalf("events visible before Flush: %v", got)
			}
			rec.Flush()
			if rec.Pending() {
				t.Fatal("pending after Flush")
			}
			const now = 10_000
			got, want := flat(flushed.Render(now)), flat(direct.Render(now))
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("recorded through a Recorder:\n%v\nrecorded directly:\n%v", got, want)
			}
		})
	}
}

func TestRecorderUnmeasuredLatencyIsCountedNotAveraged(t *testing.T) {
	e := NewBolt(20)
	r := NewRecorder(e)
	id := StreamID{Component: "spout", Stream: "default"}
	r.BoltExecuted(id, -1, 100)
	r.BoltExecuted(id, 6, 100)
	r.BoltAcked(id, -1, 100)
	r.BoltAcked(id, -1, 100)
	r.BoltAcked(id, 2, 100)
	other := StreamID{Component: "spout", Stream: "unmeasured"}
	r.BoltExecuted(other, -1, 100)
	r.BoltAcked(other, -1, 100)
	r.Flush()
	got := flat(e.Render(200))
	for _, w := range windowKeys() {
		// Every counted key has its latency key, as in Storm's stats.
		for k, want := range map[string]float64{"executed": 1, "execute": 0, "acked": 1, "process": 0} {
			key := k + "/" + w + "/spout:unmeasured"
			if v, ok := got[key]; !ok || v != want {
				t.Errorf("%s = %v (present %v), want %v", key, v, ok, want)
			}
		}
	}
	for _, w := range windowKeys() {
		for k, want := range map[string]float64{"executed": 2, "execute": 6, "acked": 3, "process": 2} {
			if v := got[k+"/"+w+"/spout:default"]; v != want {
				t.Errorf("%s in window %s = %v, want %v", k, w, v, want)
			}
		}
	}
}
