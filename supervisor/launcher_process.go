package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// ProcessOptions configure a ProcessLauncher.
type ProcessOptions struct {
	// Binary runs workers of jar topologies (Gale's `storm` program, which
	// has a `worker` command); "" = the running executable.
	Binary string
	// Env is added to the supervisor's environment for every worker.
	Env []string
	// Logger; nil discards.
	Logger *slog.Logger
}

// ProcessLauncher runs every worker as an OS process (Storm's distributed
// launch-worker):
//
//	<program> worker <storm-id> <assignment-id> <port> <worker-id> <spec.Args...>
//
// where program is the topology artifact itself when stormjar.jar is a
// program (a Go topology: ELF or Mach-O, or a script that is not a zip),
// else Binary. The worker runs in its worker
// directory, in its own process group (so it outlives the supervisor), with
// stdout and stderr appended to <artifacts>/<id>/<port>/worker.log and the
// environment of workerEnv. It writes its own pid files.
//
// A ProcessLauncher remembers the processes it started until they end, so a
// Supervisor restarted in the same process re-adopts them with their handle.
type ProcessLauncher struct {
	binary string
	env    []string
	log    *slog.Logger

	mu    sync.Mutex
	procs map[string]*procWorker
}

var _ WorkerLookup = (*ProcessLauncher)(nil)

// NewProcessLauncher returns a launcher for worker processes.
func NewProcessLauncher(o ProcessOptions) (*ProcessLauncher, error) {
	bin := o.Binary
	if bin == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("supervisor: worker binary: %w", err)
		}
		bin = exe
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ProcessLauncher{binary: bin, env: o.Env, log: log, procs: map[string]*procWorker{}}, nil
}

// Program is the executable a worker of the topology in codeDir runs: the
// artifact itself when the download found it to be a program (and so made
// it executable), else the worker binary.
func (l *ProcessLauncher) Program(codeDir string) string {
	jar := filepath.Join(codeDir, stormJarFile)
	if fi, err := os.Stat(jar); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
		return jar
	}
	return l.binary
}

// Launch starts the worker process.
func (l *ProcessLauncher) Launch(ctx context.Context, spec WorkerSpec) (Worker, error) {
	prog := l.Program(spec.CodeDir)
	if err := os.MkdirAll(spec.ArtifactsDir, 0o755); err != nil {
		return nil, fmt.Errorf("supervisor: worker log dir: %w", err)
	}
	logf, err := os.OpenFile(filepath.Join(spec.ArtifactsDir, "worker.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("supervisor: worker log: %w", err)
	}
	defer logf.Close()
	var cmd *exec.Cmd
	// A freshly written artifact can be briefly busy (ETXTBSY) while a
	// concurrent fork still holds its write descriptor: retry a little.
	for attempt := 0; ; attempt++ {
		cmd = exec.Command(prog, workerArgs(spec)...)
		cmd.Dir = spec.WorkerDir
		cmd.Env = workerEnv(append(os.Environ(), l.env...), spec)
		cmd.Stdout, cmd.Stderr = logf, logf
		detach(cmd)
		err = cmd.Start()
		if err == nil || !errors.Is(err, syscall.ETXTBSY) || attempt >= 20 {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err != nil {
		return nil, fmt.Errorf("supervisor: start worker %s: %w", prog, err)
	}
	w := &procWorker{cmd: cmd, done: make(chan struct{})}
	l.mu.Lock()
	l.procs[spec.WorkerID] = w
	l.mu.Unlock()
	l.log.Info("launched worker process", "worker", spec.WorkerID, "pid", cmd.Process.Pid, "program", prog,
		"topology", spec.StormID, "port", spec.Port)
	// The reaper outlives the supervisor's Run on purpose: it ends with the
	// worker, and keeps it from lingering as a zombie.
	go func() {
		w.err = cmd.Wait()
		close(w.done)
		l.mu.Lock()
		if l.procs[spec.WorkerID] == w {
			delete(l.procs, spec.WorkerID)
		}
		l.mu.Unlock()
	}()
	return w, nil
}

// Lookup returns a still running worker this launcher started.
func (l *ProcessLauncher) Lookup(workerID string) (Worker, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.procs[workerID]
	return w, ok
}

type procWorker struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // set before done is closed
}

func (w *procWorker) PID() int              { return w.cmd.Process.Pid }
func (w *procWorker) Done() <-chan struct{} { return w.done }

func (w *procWorker) Wait() error {
	<-w.done
	return w.err
}

// Kill signals the worker's process group, then the worker itself.
func (w *procWorker) Kill(force bool) error {
	select {
	case <-w.done:
		return nil
	default:
	}
	pid := w.PID()
	return errors.Join(signalGroup(pid, force), signalPID(pid, force))
}
