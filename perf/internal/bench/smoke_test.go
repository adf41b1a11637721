package bench

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/perf/internal/stormhome"
)

// TestSmokeStormCluster runs one short case on a real Storm 1.0.0 cluster and a LocalCluster:
// the harness end to end (assemble STORM_HOME, build the jar, start ZooKeeper, Nimbus and a
// Supervisor, submit with StormSubmitter, read the spout's metrics and /proc, kill). It takes
// about two minutes, so it only runs with GALE_PERF=1. It checks that tuples were acked and
// measured, not how fast.
func TestSmokeStormCluster(t *testing.T) {
	if os.Getenv("GALE_PERF") != "1" {
		t.Skip("benchmark smoke test; set GALE_PERF=1 to run it")
	}
	if err := javaAvailable(); err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	cache, err := stormhome.DefaultCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	home, jar, err := PrepareStorm(ctx, cache, "../../java", logger)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := zktest.StartServer(ctx)
	if err != nil {
		t.Skipf("no ZooKeeper: %v", err)
	}
	defer srv.Stop()
	dir := t.TempDir()
	plan := &Plan{
		Runners: []Runner{
			&StormCluster{Home: home, Jar: jar, ZooKeeper: srv.Addr, Dir: dir + "/cluster", Logger: logger},
			&StormLocal{Home: home, Jar: jar, Logger: logger},
		},
		Topologies: []string{"noop"}, Workers: []int{1}, RateFractions: []float64{0.5}, Reference: "storm-cluster",
		BaseConf: map[string]any{"topology.max.spout.pending": 1000, "topology.backpressure.enable": false},
		Dir:      dir,
		Timing:   Timing{Warm: 2 * time.Second, Measure: 4 * time.Second, FirstAckTimeout: 3 * time.Minute, SampleInterval: time.Second},
		Logger:   logger,
	}
	res, err := plan.Execute(ctx, Machine{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Runs) != 4 {
		t.Fatalf("%d runs, want 4 (2 runners × max and 50%%)", len(res.Runs))
	}
	for _, r := range res.Runs {
		if r.Error != "" || r.Acked == 0 || r.P99Ms <= 0 || r.CPUSeconds <= 0 || r.ClusterRSSMB <= 0 || r.SubmitToFirstAckSecs <= 0 {
			t.Errorf("%s %s: %+v", r.Runner, r.Rate, r)
		}
		if r.Runner == "storm-cluster" && (r.WorkerProcesses != 1 || r.WorkerColdStartSecs <= 0) {
			t.Errorf("storm-cluster %s: %d worker processes, cold start %.1f s", r.Rate, r.WorkerProcesses, r.WorkerColdStartSecs)
		}
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
