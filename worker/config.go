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

// ErrUnsupportedComponent is wrapped by errors for components a Go worker cannot run.
var ErrUnsupportedComponent = errors.New("component cannot run in a Go worker")

// NeedsJVMError reports a component that only a JVM can run: a Java class Gale has no native
// equivalent for, or a name the executable's component factory does not register.
type NeedsJVMError struct {
	ComponentID string
	Class       string // Java class name (or unregistered Go component name)
	Reason      string // why Gale cannot run it natively
}

func (e *NeedsJVMError) Error() string {
	return fmt.Sprintf("component %q is %s: %s; it needs a JVM, which Gale's Go worker does not host", e.ComponentID, e.Class, e.Reason)
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
