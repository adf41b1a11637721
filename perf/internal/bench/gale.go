package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/galeproject/gale/perf/internal/procfs"
	"github.com/galeproject/gale/perf/internal/stormhome"
)

// GaleRunner runs the Go twins of the topologies (perf/gale, executable perf/gale/cmd/perftopo)
// on Gale: Mode "dev" is one `storm dev` process; Mode "cluster" is `storm nimbus` and
// `storm supervisor` (two slots) on the shared ZooKeeper, configured like the Storm cluster.
//
// It is the hook the Gale side plugs into: Available asks `perftopo capabilities`, which says
// "submit": false until the SDK's submit and worker entry points are wired in perftopo's main;
// until then every Gale cell of the results reads "not yet measured (runtime pending)".
type GaleRunner struct {
	Mode      string // "dev" or "cluster"
	RepoDir   string // the Gale module root (go build runs there)
	ZooKeeper string // host:port (cluster mode)
	Dir       string
	Logger    *slog.Logger
	// RelayJS and StormJS are the multilang topology's relay.js and Storm's
	// storm.js (multilang-javascript 1.0.0); copied next to each other for
	// each multilang run.
	RelayJS, StormJS string
	// RelayPy and StormPy are multilang-py's relay.py and Storm's storm.py
	// (multilang-python 1.0.0), copied likewise for each multilang-py run. The
	// interpreter reaches the topology as perf.python in the run's conf.
	RelayPy, StormPy string

	stormBin, topoBin string
	nimbusPort        int
	daemons           []*exec.Cmd
}

func (r *GaleRunner) Name() string   { return "gale-" + r.Mode }
func (r *GaleRunner) System() string { return "gale" }

// Available builds `storm` and `perftopo` and asks perftopo whether it can submit.
func (r *GaleRunner) Available(ctx context.Context) error {
	bin := filepath.Join(r.Dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	r.topoBin = filepath.Join(bin, "perftopo")
	r.stormBin = filepath.Join(bin, "storm")
	for pkg, out := range map[string]string{"./perf/gale/cmd/perftopo": r.topoBin, "./cmd/storm": r.stormBin} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
		cmd.Dir = r.RepoDir
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%w: go build %s: %v: %s", ErrPending, pkg, err, firstLines(b, 3))
		}
	}
	out, err := exec.CommandContext(ctx, r.topoBin, "capabilities").Output()
	if err != nil {
		return fmt.Errorf("%w: perftopo capabilities: %v", ErrPending, err)
	}
	var caps struct {
		Submit bool   `json:"submit"`
		Reason string `json:"reason"`
	}
	if err := json.Unmarshal(out, &caps); err != nil {
		return fmt.Errorf("perftopo capabilities: %w", err)
	}
	if !caps.Submit {
		return fmt.Errorf("%w: %s", ErrPending, caps.Reason)
	}
	return nil
}

func (r *GaleRunner) Start(ctx context.Context) error {
	ports, err := freePorts(3)
	if err != nil {
		return err
	}
	r.nimbusPort = ports[0]
	logs := filepath.Join(r.Dir, "logs")
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return err
	}
	switch r.Mode {
	case "dev":
		// A Go topology's components live in its own executable: dev mode is `perftopo dev`,
		// one process per deployment, started by Deploy.
		return nil
	case "cluster":
		var suffix [4]byte
		_, _ = rand.Read(suffix[:])
		host, zkPort, err := net.SplitHostPort(r.ZooKeeper)
		if err != nil {
			return err
		}
		yml := fmt.Sprintf("storm.zookeeper.servers: [%q]\nstorm.zookeeper.port: %s\nstorm.zookeeper.root: %q\n"+
			"nimbus.seeds: [\"127.0.0.1\"]\nnimbus.thrift.port: %d\nsupervisor.slots.ports: [%d, %d]\n"+
			"storm.local.dir: %q\nstorm.log.dir: %q\nstorm.local.hostname: \"127.0.0.1\"\n",
			host, zkPort, "/gale-perf-gale-"+hex.EncodeToString(suffix[:]), r.nimbusPort, ports[1], ports[2],
			filepath.Join(r.Dir, "local"), logs)
		conf := filepath.Join(r.Dir, "storm.yaml")
		if err := os.WriteFile(conf, []byte(yml), 0o644); err != nil {
			return err
		}
		if err := r.startDaemon(ctx, "nimbus", []string{"--config", conf, "nimbus"}); err != nil {
			return err
		}
		return r.startDaemon(ctx, "supervisor", []string{"--config", conf, "supervisor"})
	}
	return fmt.Errorf("gale runner: unknown mode %q", r.Mode)
}

func (r *GaleRunner) startDaemon(ctx context.Context, name string, args []string) error {
	_, err := r.startProc(r.stormBin, name, args)
	if err != nil {
		return err
	}
	if name == "supervisor" {
		return sleep(ctx, 3*time.Second) // registration; the first deploy waits for acks anyway
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(r.nimbusPort))
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return nil
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("gale %s: no Thrift listener on %s", name, addr)
}

// startProc starts bin in its own process group with its output in logs/NAME.out.
func (r *GaleRunner) startProc(bin, name string, args []string) (*exec.Cmd, error) {
	out, err := os.Create(filepath.Join(r.Dir, "logs", name+".out"))
	if err != nil {
		return nil, err
	}
	defer out.Close()
	cmd := exec.Command(bin, args...)
	cmd.Dir = r.Dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("gale %s: %w", name, err)
	}
	r.daemons = append(r.daemons, cmd)
	return cmd, nil
}

func (r *GaleRunner) clientArgs() []string {
	return []string{"-c", `nimbus.seeds=["127.0.0.1"]`, "-c", "nimbus.thrift.port=" + strconv.Itoa(r.nimbusPort)}
}

func (r *GaleRunner) Deploy(ctx context.Context, spec Spec) (Deployment, error) {
	if r.Mode == "dev" {
		return r.deployDev(ctx, spec)
	}
	args := append([]string{"submit", spec.Name, spec.Topology, spec.ConfFile}, r.clientArgs()...)
	ml, err := r.multilangArgs(spec)
	if err != nil {
		return nil, err
	}
	args = append(args, ml...)
	cmd := exec.CommandContext(ctx, r.topoBin, args...)
	cmd.Dir = spec.Dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("perftopo submit: %w: %s", err, firstLines(stderr.Bytes(), 5))
	}
	var submitted time.Time
	for _, line := range strings.Split(stdout.String(), "\n") {
		if v, ok := strings.CutPrefix(line, "SUBMIT_MS="); ok {
			ms, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("perftopo submit: %q: %w", line, err)
			}
			submitted = time.UnixMilli(ms)
		}
	}
	if submitted.IsZero() {
		return nil, fmt.Errorf("perftopo submit printed no SUBMIT_MS")
	}
	name := spec.Name
	return &deployment{submit: submitted, roots: r.roots, kill: func(ctx context.Context) error { return r.kill(ctx, name) }}, nil
}

// deployDev runs the topology in `perftopo dev` (the executable's embedded cluster), which runs
// until it is killed.
func (r *GaleRunner) deployDev(ctx context.Context, spec Spec) (Deployment, error) {
	logs := filepath.Join(r.Dir, "logs")
	args := []string{"dev", spec.Name, spec.Topology, spec.ConfFile,
		"-c", "nimbus.thrift.port=" + strconv.Itoa(r.nimbusPort),
		"-c", "storm.local.dir=" + filepath.Join(spec.Dir, "gale-local"), "-c", "storm.log.dir=" + logs}
	ml, err := r.multilangArgs(spec)
	if err != nil {
		return nil, err
	}
	args = append(args, ml...)
	cmd, err := r.startProc(r.topoBin, "dev-"+spec.Name, args)
	if err != nil {
		return nil, err
	}
	outFile := filepath.Join(logs, "dev-"+spec.Name+".out")
	var submitted time.Time
	for deadline := time.Now().Add(30 * time.Second); submitted.IsZero(); {
		b, _ := os.ReadFile(outFile)
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "SUBMIT_MS="); ok {
				if ms, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
					submitted = time.UnixMilli(ms)
				}
			}
		}
		if !submitted.IsZero() {
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("perftopo dev printed no SUBMIT_MS")
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return nil, err
		}
	}
	kill := func(ctx context.Context) error {
		stormhome.StopGroups([]int{cmd.Process.Pid}, 10*time.Second)
		_ = cmd.Wait()
		r.daemons = slices.DeleteFunc(r.daemons, func(c *exec.Cmd) bool { return c == cmd })
		return nil
	}
	return &deployment{submit: submitted, roots: func() []int { return []int{cmd.Process.Pid} }, kill: kill}, nil
}

func (r *GaleRunner) roots() []int {
	var pids []int
	for _, d := range r.daemons {
		pids = append(pids, d.Process.Pid)
	}
	return pids
}

func (r *GaleRunner) kill(ctx context.Context, name string) error {
	args := append(r.clientArgs(), "kill", name, "-w", "0")
	if b, err := exec.CommandContext(ctx, r.stormBin, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("storm kill: %w: %s", err, firstLines(b, 5))
	}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if !r.workersLeft() {
			return nil
		}
		if err := sleep(ctx, 500*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("gale: workers still running 90 s after kill")
}

// workersLeft: is any process left under the daemons (the supervisor's workers run in
// process groups of their own)?
func (r *GaleRunner) workersLeft() bool {
	return len(r.descendants()) > 0
}

// descendants are the processes under the daemons, not the daemons themselves.
func (r *GaleRunner) descendants() []int {
	fs, err := procfs.Open("/proc")
	if err != nil {
		return nil
	}
	all, err := fs.All()
	if err != nil {
		return nil
	}
	daemons := r.roots()
	var out []int
	for _, pid := range procfs.Tree(all, daemons) {
		if !slices.Contains(daemons, pid) {
			out = append(out, pid)
		}
	}
	return out
}

// Classify: a Gale worker is the topology executable a supervisor started
// (`.../stormdist/<id>/stormjar.jar worker <id> ...`); in dev mode, the one `perftopo dev`
// process, which runs the whole cluster and its workers.
func (r *GaleRunner) Classify(cmd []string) Role {
	if len(cmd) < 2 {
		return RoleOther
	}
	if cmd[1] == "worker" || (filepath.Base(cmd[0]) == "perftopo" && cmd[1] == "dev") {
		return RoleWorker
	}
	return RoleOther
}

func (r *GaleRunner) Stop() {
	// The workers run in process groups of their own: stop them with the daemons.
	groups := append([]int(nil), r.roots()...)
	for _, pid := range r.descendants() {
		if g, err := syscall.Getpgid(pid); err == nil && !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	stormhome.StopGroups(groups, 5*time.Second)
	for _, d := range r.daemons {
		_ = d.Wait()
	}
	r.daemons = nil
}

func firstLines(b []byte, n int) string {
	lines := strings.SplitN(strings.TrimSpace(string(b)), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " | ")
}

// multilangArgs puts relay.js and storm.js (multilang) or relay.py and storm.py
// (multilang-py) in the run's directory and returns the -c option that names it.
func (r *GaleRunner) multilangArgs(spec Spec) ([]string, error) {
	var files []string
	switch spec.Topology {
	case "multilang":
		if r.RelayJS == "" || r.StormJS == "" {
			return nil, fmt.Errorf("gale multilang: relay.js or storm.js unknown")
		}
		files = []string{r.RelayJS, r.StormJS}
	case "multilang-py":
		if r.RelayPy == "" || r.StormPy == "" {
			return nil, fmt.Errorf("gale multilang-py: relay.py or storm.py unknown")
		}
		files = []string{r.RelayPy, r.StormPy}
	default:
		return nil, nil
	}
	dir := filepath.Join(spec.Dir, "multilang")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("gale %s: %w", spec.Topology, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("gale %s: %w", spec.Topology, err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			return nil, fmt.Errorf("gale %s: %w", spec.Topology, err)
		}
	}
	return []string{"-c", "perf.multilang.dir=" + dir}, nil
}
