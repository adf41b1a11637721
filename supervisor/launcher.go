package supervisor

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/galeproject/gale/compat/conf"
)

// WorkerSpec is everything a launcher needs to start one worker. The
// supervisor has created WorkerDir/{pids,tmp,heartbeats} before Launch.
type WorkerSpec struct {
	StormID      string
	AssignmentID string // the supervisor id
	Port         int
	WorkerID     string
	WorkerDir    string // <storm.local.dir>/workers/<worker-id>; the working directory
	CodeDir      string // <storm.local.dir>/supervisor/stormdist/<url-encoded storm id>
	ArtifactsDir string // <workers-artifacts>/<storm id>/<port>: worker.log, worker.pid
	LogDir       string // the daemon log dir (Storm's -Dstorm.log.dir)
	// Conf is the supervisor conf merged with the topology's stormconf.ser
	// (what Storm's launch-worker reads topology.environment etc. from).
	Conf conf.Conf
	// Args follow "worker <storm-id> <assignment-id> <port> <worker-id>":
	// the daemon's --config/-c flags (Config.WorkerArgs) plus
	// -c storm.local.dir=<absolute dir>.
	Args []string
	// Procs, when positive, is the worker's GOMAXPROCS unless the
	// supervisor's environment or topology.environment sets one.
	Procs int
}

// Launcher starts workers. Launch must return once the worker is started;
// the worker's lifetime must not be tied to ctx, because a supervisor that
// shuts down leaves its workers running (shutdown is not kill).
type Launcher interface {
	Launch(ctx context.Context, spec WorkerSpec) (Worker, error)
}

// Worker is a started worker as its launcher sees it.
type Worker interface {
	// PID is the worker's OS process id, 0 for an in-process worker.
	PID() int
	// Done is closed when the worker has ended.
	Done() <-chan struct{}
	// Wait blocks until the worker has ended and returns how it ended. Any
	// number of goroutines may call it.
	Wait() error
	// Kill asks the worker to stop: force=false is SIGTERM (or a context
	// cancel), force=true is SIGKILL. It does not wait.
	Kill(force bool) error
}

// WorkerLookup is implemented by launchers that can hand back a worker they
// started, by id, to a new Supervisor in the same process (re-adoption
// keeps the handle; otherwise the supervisor falls back to pid files).
type WorkerLookup interface {
	Lookup(workerID string) (Worker, bool)
}

// Environment variables a launched worker process gets besides
// topology.environment; they repeat the command line and Storm's -D
// properties for workers that prefer the environment.
const (
	EnvStormID       = "GALE_STORM_ID"
	EnvAssignmentID  = "GALE_ASSIGNMENT_ID"
	EnvWorkerPort    = "GALE_WORKER_PORT"
	EnvWorkerID      = "GALE_WORKER_ID"
	EnvWorkerDir     = "GALE_WORKER_DIR"
	EnvCodeDir       = "GALE_CODE_DIR"
	EnvArtifactsDir  = "GALE_WORKER_ARTIFACTS_DIR"
	EnvStormLogDir   = "GALE_STORM_LOG_DIR"
	EnvStormLocalDir = "GALE_STORM_LOCAL_DIR"
)

// workerArgs is the worker command line after the program name.
func workerArgs(spec WorkerSpec) []string {
	return append([]string{"worker", spec.StormID, spec.AssignmentID, strconv.Itoa(spec.Port), spec.WorkerID}, spec.Args...)
}

// workerEnv is base plus, in order of precedence (later wins): the GALE_*
// variables, LD_LIBRARY_PATH as Storm computes it, and topology.environment.
func workerEnv(base []string, spec WorkerSpec) []string {
	env := make(map[string]string)
	var order []string
	set := func(k, v string) {
		if _, ok := env[k]; !ok {
			order = append(order, k)
		}
		env[k] = v
	}
	for _, kv := range base {
		if k, v, ok := strings.Cut(kv, "="); ok {
			set(k, v)
		}
	}
	set(EnvStormID, spec.StormID)
	set(EnvAssignmentID, spec.AssignmentID)
	set(EnvWorkerPort, strconv.Itoa(spec.Port))
	set(EnvWorkerID, spec.WorkerID)
	set(EnvWorkerDir, spec.WorkerDir)
	set(EnvCodeDir, spec.CodeDir)
	set(EnvArtifactsDir, spec.ArtifactsDir)
	set(EnvStormLogDir, spec.LogDir)
	set(EnvStormLocalDir, spec.Conf.StringOr(conf.StormLocalDir, ""))
	set("LD_LIBRARY_PATH", libraryPath(spec))
	if _, ok := env["GOMAXPROCS"]; !ok && spec.Procs > 0 {
		set("GOMAXPROCS", strconv.Itoa(spec.Procs))
	}
	if m := spec.Conf.Map(conf.TopologyEnvironment); m != nil {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if m[k] != nil {
				set(k, fmt.Sprint(m[k]))
			}
		}
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		out = append(out, k+"="+env[k])
	}
	return out
}

// libraryPath is Storm's jlp: the code's native resources for this
// platform, the resources dir, then java.library.path.
func libraryPath(spec WorkerSpec) string {
	res := filepath.Join(spec.CodeDir, resourcesDir)
	parts := []string{filepath.Join(res, javaOSName()+"-"+javaArch()), res}
	if jlp := spec.Conf.StringOr(conf.PropJavaLibraryPath, ""); jlp != "" {
		parts = append(parts, jlp)
	}
	return strings.Join(parts, ":")
}

// javaOSName and javaArch are the JVM's os.name (spaces as '_') and
// os.arch for this platform, as in Storm's native resource directory name.
func javaOSName() string {
	switch runtime.GOOS {
	case "linux":
		return "Linux"
	case "darwin":
		return "Mac_OS_X"
	case "windows":
		return "Windows"
	case "freebsd":
		return "FreeBSD"
	}
	return runtime.GOOS
}

func javaArch() string {
	switch runtime.GOARCH {
	case "amd64":
		return "amd64"
	case "386":
		return "x86"
	case "arm64":
		return "aarch64"
	}
	return runtime.GOARCH
}
