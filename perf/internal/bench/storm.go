package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/galeproject/gale/perf/internal/stormhome"
)

// StormCluster runs Storm 1.0.0 as a real cluster: its Nimbus and one Supervisor (with two
// slots, for the two-worker runs) from the Maven Central jars, on the shared ZooKeeper.
type StormCluster struct {
	Home      *stormhome.Home
	Jar       string // the topology jar (perf/java)
	ZooKeeper string // host:port
	Dir       string
	Logger    *slog.Logger

	cluster *stormhome.Cluster
}

func (r *StormCluster) Name() string   { return "storm-cluster" }
func (r *StormCluster) System() string { return "storm" }

func (r *StormCluster) Available(context.Context) error { return javaAvailable() }

func (r *StormCluster) Start(ctx context.Context) error {
	ports, err := freePorts(3)
	if err != nil {
		return err
	}
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	c, err := stormhome.StartCluster(ctx, stormhome.ClusterConfig{
		Home:       r.Home,
		Dir:        r.Dir,
		ZooKeeper:  r.ZooKeeper,
		ZKRoot:     "/gale-perf-storm-" + hex.EncodeToString(suffix[:]),
		NimbusPort: ports[0],
		SlotPorts:  ports[1:],
	}, r.Logger)
	if err != nil {
		return err
	}
	r.cluster = c
	return nil
}

func (r *StormCluster) Deploy(ctx context.Context, spec Spec) (Deployment, error) {
	if r.cluster == nil {
		return nil, fmt.Errorf("storm-cluster: not started")
	}
	t, err := r.cluster.Submit(ctx, r.Jar, spec.Name, spec.Topology, spec.ConfFile)
	if err != nil {
		return nil, err
	}
	c, jar, name := r.cluster, r.Jar, spec.Name
	return &deployment{submit: t, roots: c.Roots, kill: func(ctx context.Context) error { return c.Kill(ctx, jar, name) }}, nil
}

func (r *StormCluster) Classify(cmd []string) Role { return classifyStorm(cmd) }

func (r *StormCluster) Stop() {
	if r.cluster != nil {
		r.cluster.Stop()
		r.cluster = nil
	}
}

// StormLocal runs each topology in a fresh LocalCluster JVM (Storm's in-process cluster).
type StormLocal struct {
	Home   *stormhome.Home
	Jar    string
	Logger *slog.Logger
}

func (r *StormLocal) Name() string                    { return "storm-local" }
func (r *StormLocal) System() string                  { return "storm" }
func (r *StormLocal) Available(context.Context) error { return javaAvailable() }
func (r *StormLocal) Start(context.Context) error     { return nil }
func (r *StormLocal) Stop()                           {}
func (r *StormLocal) Classify(cmd []string) Role      { return classifyStorm(cmd) }

func (r *StormLocal) Deploy(ctx context.Context, spec Spec) (Deployment, error) {
	l, t, err := r.Home.StartLocal(ctx, spec.Dir, r.Jar, spec.Name, spec.Topology, spec.ConfFile, r.Logger)
	if err != nil {
		return nil, err
	}
	return &deployment{submit: t, roots: func() []int { return []int{l.PID()} },
		kill: func(context.Context) error { l.Stop(); return nil }}, nil
}

// classifyStorm recognizes Storm's worker JVM and the LogWriter JVM the supervisor starts it
// through.
func classifyStorm(cmd []string) Role {
	switch { // LogWriter's arguments are the worker's command line: test it first
	case slices.Contains(cmd, "org.apache.storm.LogWriter"):
		return RoleLauncher
	case slices.Contains(cmd, "org.apache.storm.daemon.worker"):
		return RoleWorker
	}
	return RoleOther
}

type deployment struct {
	submit time.Time
	roots  func() []int
	kill   func(context.Context) error
}

func (d *deployment) SubmitTime() time.Time          { return d.submit }
func (d *deployment) Roots() []int                   { return d.roots() }
func (d *deployment) Kill(ctx context.Context) error { return d.kill(ctx) }

func javaAvailable() error {
	for _, tool := range []string{"java", "javac", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found: %w", tool, err)
		}
	}
	return nil
}

// freePorts returns n distinct free TCP ports on 127.0.0.1.
func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// PrepareStorm assembles STORM_HOME in cacheDir and builds the topology jar from javaDir
// (perf/java: src/ and resources/).
func PrepareStorm(ctx context.Context, cacheDir, javaDir string, logger *slog.Logger) (*stormhome.Home, string, error) {
	if err := javaAvailable(); err != nil {
		return nil, "", err
	}
	home, err := stormhome.Assemble(ctx, cacheDir, logger)
	if err != nil {
		return nil, "", err
	}
	jar, err := home.TopologyJar(ctx, filepath.Join(javaDir, "src"), filepath.Join(javaDir, "resources"))
	if err != nil {
		return nil, "", err
	}
	return home, jar, nil
}
