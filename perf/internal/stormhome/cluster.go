package stormhome

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultJavaLibraryPath is defaults.yaml's java.library.path, which storm.py passes to daemons.
const DefaultJavaLibraryPath = "/usr/local/lib:/opt/local/lib:/usr/lib"

// ClusterConfig describes one Storm cluster on this machine.
type ClusterConfig struct {
	Home       *Home
	Dir        string         // the cluster's own files: conf/storm.yaml, logs/, local/
	ZooKeeper  string         // host:port
	ZKRoot     string         // storm.zookeeper.root; empty: "/storm"
	NimbusPort int            // nimbus.thrift.port
	SlotPorts  []int          // supervisor.slots.ports
	Extra      map[string]any // more storm.yaml entries (override the above)
}

// Cluster is a running Nimbus and Supervisor.
type Cluster struct {
	cfg        ClusterConfig
	confDir    string
	logDir     string
	nimbus     *exec.Cmd
	supervisor *exec.Cmd
	logger     *slog.Logger
}

// StormYAML renders the cluster's storm.yaml. Values are written as JSON, which is YAML.
func (c ClusterConfig) StormYAML() ([]byte, error) {
	host, port, err := net.SplitHostPort(c.ZooKeeper)
	if err != nil {
		return nil, fmt.Errorf("stormhome: zookeeper address %q: %w", c.ZooKeeper, err)
	}
	zkPort, err := strconv.Atoi(port)
	if err != nil {
		return nil, fmt.Errorf("stormhome: zookeeper port %q: %w", port, err)
	}
	root := c.ZKRoot
	if root == "" {
		root = "/storm"
	}
	m := map[string]any{
		"storm.zookeeper.servers": []string{host},
		"storm.zookeeper.port":    zkPort,
		"storm.zookeeper.root":    root,
		"nimbus.seeds":            []string{"127.0.0.1"},
		"nimbus.thrift.port":      c.NimbusPort,
		"supervisor.slots.ports":  c.SlotPorts,
		"storm.local.dir":         filepath.Join(c.Dir, "local"),
		"storm.log.dir":           filepath.Join(c.Dir, "logs"),
		"storm.local.hostname":    "127.0.0.1",
		"worker.childopts":        WorkerChildopts,
	}
	for k, v := range c.Extra {
		m[k] = v
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteString("# Written by Gale's perf harness for a Storm " + Version + " cluster.\n")
	for _, k := range keys {
		v, err := json.Marshal(m[k])
		if err != nil {
			return nil, fmt.Errorf("stormhome: storm.yaml %s: %w", k, err)
		}
		fmt.Fprintf(&b, "%s: %s\n", k, v)
	}
	return b.Bytes(), nil
}

// DaemonCommand returns the command line `storm nimbus` / `storm supervisor` runs (storm.py's
// exec_storm_class with daemon=True): java -server, the daemon's childopts, the system
// properties, the classpath lib/*.jar + conf dir, the log4j2 cluster.xml and async loggers.
func (h *Home) DaemonCommand(name, confDir, logDir string, childopts []string) ([]string, error) {
	cp, err := h.Classpath(confDir)
	if err != nil {
		return nil, err
	}
	class := map[string]string{"nimbus": "org.apache.storm.daemon.nimbus", "supervisor": "org.apache.storm.daemon.supervisor"}[name]
	if class == "" {
		return nil, fmt.Errorf("stormhome: unknown daemon %q", name)
	}
	argv := []string{h.Java, "-server",
		"-Ddaemon.name=" + name,
		"-Dstorm.options=",
		"-Dstorm.home=" + h.Dir,
		"-Dstorm.log.dir=" + logDir,
		"-Djava.library.path=" + DefaultJavaLibraryPath,
		"-Dstorm.conf.file=",
		"-cp", cp}
	argv = append(argv, childopts...)
	argv = append(argv,
		"-Dlogfile.name="+name+".log",
		"-DLog4jContextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
		"-Dlog4j.configurationFile="+filepath.Join(h.Dir, "log4j2", "cluster.xml"),
		class)
	return argv, nil
}

// ClientCommand returns the command line `storm jar <jar> <class> args...` runs (storm.py's
// jar: java -client, classpath lib/*.jar + the jar + conf dir, -Dstorm.jar).
func (h *Home) ClientCommand(confDir, logDir, jar, class string, args ...string) ([]string, error) {
	cp, err := h.Classpath(jar, confDir)
	if err != nil {
		return nil, err
	}
	argv := []string{h.Java, "-client",
		"-Ddaemon.name=",
		"-Dstorm.options=",
		"-Dstorm.home=" + h.Dir,
		"-Dstorm.log.dir=" + logDir,
		"-Djava.library.path=" + DefaultJavaLibraryPath,
		"-Dstorm.conf.file=",
		"-cp", cp,
		"-Dstorm.jar=" + jar,
		class}
	return append(argv, args...), nil
}

// StartCluster writes the configuration and starts Nimbus, then the Supervisor, each in its own
// process group (the Supervisor's workers join its group), and waits until Nimbus answers on its
// Thrift port and the Supervisor has registered.
func StartCluster(ctx context.Context, cfg ClusterConfig, logger *slog.Logger) (*Cluster, error) {
	c := &Cluster{cfg: cfg, confDir: filepath.Join(cfg.Dir, "conf"), logDir: filepath.Join(cfg.Dir, "logs"), logger: logger}
	for _, d := range []string{c.confDir, c.logDir, filepath.Join(cfg.Dir, "local")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("stormhome: %w", err)
		}
	}
	yml, err := cfg.StormYAML()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(c.confDir, "storm.yaml"), yml, 0o644); err != nil {
		return nil, fmt.Errorf("stormhome: %w", err)
	}
	start := func(name string, childopts []string) (*exec.Cmd, error) {
		argv, err := cfg.Home.DaemonCommand(name, c.confDir, c.logDir, childopts)
		if err != nil {
			return nil, err
		}
		out, err := os.Create(filepath.Join(c.logDir, name+".out"))
		if err != nil {
			return nil, fmt.Errorf("stormhome: %w", err)
		}
		defer out.Close()
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = cfg.Dir
		cmd.Env = append(os.Environ(), "STORM_CONF_DIR="+c.confDir)
		cmd.Stdout, cmd.Stderr = out, out
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("stormhome: start %s: %w", name, err)
		}
		logger.Info("started storm daemon", "daemon", name, "pid", cmd.Process.Pid)
		return cmd, nil
	}
	if c.nimbus, err = start("nimbus", []string{"-Xmx1024m"}); err != nil { // nimbus.childopts
		return nil, err
	}
	if c.supervisor, err = start("supervisor", []string{"-Xmx256m"}); err != nil { // supervisor.childopts
		c.Stop()
		return nil, err
	}
	if err := c.waitReady(ctx, 3*time.Minute); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	nimbusAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(c.cfg.NimbusPort))
	for {
		nimbusUp := false
		if conn, err := net.DialTimeout("tcp", nimbusAddr, time.Second); err == nil {
			conn.Close()
			nimbusUp = true
		}
		supUp := logContains(filepath.Join(c.logDir, "supervisor.log"), "Starting supervisor with id")
		if nimbusUp && supUp {
			return nil
		}
		for name, cmd := range map[string]*exec.Cmd{"nimbus": c.nimbus, "supervisor": c.supervisor} {
			if !alive(cmd.Process.Pid) {
				return fmt.Errorf("stormhome: %s exited; see %s", name, filepath.Join(c.logDir, name+".log"))
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("stormhome: cluster not ready after %v (nimbus %v, supervisor %v)", timeout, nimbusUp, supUp)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Roots are the daemons' pids: every process of the cluster (workers, their LogWriter parents,
// multilang subprocesses) descends from one of them.
func (c *Cluster) Roots() []int { return []int{c.nimbus.Process.Pid, c.supervisor.Process.Pid} }

// ConfDir is the cluster's conf directory (storm.yaml), for clients.
func (c *Cluster) ConfDir() string { return c.confDir }

// LogDir is where the daemons and workers log.
func (c *Cluster) LogDir() string { return c.logDir }

// Submit runs gale.perf.PerfMain submit in a client JVM as `storm jar` would, and returns the
// wall time it recorded just before calling StormSubmitter.
func (c *Cluster) Submit(ctx context.Context, jar, name, topology, confJSON string) (time.Time, error) {
	argv, err := c.cfg.Home.ClientCommand(c.confDir, c.logDir, jar, "gale.perf.PerfMain", "submit", name, topology, confJSON)
	if err != nil {
		return time.Time{}, err
	}
	out, err := c.client(ctx, argv)
	if err != nil {
		return time.Time{}, err
	}
	return parseMillis(out, "SUBMIT_MS=")
}

// Kill kills a topology with wait 0 (through a client JVM, like `storm kill -w 0`) and waits
// until the Supervisor's process group holds nothing but the Supervisor: workers, their
// LogWriters and multilang subprocesses all gone.
func (c *Cluster) Kill(ctx context.Context, jar, name string) error {
	argv, err := c.cfg.Home.ClientCommand(c.confDir, c.logDir, jar, "gale.perf.PerfMain", "kill", name)
	if err != nil {
		return err
	}
	if _, err := c.client(ctx, argv); err != nil {
		return err
	}
	sup := c.supervisor.Process.Pid
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if !anyInGroup(sup, func(pid int) bool { return pid != sup }) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return errors.New("stormhome: workers still running 90 s after kill")
}

func (c *Cluster) client(ctx context.Context, argv []string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = c.cfg.Dir
	cmd.Env = append(os.Environ(), "STORM_CONF_DIR="+c.confDir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("stormhome: %s: %w\n%s%s", strings.Join(argv[len(argv)-3:], " "), err,
			tail(stdout.Bytes(), 3000), tail(stderr.Bytes(), 3000))
	}
	return stdout.Bytes(), nil
}

// Stop ends the daemons and everything they started (their process groups): SIGTERM, then
// SIGKILL after five seconds.
func (c *Cluster) Stop() {
	var groups []int
	for _, cmd := range []*exec.Cmd{c.supervisor, c.nimbus} {
		if cmd != nil && cmd.Process != nil {
			groups = append(groups, cmd.Process.Pid)
		}
	}
	StopGroups(groups, 5*time.Second)
	for _, cmd := range []*exec.Cmd{c.supervisor, c.nimbus} {
		if cmd != nil && cmd.Process != nil {
			_ = cmd.Wait()
		}
	}
}

// StopGroups ends process groups: SIGTERM, then SIGKILL for what is left after grace.
func StopGroups(pgids []int, grace time.Duration) {
	for _, g := range pgids {
		_ = syscall.Kill(-g, syscall.SIGTERM)
	}
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) {
		left := false
		for _, g := range pgids {
			if anyInGroup(g, func(int) bool { return true }) {
				left = true
			}
		}
		if !left {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, g := range pgids {
		_ = syscall.Kill(-g, syscall.SIGKILL)
	}
}

func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(b, ')')
	return i > 0 && i+2 < len(b) && b[i+2] != 'Z'
}

// anyInGroup reports whether a live process of process group pgid satisfies pred.
func anyInGroup(pgid int, pred func(pid int) bool) bool {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if g, err := syscall.Getpgid(pid); err == nil && g == pgid && alive(pid) && pred(pid) {
			return true
		}
	}
	return false
}

func logContains(path, s string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), s) {
			return true
		}
	}
	return false
}

func parseMillis(out []byte, prefix string) (time.Time, error) {
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
			ms, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return time.Time{}, fmt.Errorf("stormhome: %s%s: %w", prefix, v, err)
			}
			return time.UnixMilli(ms), nil
		}
	}
	return time.Time{}, fmt.Errorf("stormhome: no %s line in client output:\n%s", prefix, tail(out, 2000))
}
