package supervisor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/stormthrift"
)

// backends gives each test a fresh cluster state namespace on the in-memory
// store and on a real ZooKeeper; connect opens a new session.
func backends(t *testing.T) map[string]func(t *testing.T) func() store.Store {
	return map[string]func(t *testing.T) func() store.Store{
		"mem": func(t *testing.T) func() store.Store {
			srv := mem.NewServer()
			return srv.Connect
		},
		"zookeeper": func(t *testing.T) func() store.Store {
			servers := zktest.Start(t)
			root := zktest.Root(t)
			return func() store.Store {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				s, err := zk.Dial(ctx, servers, root, 10*time.Second, testLogger(t))
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
		},
	}
}

func newState(t *testing.T, s store.Store) *cluster.State {
	t.Helper()
	st, err := cluster.New(s, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// pidTracker remembers every worker pid a test saw and kills the
// survivors when the test ends.
type pidTracker struct {
	mu   sync.Mutex
	pids map[int]bool
}

func trackPIDs(t *testing.T) *pidTracker {
	p := &pidTracker{pids: map[int]bool{}}
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for pid := range p.pids {
			if pidAlive(pid) {
				t.Logf("killing leftover worker %d", pid)
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	return p
}

func (p *pidTracker) add(pid int) {
	p.mu.Lock()
	p.pids[pid] = true
	p.mu.Unlock()
}

func (p *pidTracker) alive() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int
	for pid := range p.pids {
		if pidAlive(pid) {
			out = append(out, pid)
		}
	}
	slices.Sort(out)
	return out
}

// running is a Supervisor in Run on its own store session.
type running struct {
	s      *Supervisor
	cancel context.CancelFunc
	done   chan error
	st     *cluster.State
}

func startSupervisor(t *testing.T, cfg Config, connect func() store.Store) *running {
	t.Helper()
	cfg.State = newState(t, connect())
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{s: s, cancel: cancel, done: make(chan error, 1), st: cfg.State}
	go func() { r.done <- s.Run(ctx) }()
	t.Cleanup(r.stop)
	return r
}

// stop shuts the supervisor down (workers stay) and closes its session.
func (r *running) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	<-r.done
	r.st.Store().Close()
	r.cancel = nil
}

// slotView is what the disk says about one port's worker.
type slotView struct {
	id     string
	pid    int
	hbTime time.Time
}

// workersByPort reads approved workers that have a pid file and a
// heartbeat, by port.
func workersByPort(s *Supervisor, pt *pidTracker) map[int]slotView {
	out := map[int]slotView{}
	for id, port := range s.approvals.snapshot() {
		hb, _ := s.l.readHeartbeat(id)
		pids := s.l.readPIDs(id)
		if hb == nil || len(pids) == 0 {
			continue
		}
		for _, p := range pids {
			pt.add(p)
		}
		out[port] = slotView{id: id, pid: pids[0], hbTime: hb.Time}
	}
	return out
}

func testAssignment(node string) *stormthrift.Assignment {
	return &stormthrift.Assignment{
		MasterCodeDir: "/nimbus/stormdist/wc-1-1",
		NodeHost:      map[string]string{node: "host-a"},
		ExecutorNodePort: []stormthrift.ExecutorNodePort{
			enp(1, 1, node, 6700), enp(2, 2, node, 6701), enp(3, 3, node, 6700),
		},
	}
}

func TestProcessesEndToEnd(t *testing.T) {
	for name, mk := range backends(t) {
		t.Run(name, func(t *testing.T) { testProcesses(t, mk(t)) })
	}
}

func testProcesses(t *testing.T, connect func() store.Store) {
	ctx := context.Background()
	dir := t.TempDir()
	pt := trackPIDs(t)
	bs := newBlobStore(t)
	putTopology(t, bs, "wc-1-1", makeZip(t, zipEntry{name: "resources/splitsentence.py", body: "print(1)\n"}), conf.Conf{"topology.name": "wc"})
	writer := newState(t, connect())
	t.Cleanup(func() { writer.Store().Close() })

	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := testConf(dir, 6700, 6701)
	// Generous liveness limits: a loaded CI machine (or -race) can stall a
	// worker for seconds; exits are seen through the process anyway.
	c[conf.SupervisorWorkerTimeoutSecs] = int64(15)
	c[conf.SupervisorWorkerStartTimeoutSecs] = int64(60)
	c[conf.SupervisorWorkerShutdownSleepSecs] = int64(1)
	newLauncher := func() *ProcessLauncher {
		pl, err := NewProcessLauncher(ProcessOptions{Binary: self, Env: []string{envFakeWorker + "=1"}, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	cfg := Config{Conf: c, Launcher: newLauncher(), Blobs: LocalBlobs(bs), Logger: testLogger(t),
		Hostname: "host-a", PollInterval: time.Second, WorkerArgs: []string{"-c", "topology.debug=true"}}
	r1 := startSupervisor(t, cfg, connect)
	id := r1.s.ID()
	t.Cleanup(func() {
		if err := r1.s.KillWorkers(context.Background()); err != nil {
			t.Logf("kill workers: %v", err)
		}
	})

	// Registered, with no used ports yet.
	testutil.CheckFor(t, 30*time.Second, func() error {
		info, err := writer.SupervisorInfo(ctx, id)
		if err != nil || info == nil {
			return fmt.Errorf("no supervisor info: %v", err)
		}
		if !slices.Equal(info.Meta, []int64{6700, 6701}) || info.GetHostname() != "host-a" || info.GetVersion() != DefaultVersion ||
			info.GetAssignmentID() != id || info.ResourcesMap["supervisor.memory.capacity.mb"] != 3072 {
			return fmt.Errorf("supervisor info %v", info)
		}
		return nil
	})

	// Assign two slots: code is downloaded, two worker processes heartbeat.
	if err := writer.SetAssignment(ctx, "wc-1-1", testAssignment(id)); err != nil {
		t.Fatal(err)
	}
	var first map[int]slotView
	testutil.CheckFor(t, 30*time.Second, func() error {
		first = workersByPort(r1.s, pt)
		if len(first) != 2 {
			return fmt.Errorf("workers by port: %v", first)
		}
		return nil
	})
	t.Logf("workers: %v", first)
	if _, err := os.Stat(filepath.Join(r1.s.l.codeDir("wc-1-1"), "resources", "splitsentence.py")); err != nil {
		t.Errorf("resources not extracted: %v", err)
	}
	logf := filepath.Join(r1.s.l.artifactsDir("wc-1-1", 6700), "worker.log")
	testutil.CheckFor(t, 30*time.Second, func() error {
		b, _ := os.ReadFile(logf)
		if !strings.Contains(string(b), "fake worker "+first[6700].id+" started") {
			return fmt.Errorf("worker.log: %q", b)
		}
		return nil
	})
	testutil.CheckFor(t, 30*time.Second, func() error {
		info, err := writer.SupervisorInfo(ctx, id)
		if err != nil || info == nil || !slices.Equal(info.UsedPorts, []int64{6700, 6701}) {
			return fmt.Errorf("used ports not reported: %v %v", info, err)
		}
		return nil
	})

	// kill -9 a worker: replaced within seconds.
	t0 := time.Now()
	if err := syscall.Kill(first[6700].pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 30*time.Second, func() error {
		w := workersByPort(r1.s, pt)[6700]
		if w.id == "" || w.id == first[6700].id {
			return fmt.Errorf("port 6700 still has %v", w)
		}
		if _, err := os.Stat(r1.s.l.workerDir(first[6700].id)); !os.IsNotExist(err) {
			return fmt.Errorf("dead worker's dir still there")
		}
		return nil
	})
	t.Logf("killed worker replaced in %v", time.Since(t0))
	second := workersByPort(r1.s, pt)
	if second[6701] != first[6701] && second[6701].id != first[6701].id {
		t.Errorf("worker on 6701 changed: %v → %v", first[6701], second[6701])
	}

	// Supervisor shutdown is not kill: workers keep running.
	r1.stop()
	if info, _ := writer.SupervisorInfo(ctx, id); info != nil {
		t.Errorf("supervisor node left after shutdown: %v", info)
	}
	for port, w := range second {
		if !pidAlive(w.pid) {
			t.Errorf("worker on %d died with the supervisor", port)
		}
	}

	// A new supervisor (new process as far as it knows: new launcher, new
	// session) adopts them.
	cfg.Launcher = newLauncher()
	r2 := startSupervisor(t, cfg, connect)
	if r2.s.ID() != id {
		t.Fatalf("supervisor id changed: %s → %s", id, r2.s.ID())
	}
	testutil.CheckFor(t, 30*time.Second, func() error {
		if info, err := writer.SupervisorInfo(ctx, id); err != nil || info == nil {
			return fmt.Errorf("restarted supervisor not registered: %v", err)
		}
		return nil
	})
	time.Sleep(3 * time.Second) // several monitor rounds
	adopted := workersByPort(r2.s, pt)
	for port, w := range second {
		if adopted[port].id != w.id || adopted[port].pid != w.pid {
			t.Errorf("port %d: worker %v was not adopted (now %v)", port, w, adopted[port])
		}
	}
	for _, port := range []int{6700, 6701} {
		if wid, _, ok := r2.s.runnerSnapshot()[port].status(); !ok || wid != second[port].id {
			t.Errorf("runner %d holds %q", port, wid)
		}
	}

	// An adopted worker that dies (seen through its pid file) is replaced.
	if err := syscall.Kill(second[6701].pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 30*time.Second, func() error {
		if w := workersByPort(r2.s, pt)[6701]; w.id == "" || w.id == second[6701].id {
			return fmt.Errorf("port 6701 still has %v", w)
		}
		return nil
	})

	// Unassigned: every worker is killed, dirs and code removed.
	if err := writer.RemoveAssignment(ctx, "wc-1-1"); err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 30*time.Second, func() error {
		if alive := pt.alive(); len(alive) > 0 {
			return fmt.Errorf("workers still alive: %v", alive)
		}
		if ids, _ := r2.s.l.workerIDs(); len(ids) > 0 {
			return fmt.Errorf("worker dirs left: %v", ids)
		}
		if _, err := os.Stat(r2.s.l.codeDir("wc-1-1")); !os.IsNotExist(err) {
			return fmt.Errorf("code dir left: %v", err)
		}
		if a := r2.s.approvals.snapshot(); len(a) > 0 {
			return fmt.Errorf("approvals left: %v", a)
		}
		return nil
	})
	testutil.CheckFor(t, 30*time.Second, func() error {
		if info, _ := writer.SupervisorInfo(ctx, id); info == nil || len(info.UsedPorts) != 0 {
			return fmt.Errorf("used ports after unassignment: %v", info)
		}
		return nil
	})
}
