package supervisor

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/stormthrift"
)

func newFakeClock() *testutil.Clock { return testutil.NewClock(time.Unix(1_700_000_000, 0)) }

// fakeLauncher records launches; its workers live until killed or ended by
// the test.
type fakeLauncher struct {
	mu       sync.Mutex
	launched []WorkerSpec
	workers  map[string]*fakeWorker
	fail     error // returned by the next Launch, then cleared
}

func newFakeLauncher() *fakeLauncher { return &fakeLauncher{workers: map[string]*fakeWorker{}} }

func (l *fakeLauncher) Launch(_ context.Context, spec WorkerSpec) (Worker, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.fail; err != nil {
		l.fail = nil
		return nil, err
	}
	w := &fakeWorker{done: make(chan struct{})}
	l.launched = append(l.launched, spec)
	l.workers[spec.WorkerID] = w
	return w, nil
}

func (l *fakeLauncher) specs() []WorkerSpec {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]WorkerSpec(nil), l.launched...)
}

func (l *fakeLauncher) last(t *testing.T) (WorkerSpec, *fakeWorker) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.launched) == 0 {
		t.Fatal("nothing launched")
	}
	spec := l.launched[len(l.launched)-1]
	return spec, l.workers[spec.WorkerID]
}

type fakeWorker struct {
	mu     sync.Mutex
	done   chan struct{}
	killed []bool // force flags of Kill calls
}

func (w *fakeWorker) PID() int              { return 0 }
func (w *fakeWorker) Done() <-chan struct{} { return w.done }
func (w *fakeWorker) Wait() error           { <-w.done; return nil }

func (w *fakeWorker) Kill(force bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.killed = append(w.killed, force)
	w.exit()
	return nil
}

// exit ends the worker as if it crashed.
func (w *fakeWorker) exit() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
}

func (w *fakeWorker) wasKilled() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.killed) > 0
}

// testConf is a daemon conf rooted in dir with quick timings.
func testConf(dir string, ports ...int64) conf.Conf {
	c := conf.Defaults()
	c[conf.StormLocalDir] = dir
	ps := make([]any, len(ports))
	for i, p := range ports {
		ps[i] = p
	}
	c[conf.SupervisorSlotsPorts] = ps
	c[conf.SupervisorWorkerShutdownSleepSecs] = int64(0)
	c[conf.SupervisorHeartbeatFrequencySecs] = int64(1)
	c[conf.SupervisorMonitorFrequencySecs] = int64(1)
	return c
}

func memState(t testing.TB) (*cluster.State, *mem.Server) {
	t.Helper()
	srv := mem.NewServer()
	s := srv.Connect()
	t.Cleanup(func() { s.Close() })
	st, err := cluster.New(s, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return st, srv
}

// noBlobs fails every download.
type noBlobs struct{}

func (noBlobs) Download(context.Context, string, io.Writer) error { return os.ErrNotExist }

// writeCode installs a topology's code directory as a download would.
func writeCode(t testing.TB, l layout, id string, topoConf conf.Conf) {
	t.Helper()
	dir := l.codeDir(id)
	if err := os.MkdirAll(filepath.Join(dir, resourcesDir), 0o755); err != nil {
		t.Fatal(err)
	}
	confBytes, err := compat.GzipJSON(topoConf)
	if err != nil {
		t.Fatal(err)
	}
	code, err := compat.Serialize(&stormthrift.StormTopology{})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{stormJarFile: []byte("PK\x05\x06" + string(make([]byte, 18))), stormCodeFile: code, stormConfFile: confBytes} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeHeartbeat writes a worker's LocalState heartbeat as a worker does.
func writeHeartbeat(t testing.TB, l layout, wid string, at time.Time, port int, a SlotAssignment) {
	t.Helper()
	ls, err := compat.OpenLocalState(l.heartbeatDir(wid))
	if err != nil {
		t.Fatal(err)
	}
	hb := &stormthrift.LSWorkerHeartbeat{
		TimeSecs:   int32(at.Unix()),
		TopologyID: a.TopologyID,
		Executors:  toExecutorInfos(append([]Executor{systemExecutor}, a.Executors...)),
		Port:       int32(port),
	}
	if err := ls.Put(compat.LSWorkerHeartbeat, hb, false); err != nil {
		t.Fatal(err)
	}
}

// testLogger logs at debug and above into t's output until the test ends.
func testLogger(t testing.TB) *slog.Logger { return testutil.Logger(t, slog.LevelDebug) }
