// Command perf runs Gale's side-by-side benchmarks against Apache Storm 1.0.0 and writes
// perf/RESULTS.md and perf/results.json (see perf/README.md).
//
//	go run ./perf/cmd/perf [-warm 20s] [-measure 20s] [-runners storm-cluster,storm-local,gale-dev,gale-cluster]
//	    [-topologies noop,identity,wordcount,multilang,multilang-py] [-workers 1,2] [-python2 PATH] [-merge] ...
//
// Run it from the repository root (perf/run.sh does).
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/perf/internal/bench"
	"github.com/galeproject/gale/perf/internal/procfs"
	"github.com/galeproject/gale/perf/internal/report"
	"github.com/galeproject/gale/perf/internal/stormhome"
)

type options struct {
	warm, measure, firstAck time.Duration
	runners, topologies     []string
	workers                 []int
	rates, sweep            []float64
	zk, cache, work, out    string
	ref                     string
	python2                 string
	merge, keep, render     bool
	pending                 int
	quietCores              float64
	quietWait               time.Duration
}

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "perf:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, opts, logger); err != nil {
		logger.Error("perf failed", "err", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("perf", flag.ContinueOnError)
	fs.DurationVar(&o.warm, "warm", 20*time.Second, "warm-up after the first ack")
	fs.DurationVar(&o.measure, "measure", 20*time.Second, "measured window")
	fs.DurationVar(&o.firstAck, "first-ack-timeout", 3*time.Minute, "give up on a run without an ack this long after submit")
	runners := fs.String("runners", "storm-cluster,storm-local,gale-dev,gale-cluster", "runners, comma-separated")
	topologies := fs.String("topologies", strings.Join(bench.Topologies, ","), "topologies, comma-separated")
	workers := fs.String("workers", "1,2", "worker counts, comma-separated")
	rates := fs.String("rates", "0.5", "offered rates for every case, as fractions of the Storm cluster's max")
	sweep := fs.String("sweep", "0.25,0.75", "extra word-count rates (throughput vs latency)")
	fs.StringVar(&o.zk, "zk", "", "use this ZooKeeper (host:port) instead of starting Debian's")
	fs.StringVar(&o.cache, "cache", "", "STORM_HOME cache directory (default <user cache>/gale/perf/storm-1.0.0)")
	fs.StringVar(&o.work, "work", "", "working directory for the runs (default a fresh temporary directory)")
	fs.StringVar(&o.out, "out", "perf", "where RESULTS.md and results.json go")
	fs.StringVar(&o.ref, "ref", "", "results.json whose storm-cluster maxima set the offered rates when storm-cluster is not run (default: -out's)")
	fs.BoolVar(&o.merge, "merge", false, "merge into the existing results.json: cases run now replace its runs of the same runner, topology and workers")
	fs.BoolVar(&o.render, "render", false, "only render -out's results.json to RESULTS.md (no runs)")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory (logs, metrics)")
	fs.StringVar(&o.python2, "python2", "", "Python 2 interpreter for multilang-py (Storm 1.0.0's storm.py is Python 2 only; default: the first of python2.7, python2 on PATH\nthat runs, else ~/.pyenv/versions/2.7*/bin/python2.7; none: multilang-py is skipped)")
	fs.IntVar(&o.pending, "max-spout-pending", 1000, "topology.max.spout.pending for every case")
	fs.Float64Var(&o.quietCores, "quiet-cores", 0.3, "before each run, wait until the machine uses at most this many cores ...")
	fs.DurationVar(&o.quietWait, "quiet-wait", 2*time.Minute, "... but no longer than this (0: do not wait)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.runners = split(*runners)
	o.topologies = split(*topologies)
	for _, t := range o.topologies {
		if !slices.Contains(bench.Topologies, t) {
			return o, fmt.Errorf("unknown topology %q", t)
		}
	}
	for _, s := range split(*workers) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return o, fmt.Errorf("bad -workers entry %q", s)
		}
		o.workers = append(o.workers, n)
	}
	var err error
	if o.rates, err = fractions(*rates); err != nil {
		return o, err
	}
	if o.sweep, err = fractions(*sweep); err != nil {
		return o, err
	}
	return o, nil
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func fractions(s string) ([]float64, error) {
	var out []float64
	for _, p := range split(s) {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f <= 0 || f > 2 {
			return nil, fmt.Errorf("bad rate fraction %q", p)
		}
		out = append(out, f)
	}
	return out, nil
}

func run(ctx context.Context, o options, logger *slog.Logger) error {
	if o.render {
		res, err := load(filepath.Join(o.out, "results.json"))
		if err != nil {
			return err
		}
		return write(o.out, res)
	}
	repo, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(repo, "go.mod")); err != nil {
		return errors.New("run from the repository root (perf/run.sh does)")
	}
	work := o.work
	if work == "" {
		if work, err = os.MkdirTemp("", "gale-perf-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(work)
		}
	}
	logger.Info("working directory", "dir", work)
	machine := bench.DescribeMachine(ctx)

	var skipped []bench.Skipped
	topoConf := map[string]map[string]any{}
	if slices.Contains(o.topologies, "multilang-py") {
		python, version, err := python2(ctx, o.python2)
		if err != nil {
			logger.Warn("multilang-py skipped", "reason", err)
			skipped = append(skipped, bench.Skipped{Topology: "multilang-py", Reason: err.Error()})
			o.topologies = slices.DeleteFunc(o.topologies, func(t string) bool { return t == "multilang-py" })
		} else {
			logger.Info("python 2 for multilang-py", "path", python, "version", version)
			machine.Python = version
			topoConf["multilang-py"] = map[string]any{"perf.python": python}
		}
	}

	needStorm := slices.ContainsFunc(o.runners, func(r string) bool { return strings.HasPrefix(r, "storm-") }) ||
		slices.ContainsFunc(o.topologies, func(t string) bool { return strings.HasPrefix(t, "multilang") }) // Gale's multilang runs use the home's storm.js / storm.py
	needZK := slices.Contains(o.runners, "storm-cluster") || slices.Contains(o.runners, "gale-cluster")
	var home *stormhome.Home
	var jar string
	var stormErr error
	if needStorm {
		cache := o.cache
		if cache == "" {
			if cache, err = stormhome.DefaultCacheDir(); err != nil {
				return err
			}
		}
		home, jar, stormErr = bench.PrepareStorm(ctx, cache, filepath.Join(repo, "perf", "java"), logger)
		if stormErr != nil {
			logger.Error("Storm side unavailable", "err", stormErr)
		} else {
			logger.Info("storm home ready", "dir", home.Dir, "jar", jar)
		}
	}
	zkAddr, zkPID := o.zk, 0
	if needZK && zkAddr == "" {
		srv, err := zktest.StartServer(ctx)
		if err != nil {
			return fmt.Errorf("zookeeper: %w", err)
		}
		defer srv.Stop()
		zkAddr = srv.Addr
		zkPID = childWith("org.apache.zookeeper.server.ZooKeeperServerMain")
		logger.Info("zookeeper", "addr", zkAddr, "pid", zkPID)
	}

	var runners []bench.Runner
	for _, name := range o.runners {
		dir := filepath.Join(work, name)
		switch name {
		case "storm-cluster":
			runners = append(runners, storm(&bench.StormCluster{Home: home, Jar: jar, ZooKeeper: zkAddr, Dir: dir, Logger: logger}, stormErr))
		case "storm-local":
			runners = append(runners, storm(&bench.StormLocal{Home: home, Jar: jar, Logger: logger}, stormErr))
		case "gale-dev", "gale-cluster":
			g := &bench.GaleRunner{Mode: strings.TrimPrefix(name, "gale-"), RepoDir: repo,
				ZooKeeper: zkAddr, Dir: dir, Logger: logger,
				RelayJS: filepath.Join(repo, "perf", "java", "resources", "resources", "relay.js"),
				RelayPy: filepath.Join(repo, "perf", "java", "resources", "resources", "relay.py")}
			if home != nil {
				g.StormJS, g.StormPy = home.StormJS, home.StormPy
			}
			runners = append(runners, g)
		default:
			return fmt.Errorf("unknown runner %q", name)
		}
	}

	outJSON := filepath.Join(o.out, "results.json")
	refFile := o.ref
	if refFile == "" {
		refFile = outJSON
	}
	prev, _ := load(outJSON)
	ref, _ := load(refFile)
	plan := &bench.Plan{
		Runners: runners, Topologies: o.topologies, Workers: o.workers,
		RateFractions: o.rates, SentenceSweep: o.sweep, Reference: "storm-cluster",
		RefRates: bench.ReferenceRates(ref, "storm-cluster"),
		BaseConf: map[string]any{
			"topology.max.spout.pending":    o.pending,
			"topology.backpressure.enable":  false,
			"topology.message.timeout.secs": 30,
			"topology.debug":                false,
		},
		TopologyConf: topoConf,
		Skipped:      skipped,
		Dir:          work,
		Timing: bench.Timing{Warm: o.warm, Measure: o.measure, FirstAckTimeout: o.firstAck, SampleInterval: time.Second,
			QuietCores: o.quietCores, QuietWait: o.quietWait},
		ZooKeeperPID: zkPID,
		Logger:       logger,
	}
	res, err := plan.Execute(ctx, machine)
	if res == nil {
		return err
	}
	if err != nil {
		logger.Warn("plan interrupted; writing partial results", "err", err)
	}
	if o.merge && prev != nil {
		res = merge(prev, res)
	}
	if werr := write(o.out, res); werr != nil {
		return werr
	}
	logger.Info("wrote results", "markdown", filepath.Join(o.out, "RESULTS.md"), "json", outJSON)
	return err
}

// python2 returns the Python 2 interpreter for multilang-py and its version: flag if set,
// else the first of python2.7 and python2 on PATH that runs, else the newest
// ~/.pyenv/versions/2.7*/bin/python2.7 that runs. (A pyenv shim is on PATH but fails when
// no Python 2 is selected, hence running each candidate.)
func python2(ctx context.Context, flag string) (path, version string, err error) {
	if flag != "" {
		if err := isPython2(ctx, flag); err != nil {
			return "", "", fmt.Errorf("-python2 %s: %w", flag, err)
		}
		return flag, pythonVersion(ctx, flag), nil
	}
	var candidates []string
	for _, name := range []string{"python2.7", "python2"} {
		if p, err := exec.LookPath(name); err == nil {
			candidates = append(candidates, p)
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		matches, _ := filepath.Glob(filepath.Join(home, ".pyenv", "versions", "2.7*", "bin", "python2.7"))
		slices.SortFunc(matches, func(a, b string) int { return -compareVersions(pyenvVersion(a), pyenvVersion(b)) })
		candidates = append(candidates, matches...)
	}
	var tried []string
	for _, c := range candidates {
		err := isPython2(ctx, c)
		if err == nil {
			return c, pythonVersion(ctx, c), nil
		}
		tried = append(tried, fmt.Sprintf("%s (%v)", c, err))
	}
	msg := "no Python 2 interpreter (Storm 1.0.0's storm.py is Python 2 only): looked for python2.7 and python2 on PATH and ~/.pyenv/versions/2.7*/bin/python2.7; give one with -python2 PATH"
	if len(tried) > 0 {
		msg += "; tried " + strings.Join(tried, ", ")
	}
	return "", "", errors.New(msg)
}

// pyenvVersion is the version directory of a pyenv interpreter path (…/versions/2.7.18/bin/python2.7).
func pyenvVersion(path string) string {
	return filepath.Base(filepath.Dir(filepath.Dir(path)))
}

// compareVersions compares dotted versions numerically ("2.7.18" > "2.7.9"); a non-numeric
// part compares as text.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea == nil && eb == nil {
			if c := cmp.Compare(na, nb); c != 0 {
				return c
			}
		} else if c := strings.Compare(pa[i], pb[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(pa), len(pb))
}

// isPython2 runs `python -c 'import sys; print(sys.version_info[0])'` and wants "2".
func isPython2(ctx context.Context, python string) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, "-c", "import sys; print(sys.version_info[0])").Output()
	if err != nil {
		return fmt.Errorf("does not run: %w", err)
	}
	if v := strings.TrimSpace(string(out)); v != "2" {
		return fmt.Errorf("is Python %s, not 2", v)
	}
	return nil
}

// pythonVersion is "Python 2.7.18" (python -V writes it to stderr in Python 2).
func pythonVersion(ctx context.Context, python string) string {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, "-V").CombinedOutput()
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}

// storm returns r, or a runner that reports why the Storm side could not be prepared.
func storm(r bench.Runner, prepErr error) bench.Runner {
	if prepErr != nil {
		return unavailable{Runner: r, err: prepErr}
	}
	return r
}

type unavailable struct {
	bench.Runner
	err error
}

func (u unavailable) Available(context.Context) error { return u.err }

// childWith finds a child process of this one whose command line contains s.
func childWith(s string) int {
	fs, err := procfs.Open("/proc")
	if err != nil {
		return 0
	}
	all, err := fs.All()
	if err != nil {
		return 0
	}
	for pid, st := range all {
		if st.PPID != os.Getpid() {
			continue
		}
		if cmd, err := fs.Cmdline(pid); err == nil && slices.Contains(cmd, s) {
			return pid
		}
	}
	return 0
}

func load(path string) (*bench.Results, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r bench.Results
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

// merge adds now's runs to prev's: a case (runner, topology, workers) run now replaces prev's
// runs of that case; everything else of prev stays. Runner statuses come from now where it has
// them.
func merge(prev, now *bench.Results) *bench.Results {
	type caseKey struct {
		runner, topology string
		workers          int
	}
	rerun := map[caseKey]bool{}
	for _, x := range now.Runs {
		rerun[caseKey{x.Runner, x.Topology, x.Workers}] = true
	}
	ran := map[string]bool{}
	for _, st := range now.Runners {
		ran[st.Name] = true
	}
	out := *now
	out.Runners, out.Runs = nil, nil
	for _, st := range prev.Runners {
		if !ran[st.Name] {
			if st.Warm == "" && st.Available {
				st.Warm, st.Measure = prev.Settings.Warm, prev.Settings.Measure
			}
			out.Runners = append(out.Runners, st)
		}
	}
	out.Runners = append(out.Runners, now.Runners...)
	for _, x := range prev.Runs {
		if !rerun[caseKey{x.Runner, x.Topology, x.Workers}] {
			out.Runs = append(out.Runs, x)
		}
	}
	out.Runs = append(out.Runs, now.Runs...)
	out.Started = prev.Started
	out.Settings = prev.Settings
	out.Notes = append(prev.Notes, fmt.Sprintf("%s: re-ran %d runs of %v", now.Started.UTC().Format(time.RFC3339), len(now.Runs), keys(ran)))
	return &out
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func write(dir string, r *bench.Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "RESULTS.md"))
	if err != nil {
		return err
	}
	if err := report.Markdown(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
