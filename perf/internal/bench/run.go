package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/galeproject/gale/perf/internal/metrics"
	"github.com/galeproject/gale/perf/internal/procfs"
)

// Timing says how long each phase of a run lasts.
type Timing struct {
	Warm            time.Duration // after the first ack, before measuring
	Measure         time.Duration
	FirstAckTimeout time.Duration // from submit
	SampleInterval  time.Duration // /proc sampling
	// QuietCores and QuietWait: before a run, wait up to QuietWait until the machine's busy CPU
	// (everything, idle daemons included) is at most QuietCores, so that other programs on a
	// shared machine disturb the numbers less. QuietWait 0 disables the wait.
	QuietCores float64
	QuietWait  time.Duration
}

// runEnv is what every run shares.
type runEnv struct {
	fs     *procfs.FS
	timing Timing
	zkPID  int // 0: not sampled
	logger *slog.Logger
}

// runOnce deploys spec on r, measures it and kills it. Failures are recorded in the result.
func (e *runEnv) runOnce(ctx context.Context, r Runner, spec Spec, rate string, offered float64) RunResult {
	res := RunResult{Runner: r.Name(), System: r.System(), Topology: spec.Topology, Workers: spec.Workers,
		Rate: rate, Offered: offered, Name: spec.Name}
	log := e.logger.With("runner", r.Name(), "topology", spec.Topology, "workers", spec.Workers, "rate", rate)
	if err := writeConf(spec); err != nil {
		res.Error = err.Error()
		return res
	}
	if waited, cores := e.waitQuiet(ctx); waited > 0 {
		log.Info("waited for a quieter machine", "waited", waited.Round(time.Second), "busy_cores", fmt.Sprintf("%.2f", cores))
	}
	log.Info("deploying", "offered", offered)
	dep, err := r.Deploy(ctx, spec)
	if err != nil {
		res.Error = err.Error()
		log.Error("deploy failed", "err", err)
		return res
	}
	defer func() {
		kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Minute)
		defer cancel()
		if err := dep.Kill(kctx); err != nil {
			log.Warn("kill", "err", err)
			if res.Error == "" {
				res.Error = "kill: " + err.Error()
			}
		}
	}()
	var extra []int
	if e.zkPID > 0 {
		extra = []int{e.zkPID}
	}
	smp := newSampler(e.fs, dep.Roots, extra, r.Classify, e.timing.SampleInterval)
	sctx, stopSampling := context.WithCancel(ctx)
	sampled := make(chan struct{})
	go func() { smp.run(sctx); close(sampled) }()
	defer func() { stopSampling(); <-sampled }()

	firstAck, err := waitFirstAck(ctx, spec.MetricsDir, dep.SubmitTime().Add(e.timing.FirstAckTimeout))
	if err != nil {
		res.Error = err.Error()
		log.Error("no first ack", "err", err)
		return res
	}
	res.SubmitToFirstAckSecs = firstAck.Sub(dep.SubmitTime()).Seconds()
	log.Info("first ack", "after", firstAck.Sub(dep.SubmitTime()).Round(time.Millisecond))
	if err := sleep(ctx, e.timing.Warm); err != nil {
		res.Error = err.Error()
		return res
	}
	t0 := time.Now()
	if err := sleep(ctx, e.timing.Measure); err != nil {
		res.Error = err.Error()
		return res
	}
	t1 := time.Now()
	stopSampling()
	<-sampled

	snap, err := metrics.ReadDir(spec.MetricsDir)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	w, err := snap.Window(t0, t1)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	u := smp.window(t0, t1)
	fillFigures(&res, w, u, snap, e.zkPID)
	log.Info("measured", "acked/s", int64(res.AckedPerSec), "p50ms", res.P50Ms, "p99ms", res.P99Ms,
		"cpu_s/M", fmt.Sprintf("%.1f", res.CPUSecsPerMillion), "rss_mb", int64(res.ClusterRSSMB),
		"background_cores", fmt.Sprintf("%.2f", res.BackgroundCores))
	return res
}

func fillFigures(res *RunResult, w metrics.Window, u usage, snap metrics.Snapshot, zkPID int) {
	res.Acked, res.Failed = w.Acked, w.Failed
	res.AckedPerSec = w.AckedPerSec()
	res.MeasureSecs = w.Elapsed.Seconds()
	res.P50Ms = ms(w.Latency.Quantile(0.50))
	res.P99Ms = ms(w.Latency.Quantile(0.99))
	res.MeanMs = ms(w.Latency.Mean())

	var cpu time.Duration
	for pid, c := range u.CPU {
		if pid == zkPID {
			res.ZKCPUSeconds = c.Seconds()
			continue
		}
		cpu += c
	}
	res.CPUSeconds = cpu.Seconds()
	if u.Elapsed > 0 {
		bg := u.MachineCPU - cpu - time.Duration(res.ZKCPUSeconds*float64(time.Second))
		res.BackgroundCores = max(bg.Seconds(), 0) / u.Elapsed.Seconds()
	}
	res.LoadAvg1 = loadAvg()
	if u.Elapsed > 0 && res.AckedPerSec > 0 {
		// CPU rate over the sampled window divided by the acked rate over the reported window.
		res.CPUSecsPerMillion = cpu.Seconds() / u.Elapsed.Seconds() / res.AckedPerSec * 1e6
	}
	res.ClusterRSSMB = u.ClusterRSS / (1 << 20)
	res.ClusterRSSMaxMB = float64(u.ClusterRSSMax) / (1 << 20)
	res.WorkerRSSMB = u.WorkerRSS / (1 << 20)
	res.WorkerProcesses = len(u.Groups)

	// Cold start: from the launch of a worker process to the first component ready in it.
	readyByPID := map[int]int64{}
	for _, r := range snap.Ready {
		if v, ok := readyByPID[r.PID]; !ok || r.Ms < v {
			readyByPID[r.PID] = r.Ms
		}
	}
	var sum float64
	for pid := range u.Groups {
		readyMs, ok := readyByPID[pid]
		launch, ok2 := launchTime(u.Infos, pid)
		if !ok || !ok2 {
			continue
		}
		d := time.UnixMilli(readyMs).Sub(launch).Seconds()
		res.ColdStarts = append(res.ColdStarts, d)
		sum += d
	}
	sort.Float64s(res.ColdStarts)
	if n := len(res.ColdStarts); n > 0 {
		res.WorkerColdStartSecs = sum / float64(n)
	}

	pids := make([]int, 0, len(u.CPU))
	for pid := range u.CPU {
		pids = append(pids, pid)
	}
	sort.Ints(pids)
	for _, pid := range pids {
		in := u.Infos[pid]
		role := in.Role.String()
		if pid == zkPID {
			role = "zookeeper"
		}
		res.Processes = append(res.Processes, ProcResult{PID: pid, Role: role, Command: shortCmd(in.Cmdline),
			CPUSeconds: u.CPU[pid].Seconds(), RSSMB: float64(u.MeanRSS[pid]) / (1 << 20)})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func writeConf(spec Spec) error {
	for _, d := range []string{spec.Dir, spec.MetricsDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	b, err := json.MarshalIndent(spec.Conf, "", "  ")
	if err != nil {
		return fmt.Errorf("bench: conf: %w", err)
	}
	return os.WriteFile(spec.ConfFile, b, 0o644)
}

func waitFirstAck(ctx context.Context, dir string, deadline time.Time) (time.Time, error) {
	for {
		snap, err := metrics.ReadDir(dir)
		if err == nil {
			if t, ok := snap.FirstAck(); ok {
				return t, nil
			}
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("bench: no ack by %s (metrics in %s)", deadline.Format(time.TimeOnly), filepath.Base(dir))
		}
		if err := sleep(ctx, 250*time.Millisecond); err != nil {
			return time.Time{}, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// waitQuiet waits (up to QuietWait) for the machine to be nearly idle; it returns how long it
// waited and the last busy-core reading.
func (e *runEnv) waitQuiet(ctx context.Context) (time.Duration, float64) {
	if e.timing.QuietWait <= 0 {
		return 0, 0
	}
	start := time.Now()
	var cores float64
	for {
		b0, _, err := e.fs.CPUBusy()
		if err != nil {
			return 0, 0
		}
		t0 := time.Now()
		if sleep(ctx, 3*time.Second) != nil {
			return time.Since(start), cores
		}
		b1, _, err := e.fs.CPUBusy()
		if err != nil {
			return 0, 0
		}
		cores = procfs.CPU(b1-min(b0, b1)).Seconds() / time.Since(t0).Seconds()
		if cores <= e.timing.QuietCores || time.Since(start) >= e.timing.QuietWait {
			if time.Since(start) < 4*time.Second {
				return 0, cores
			}
			return time.Since(start), cores
		}
	}
}

func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}
