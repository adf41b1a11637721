package galeperf

import (
	"errors"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/perf/internal/metrics"
	"github.com/galeproject/gale/storm"
)

func TestBuildShapes(t *testing.T) {
	app := storm.NewApp()
	Register(app)
	tests := []struct {
		topology string
		spouts   int
		bolts    map[string]int32 // id -> parallelism
	}{
		{"noop", 1, map[string]int32{"noop": 1}},
		{"identity", 1, map[string]int32{"identity": 2, "noop": 2}},
		{"wordcount", 1, map[string]int32{"split": 2, "count": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.topology, func(t *testing.T) {
			topo, err := Build(app, tt.topology, Multilang{})
			if err != nil {
				t.Fatal(err)
			}
			if len(topo.GetSpouts()) != tt.spouts || len(topo.GetBolts()) != len(tt.bolts) {
				t.Fatalf("spouts %d bolts %d", len(topo.GetSpouts()), len(topo.GetBolts()))
			}
			for id, p := range tt.bolts {
				if got := topo.GetBolts()[id].GetCommon().GetParallelismHint(); got != p {
					t.Errorf("%s parallelism %d, want %d", id, got, p)
				}
			}
		})
	}
	if _, err := Build(app, "multilang", Multilang{}); !errors.Is(err, ErrNoMultilangDir) {
		t.Fatalf("multilang without a dir: %v", err)
	}
	if _, err := Build(app, "multilang-py", Multilang{Python: "/usr/bin/python2.7"}); !errors.Is(err, ErrNoMultilangDir) {
		t.Fatalf("multilang-py without a dir: %v", err)
	}
	if _, err := Build(app, "multilang-py", Multilang{Dir: "/opt/relay"}); !errors.Is(err, ErrNoPython) {
		t.Fatalf("multilang-py without python: %v", err)
	}
	for _, tt := range []struct {
		topology, command, script string
	}{
		{"multilang", "node", "/opt/relay/relay.js"},
		{"multilang-py", "/usr/bin/python2.7", "/opt/relay/relay.py"},
	} {
		topo, err := Build(app, tt.topology, Multilang{Dir: "/opt/relay", Python: "/usr/bin/python2.7"})
		if err != nil {
			t.Fatalf("%s: %v", tt.topology, err)
		}
		if len(topo.GetSpouts()) != 1 || len(topo.GetBolts()) != 2 || topo.GetBolts()["noop"] == nil {
			t.Fatalf("%s: spouts %d bolts %d", tt.topology, len(topo.GetSpouts()), len(topo.GetBolts()))
		}
		if sh := topo.GetBolts()["relay"].GetBoltObject().GetShell(); sh == nil || sh.GetExecutionCommand() != tt.command || sh.GetScript() != tt.script {
			t.Fatalf("%s: relay bolt %v", tt.topology, topo.GetBolts()["relay"].GetBoltObject())
		}
	}
}

// recorder is a SpoutOutputCollector that acks through the test.
type recorder struct{ ids []any }

func (r *recorder) Emit(v storm.Values, id any) []int32          { r.ids = append(r.ids, id); return nil }
func (r *recorder) EmitStream(string, storm.Values, any) []int32 { return nil }
func (r *recorder) EmitDirect(int32, string, storm.Values, any)  {}
func (r *recorder) PendingCount() int                            { return len(r.ids) }
func (r *recorder) ReportError(error)                            {}

func TestSpoutRateAndReports(t *testing.T) {
	dir := t.TempDir()
	c := conf.Conf{"perf.metrics.dir": dir, "perf.rate": 1000.0, "perf.report.ms": int64(50)}
	ctx := storm.NewTopologyContext(storm.TopologyContextConfig{TaskID: 4, ComponentID: "spout"})
	s := &perfSpout{}
	rec := &recorder{}
	if err := s.Open(c, ctx, rec); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(300 * time.Millisecond)
	for time.Now().Before(deadline) {
		s.NextTuple()
		for _, id := range rec.ids {
			s.Ack(id)
		}
		rec.ids = rec.ids[:0]
		time.Sleep(time.Millisecond)
	}
	s.Close()
	snap, err := metrics.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	rs := snap.Reports[4]
	if len(rs) < 3 || len(snap.Ready) != 1 {
		t.Fatalf("%d reports, %d ready", len(rs), len(snap.Ready))
	}
	// 1000/s for about 0.3 s, loosely: the limiter must hold the rate, not the loop speed.
	if last := rs[len(rs)-1]; last.Emitted < 100 || last.Emitted > 400 || last.Acked == 0 {
		t.Fatalf("last report %+v", last)
	}
}
