package worker

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
)

// Config is what a worker needs to run one slot of a topology (Storm's worker -main arguments plus
// the daemon's conf, cluster state and component registry).
type Config struct {
	StormID      string // topology id
	AssignmentID string // the supervisor's assignment id (the "node" of NodeInfo)
	Port         int    // the slot port; the messaging server listens on it
	WorkerID     string // directory name under <storm.local.dir>/workers

	// Conf is the supervisor's (daemon) conf; the topology conf from stormconf.ser is merged over it.
	// Missing keys take Storm's defaults.
	Conf conf.Conf
	// CodeDir is <storm.local.dir>/supervisor/stormdist/<topology id>: stormcode.ser, stormconf.ser
	// and resources/.
	CodeDir string
	// LocalDir is storm.local.dir: the worker writes workers/<WorkerID>/{pids,heartbeats} under it.
	LocalDir string
	// State is the cluster state session (ZooKeeper or the in-memory store).
	State *cluster.State

	// Components creates Go components by registry name (JavaObject.full_class_name); a
	// *storm.App is one. May be nil when the topology has no Go components.
	Components ComponentFactory
	// Resolver creates what Components does not know: Storm's built-in Java classes and
	// multilang (shell) components. May be nil.
	Resolver ComponentResolver

	// Clock drives ticks, heartbeats, timeouts and timestamps (RealClock when nil). Connection
	// retries and readiness polling use real time.
	Clock Clock
	// Logger receives the worker's logs (discarded when nil).
	Logger *slog.Logger
	// Hostname is reported with errors (storm.local.hostname, else os.Hostname, when empty).
	Hostname string
	// Listener, when set, is used by the messaging server instead of listening on 0.0.0.0:Port
	// (in-process launchers and tests bind first to avoid port races). The worker closes it.
	Listener net.Listener
}

// ComponentFactory creates Go components by registry name. *storm.App implements it. Every task
// gets its own instance.
type ComponentFactory interface {
	NewSpout(name string) (storm.Spout, error)
	NewBolt(name string) (storm.Bolt, error)
	NewGrouping(name string) (storm.CustomStreamGrouping, error)
}

// ComponentEnv is what a ComponentResolver may need to create a component for one task.
type ComponentEnv struct {
	StormID     string
	ComponentID string
	TaskID      int32
	// ResourcesDir is <CodeDir>/resources, the working directory of multilang subprocesses.
	ResourcesDir string
	// PidDir is workers/<worker id>/pids, where multilang subprocesses register their pids.
	PidDir string
	Logger *slog.Logger
}

// ComponentResolver creates components that are not Go components of the topology's executable:
// Storm's built-in Java classes (TestWordSpout …) as Go equivalents, and shell components run as
// multilang subprocesses. It returns an error wrapping ErrUnsupportedComponent for objects it
// does not handle.
type ComponentResolver interface {
	Spout(obj *stormthrift.ComponentObject, env ComponentEnv) (storm.Spout, error)
	Bolt(obj *stormthrift.ComponentObject, env ComponentEnv) (storm.Bolt, error)
}

// ErrUnsupportedComponent is wrapped by errors for components a Go worker cannot run.
var ErrUnsupportedComponent = errors.New("component cannot run in a Go worker")

// NeedsJVMError reports a component that only a JVM can run (a serialized Java object or a Java
// class Gale has no equivalent for).
type NeedsJVMError struct {
	ComponentID string
	Class       string // Java class name, or "" for a serialized object whose class is unknown
}

func (e *NeedsJVMError) Error() string {
	if e.Class == "" {
		return fmt.Sprintf("component %q is a serialized Java object; it needs a JVM, which Gale's Go worker does not host", e.ComponentID)
	}
	return fmt.Sprintf("component %q is the Java class %s; it needs a JVM, which Gale's Go worker does not host (register a Go component under that name to run it)", e.ComponentID, e.Class)
}

func (e *NeedsJVMError) Unwrap() error { return ErrUnsupportedComponent }

func (c *Config) validate() error {
	switch {
	case c.StormID == "":
		return errors.New("worker: empty storm id")
	case c.AssignmentID == "":
		return errors.New("worker: empty assignment id")
	case c.Port <= 0 || c.Port > 65535:
		return fmt.Errorf("worker: bad port %d", c.Port)
	case c.WorkerID == "":
		return errors.New("worker: empty worker id")
	case c.CodeDir == "":
		return errors.New("worker: empty code dir")
	case c.LocalDir == "":
		return errors.New("worker: empty local dir")
	case c.State == nil:
		return errors.New("worker: no cluster state")
	}
	return nil
}

func (c *Config) hostname(daemonConf conf.Conf) string {
	if c.Hostname != "" {
		return c.Hostname
	}
	if h := daemonConf.StringOr(conf.StormLocalHostname, ""); h != "" {
		return h
	}
	if h, err := os.Hostname(); err == nil {
		return h
	}
	return "localhost"
}
