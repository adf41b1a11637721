package bench

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine describes where the benchmarks ran.
type Machine struct {
	CPUModel string `json:"cpu_model"`
	Cores    int    `json:"cores"`
	MemoryMB int64  `json:"memory_mb"`
	Kernel   string `json:"kernel"`
	Java     string `json:"java"`
	Go       string `json:"go"`
	Node     string `json:"node"`
	Python   string `json:"python,omitempty"` // the Python 2 of multilang-py
}

// Settings are the knobs every run used.
type Settings struct {
	Warm            string         `json:"warm"`
	Measure         string         `json:"measure"`
	BaseConf        map[string]any `json:"topology_conf"`
	RateFractions   []float64      `json:"rate_fractions"`
	SentenceSweep   []float64      `json:"wordcount_rate_fractions"`
	ReferenceRunner string         `json:"reference_runner"`
}

// RunResult is one run: a topology, a worker count and an offered rate on one runner.
type RunResult struct {
	Runner   string  `json:"runner"`
	System   string  `json:"system"`
	Topology string  `json:"topology"`
	Workers  int     `json:"workers"`
	Rate     string  `json:"rate"`         // "max" or a fraction of the reference max, e.g. "50%"
	Offered  float64 `json:"offered_rate"` // tuples/s offered by the spout (0 = unlimited)
	Name     string  `json:"topology_name"`
	Error    string  `json:"error,omitempty"`

	Acked       int64   `json:"acked"`
	Failed      int64   `json:"failed"`
	AckedPerSec float64 `json:"acked_per_sec"`
	P50Ms       float64 `json:"latency_p50_ms"`
	P99Ms       float64 `json:"latency_p99_ms"`
	MeanMs      float64 `json:"latency_mean_ms"`
	MeasureSecs float64 `json:"measure_secs"`

	CPUSeconds        float64 `json:"cpu_seconds"`
	CPUSecsPerMillion float64 `json:"cpu_seconds_per_million"`
	ZKCPUSeconds      float64 `json:"zookeeper_cpu_seconds"`
	// BackgroundCores is the CPU the rest of the machine used during the window (busy time of
	// all cores minus the deployment's and ZooKeeper's, per second): load from other programs.
	BackgroundCores float64 `json:"background_cpu_cores"`
	LoadAvg1        float64 `json:"loadavg_1min"`
	ClusterRSSMB    float64 `json:"cluster_rss_mb"`
	ClusterRSSMaxMB float64 `json:"cluster_rss_max_mb"`
	WorkerRSSMB     float64 `json:"worker_rss_mb"`
	WorkerProcesses int     `json:"worker_processes"`

	SubmitToFirstAckSecs float64   `json:"submit_to_first_ack_secs"`
	WorkerColdStartSecs  float64   `json:"worker_cold_start_secs"`
	ColdStarts           []float64 `json:"worker_cold_starts_secs,omitempty"`

	Processes []ProcResult `json:"processes,omitempty"`
}

// ProcResult is one process of a run's deployment.
type ProcResult struct {
	PID        int     `json:"pid"`
	Role       string  `json:"role"`
	Command    string  `json:"command"`
	CPUSeconds float64 `json:"cpu_seconds"`
	RSSMB      float64 `json:"rss_mb"`
}

// Results is everything perf/results.json holds.
type Results struct {
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Machine  Machine        `json:"machine"`
	Settings Settings       `json:"settings"`
	Runners  []RunnerStatus `json:"runners"`
	Runs     []RunResult    `json:"runs"`
	Notes    []string       `json:"notes,omitempty"`
	Skipped  []Skipped      `json:"skipped,omitempty"`
}

// Skipped is a topology a plan left out, and why (e.g. no Python 2 for multilang-py).
type Skipped struct {
	Topology string `json:"topology"`
	Reason   string `json:"reason"`
}

// RunnerStatus says whether a runner ran, and if not why.
type RunnerStatus struct {
	Name      string `json:"name"`
	System    string `json:"system"`
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"`
	// Warm and Measure are the windows this runner's runs used (runs merged from different
	// invocations can differ by runner).
	Warm    string `json:"warm,omitempty"`
	Measure string `json:"measure,omitempty"`
}

// Find returns the run of runner for topology/workers/rate.
func (r *Results) Find(runner, topology string, workers int, rate string) (RunResult, bool) {
	for _, x := range r.Runs {
		if x.Runner == runner && x.Topology == topology && x.Workers == workers && x.Rate == rate {
			return x, true
		}
	}
	return RunResult{}, false
}

// DescribeMachine reads the machine's CPU, cores, memory and tool versions.
func DescribeMachine(ctx context.Context) Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				m.MemoryMB = kb / 1024
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	m.Java = firstLine(ctx, "java", "-version")
	m.Node = firstLine(ctx, "node", "--version")
	return m
}

func firstLine(ctx context.Context, name string, args ...string) string {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}
