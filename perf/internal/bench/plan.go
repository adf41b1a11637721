package bench

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"time"

	"github.com/galeproject/gale/perf/internal/procfs"
)

// WorkerLimiter is implemented by runners that only run some worker counts (a LocalCluster has
// no loopback between workers, so it runs the one-worker cases only).
type WorkerLimiter interface {
	SupportsWorkers(n int) bool
}

func (r *StormLocal) SupportsWorkers(n int) bool { return n == 1 }

// Plan is a whole comparison.
type Plan struct {
	Runners    []Runner
	Topologies []string
	Workers    []int
	// RateFractions are the offered rates, as fractions of the reference runner's max, at which
	// every runner runs every case (latency, CPU and memory are compared at these).
	RateFractions []float64
	// SentenceSweep are extra fractions for the word count (throughput vs latency).
	SentenceSweep []float64
	// Reference names the runner whose max defines the offered rates (storm-cluster).
	Reference string
	// RefRates are reference maxima from an earlier run ("topology/workers" → acked/s), used
	// when the reference runner is not part of this plan.
	RefRates map[string]float64
	BaseConf map[string]any
	// TopologyConf is extra configuration for one topology's runs, by topology
	// (perf.python for multilang-py).
	TopologyConf map[string]map[string]any
	// Skipped are topologies left out of this plan, with why (recorded in the results).
	Skipped []Skipped
	Dir     string
	Timing  Timing
	// ZooKeeperPID is sampled and reported apart (0: not sampled).
	ZooKeeperPID int
	Logger       *slog.Logger
}

// RateLabel names an offered rate: "max" or a percentage of the reference max.
func RateLabel(fraction float64) string {
	if fraction == 0 {
		return "max"
	}
	return fmt.Sprintf("%d%%", int(math.Round(fraction*100)))
}

// Execute runs the plan. It always returns results; failed runs carry their error.
func (p *Plan) Execute(ctx context.Context, machine Machine) (*Results, error) {
	fs, err := procfs.Open("/proc")
	if err != nil {
		return nil, err
	}
	res := &Results{Started: time.Now(), Machine: machine, Settings: Settings{
		Warm: p.Timing.Warm.String(), Measure: p.Timing.Measure.String(), BaseConf: p.BaseConf,
		RateFractions: p.RateFractions, SentenceSweep: p.SentenceSweep, ReferenceRunner: p.Reference},
		Skipped: slices.Clone(p.Skipped)}
	env := &runEnv{fs: fs, timing: p.Timing, zkPID: p.ZooKeeperPID, logger: p.Logger}

	var live []Runner
	for _, r := range p.Runners {
		st := RunnerStatus{Name: r.Name(), System: r.System(), Warm: p.Timing.Warm.String(), Measure: p.Timing.Measure.String()}
		if err := r.Available(ctx); err != nil {
			st.Reason = err.Error()
		} else if err := r.Start(ctx); err != nil {
			st.Reason = "start: " + err.Error()
			p.Logger.Error("runner did not start", "runner", r.Name(), "err", err)
		} else {
			st.Available = true
			live = append(live, r)
		}
		res.Runners = append(res.Runners, st)
	}
	defer func() {
		for _, r := range live {
			r.Stop()
		}
	}()

	seq := 0
	run := func(r Runner, topology string, workers int, fraction, offered float64) {
		seq++
		label := RateLabel(fraction)
		name := fmt.Sprintf("perf-%s-%dw-%s-%d", topology, workers, rateName(fraction), seq)
		dir := filepath.Join(p.Dir, "runs", r.Name(), name)
		conf := maps.Clone(p.BaseConf)
		maps.Copy(conf, p.TopologyConf[topology])
		conf["topology.workers"] = workers
		conf["topology.acker.executors"] = workers
		conf["perf.metrics.dir"] = filepath.Join(dir, "metrics")
		conf["perf.rate"] = offered
		conf["perf.report.ms"] = 1000
		spec := Spec{Name: name, Topology: topology, Workers: workers, Conf: conf,
			ConfFile: filepath.Join(dir, "conf.json"), MetricsDir: filepath.Join(dir, "metrics"), Dir: dir}
		res.Runs = append(res.Runs, env.runOnce(ctx, r, spec, label, offered))
		_ = sleep(ctx, 2*time.Second) // let the machine settle between runs
	}
	for _, topology := range p.Topologies {
		for _, workers := range p.Workers {
			runners := supporting(live, workers)
			if len(runners) == 0 {
				continue
			}
			for _, r := range runners {
				if ctx.Err() != nil {
					return res, ctx.Err()
				}
				run(r, topology, workers, 0, 0)
			}
			ref, ok := p.referenceMax(res, topology, workers)
			if !ok {
				p.Logger.Warn("no reference max; skipping the rate runs", "topology", topology, "workers", workers)
				continue
			}
			fractions := slices.Clone(p.RateFractions)
			if topology == "wordcount" {
				fractions = append(fractions, p.SentenceSweep...)
			}
			slices.Sort(fractions)
			fractions = slices.Compact(fractions)
			for _, f := range fractions {
				for _, r := range runners {
					if ctx.Err() != nil {
						return res, ctx.Err()
					}
					run(r, topology, workers, f, math.Round(f*ref))
				}
			}
		}
	}
	res.Finished = time.Now()
	return res, nil
}

// referenceMax is the reference runner's max for the case: measured now, or given.
func (p *Plan) referenceMax(res *Results, topology string, workers int) (float64, bool) {
	if r, ok := res.Find(p.Reference, topology, workers, "max"); ok && r.Error == "" && r.AckedPerSec > 0 {
		return r.AckedPerSec, true
	}
	v, ok := p.RefRates[fmt.Sprintf("%s/%d", topology, workers)]
	return v, ok && v > 0
}

func supporting(runners []Runner, workers int) []Runner {
	var out []Runner
	for _, r := range runners {
		if l, ok := r.(WorkerLimiter); ok && !l.SupportsWorkers(workers) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func rateName(fraction float64) string {
	if fraction == 0 {
		return "max"
	}
	return fmt.Sprintf("r%d", int(math.Round(fraction*100)))
}

// ReferenceRates extracts "topology/workers" → max acked/s of runner from earlier results.
func ReferenceRates(prev *Results, runner string) map[string]float64 {
	out := map[string]float64{}
	if prev == nil {
		return out
	}
	for _, r := range prev.Runs {
		if r.Runner == runner && r.Rate == "max" && r.Error == "" && r.AckedPerSec > 0 {
			out[fmt.Sprintf("%s/%d", r.Topology, r.Workers)] = r.AckedPerSec
		}
	}
	return out
}
