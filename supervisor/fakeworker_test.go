package supervisor

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/stormthrift"
)

// envFakeWorker makes the test binary act as a worker process: the
// integration tests launch it through ProcessLauncher.
const envFakeWorker = "GALE_SUPERVISOR_TEST_FAKE_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(envFakeWorker) == "1" {
		os.Exit(fakeWorkerMain())
	}
	zktest.Main(m)
}

// fakeWorkerMain is a worker process as far as a supervisor can tell: it
// checks its command line, touches its pid file and writes LocalState
// heartbeats (with the system executor) for the executors its supervisor's
// local-assignments give its port. It exits on SIGTERM, when the test
// process that started it goes away, or after a few minutes.
func fakeWorkerMain() int {
	args := os.Args[1:]
	if len(args) < 5 || args[0] != "worker" {
		fmt.Fprintf(os.Stderr, "fake worker: bad args %q\n", args)
		return 2
	}
	spec := WorkerSpec{StormID: args[1], AssignmentID: args[2], WorkerID: args[4],
		WorkerDir: os.Getenv(EnvWorkerDir)}
	spec.Port, _ = strconv.Atoi(args[3])
	local := os.Getenv(EnvStormLocalDir)
	if spec.WorkerID != os.Getenv(EnvWorkerID) || spec.StormID != os.Getenv(EnvStormID) {
		fmt.Fprintf(os.Stderr, "fake worker: args %q disagree with the environment\n", args)
		return 2
	}
	if wd, _ := os.Getwd(); wd != spec.WorkerDir {
		fmt.Fprintf(os.Stderr, "fake worker: working dir %s, want %s\n", wd, spec.WorkerDir)
		return 2
	}
	fmt.Printf("fake worker %s started, pid %d\n", spec.WorkerID, os.Getpid())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	parent := os.Getppid()
	go func() { // die with the test process
		for range time.Tick(200 * time.Millisecond) {
			if os.Getppid() != parent {
				cancel()
				return
			}
		}
	}()
	if err := runFakeWorker(ctx, local, spec, 300*time.Millisecond, os.Getpid()); err != nil {
		fmt.Fprintln(os.Stderr, "fake worker:", err)
		return 1
	}
	fmt.Printf("fake worker %s stopping\n", spec.WorkerID)
	return 0
}

// runFakeWorker touches pids/<pid> and heartbeats every period until ctx is
// done. It serves FuncLauncher tests in-process too (pid 0: no pid file).
func runFakeWorker(ctx context.Context, localDir string, spec WorkerSpec, period time.Duration, pid int) error {
	if pid > 0 {
		if err := os.WriteFile(filepath.Join(spec.WorkerDir, "pids", strconv.Itoa(pid)), nil, 0o644); err != nil {
			return err
		}
	}
	assignments, err := compat.OpenLocalState(filepath.Join(localDir, "supervisor", "localstate"))
	if err != nil {
		return err
	}
	beats, err := compat.OpenLocalState(filepath.Join(spec.WorkerDir, "heartbeats"))
	if err != nil {
		return err
	}
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		var la stormthrift.LSSupervisorAssignments
		if ok, err := assignments.Get(compat.LSLocalAssignments, &la); err == nil && ok {
			if a := la.Assignments[int32(spec.Port)]; a != nil && a.TopologyID == spec.StormID {
				hb := &stormthrift.LSWorkerHeartbeat{
					TimeSecs:   int32(time.Now().Unix()),
					TopologyID: spec.StormID,
					Executors:  append([]*stormthrift.ExecutorInfo{{TaskStart: -1, TaskEnd: -1}}, a.Executors...),
					Port:       int32(spec.Port),
				}
				if err := beats.Put(compat.LSWorkerHeartbeat, hb, true); err != nil {
					return err
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
