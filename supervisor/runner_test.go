package supervisor

import (
	"context"
	"errors"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/testutil"
)

// harness drives one Supervisor without Run: runners are created but not
// started, and step performs one process sync and applies every plan
// synchronously, so a test sees each reconciliation's effect at once.
type harness struct {
	t     *testing.T
	s     *Supervisor
	clock *testutil.Clock
	fl    *fakeLauncher
	g     *group
	ctx   context.Context
	rep   *reports
}

func newHarness(t *testing.T, dir string, fl *fakeLauncher, clock *testutil.Clock, ports ...int) *harness {
	t.Helper()
	st, _ := memState(t)
	ps := make([]int64, len(ports))
	for i, p := range ports {
		ps[i] = int64(p)
	}
	var launcher Launcher = fl
	if fl == nil {
		launcher = newFakeLauncher() // replaced by the test
	}
	s, err := New(Config{
		Conf: testConf(dir, ps...), State: st, Launcher: launcher, Blobs: noBlobs{},
		Clock: clock.Now, Logger: testLogger(t), Hostname: "host-a",
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g := newGroup(ctx, s.log)
	t.Cleanup(func() { cancel(); g.Wait() })
	for _, p := range ports {
		s.runners[p] = newRunner(p, s.env)
	}
	s.synced.Store(true)
	return &harness{t: t, s: s, clock: clock, fl: fl, g: g, ctx: ctx, rep: &reports{missing: map[string]bool{}, states: map[string]WorkerState{}}}
}

func (h *harness) assign(a map[int]SlotAssignment) {
	h.s.setAssigned(a)
}

func (h *harness) step() {
	h.t.Helper()
	h.s.syncProcesses(h.ctx, h.g, h.rep)
	for _, r := range h.s.runnerSnapshot() {
		select {
		case p := <-r.plans:
			r.apply(h.ctx, p)
		default:
		}
	}
}

func (h *harness) workerIDs() []string {
	h.t.Helper()
	ids, err := h.s.l.workerIDs()
	if err != nil {
		h.t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

func (h *harness) approved() map[string]int { return h.s.approvals.snapshot() }

var topoA = SlotAssignment{TopologyID: "topo-1-1", Executors: []Executor{{1, 1}, {2, 3}}}

func TestRunnerLaunchAndKeep(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, dir, newFakeLauncher(), newFakeClock(), 6700, 6701)
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{"topology.name": "topo", conf.TopologyEnvironment: map[string]any{"FOO": "bar"}})
	h.assign(map[int]SlotAssignment{6700: topoA})
	h.step()

	specs := h.fl.specs()
	if len(specs) != 1 {
		t.Fatalf("launched %d workers, want 1", len(specs))
	}
	spec := specs[0]
	if spec.Port != 6700 || spec.StormID != topoA.TopologyID || spec.AssignmentID != h.s.ID() {
		t.Errorf("spec = %+v", spec)
	}
	if spec.Conf.StringOr("topology.name", "") != "topo" || spec.Conf.IntOr(conf.SupervisorMonitorFrequencySecs, 0) != 1 {
		t.Errorf("spec conf is not supervisor conf + topology conf: %v", spec.Conf)
	}
	if !slices.Contains(spec.Args, conf.StormLocalDir+"="+h.s.l.local) {
		t.Errorf("args %v lack the absolute storm.local.dir", spec.Args)
	}
	for _, d := range []string{h.s.l.pidsDir(spec.WorkerID), h.s.l.heartbeatDir(spec.WorkerID), h.s.l.workerTmpDir(spec.WorkerID),
		spec.ArtifactsDir, h.s.l.workerUserFile(spec.WorkerID)} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("launch did not create %s: %v", d, err)
		}
	}
	if got := h.approved(); got[spec.WorkerID] != 6700 || len(got) != 1 {
		t.Errorf("approved = %v", got)
	}

	// Still starting: nothing changes.
	h.clock.Advance(10 * time.Second)
	h.step()
	if n := len(h.fl.specs()); n != 1 {
		t.Fatalf("a starting worker was replaced: %d launches", n)
	}
	// First heartbeat: valid, kept.
	writeHeartbeat(t, h.s.l, spec.WorkerID, h.clock.Now(), 6700, topoA)
	h.clock.Advance(20 * time.Second)
	h.step()
	if n := len(h.fl.specs()); n != 1 {
		t.Fatalf("a valid worker was replaced: %d launches", n)
	}
	_, w := h.fl.last(t)
	if w.wasKilled() {
		t.Fatal("a valid worker was killed")
	}
}

func TestRunnerRestartsWithBackoff(t *testing.T) {
	h := newHarness(t, t.TempDir(), newFakeLauncher(), newFakeClock(), 6700)
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	h.assign(map[int]SlotAssignment{6700: topoA})
	h.step()

	// crash makes the newest worker exit, then reconciles once.
	crash := func() {
		t.Helper()
		spec, w := h.fl.last(t)
		writeHeartbeat(t, h.s.l, spec.WorkerID, h.clock.Now(), 6700, topoA)
		w.exit()
		h.step()
		if _, err := os.Stat(h.s.l.workerDir(spec.WorkerID)); !os.IsNotExist(err) {
			t.Errorf("dead worker %s not cleaned up: %v", spec.WorkerID, err)
		}
		if _, ok := h.approved()[spec.WorkerID]; ok {
			t.Errorf("dead worker %s still approved", spec.WorkerID)
		}
	}
	launches := func() int { return len(h.fl.specs()) }

	crash() // 1st failure: restarted at once
	if launches() != 2 {
		t.Fatalf("after the first crash: %d launches, want 2", launches())
	}
	crash() // 2nd failure: 1 s backoff
	if launches() != 2 {
		t.Fatalf("restarted without backoff: %d launches", launches())
	}
	h.clock.Advance(999 * time.Millisecond)
	h.step()
	if launches() != 2 {
		t.Fatalf("restarted before the backoff ran out")
	}
	h.clock.Advance(time.Millisecond)
	h.step()
	if launches() != 3 {
		t.Fatalf("not restarted after the backoff: %d launches", launches())
	}
	crash() // 3rd failure: 2 s
	h.clock.Advance(1500 * time.Millisecond)
	h.step()
	if launches() != 3 {
		t.Fatal("third restart came before its 2 s backoff")
	}
	h.clock.Advance(500 * time.Millisecond)
	h.step()
	if launches() != 4 {
		t.Fatalf("third restart missing: %d launches", launches())
	}
	// A heartbeat timeout is a failure too (4th: 4 s).
	spec, w := h.fl.last(t)
	writeHeartbeat(t, h.s.l, spec.WorkerID, h.clock.Now(), 6700, topoA)
	h.clock.Advance(31 * time.Second)
	h.step()
	if !w.wasKilled() {
		t.Fatal("timed out worker not killed")
	}
	if launches() != 4 {
		t.Fatal("restarted a timed out worker without backoff")
	}
	h.clock.Advance(4 * time.Second)
	h.step()
	if launches() != 5 {
		t.Fatalf("timed out worker not replaced: %d launches", launches())
	}
}

func TestRunnerStartTimeout(t *testing.T) {
	h := newHarness(t, t.TempDir(), newFakeLauncher(), newFakeClock(), 6700)
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	h.assign(map[int]SlotAssignment{6700: topoA})
	h.step()
	_, w := h.fl.last(t)
	h.clock.Advance(119 * time.Second)
	h.step()
	if w.wasKilled() {
		t.Fatal("killed inside the start timeout")
	}
	h.clock.Advance(2 * time.Second)
	h.step()
	if !w.wasKilled() || len(h.fl.specs()) != 2 {
		t.Fatalf("worker that never heartbeat: killed=%v launches=%d", w.wasKilled(), len(h.fl.specs()))
	}
}

func TestRunnerAssignmentChanges(t *testing.T) {
	h := newHarness(t, t.TempDir(), newFakeLauncher(), newFakeClock(), 6700)
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	h.assign(map[int]SlotAssignment{6700: topoA})
	h.step()
	spec, w := h.fl.last(t)
	writeHeartbeat(t, h.s.l, spec.WorkerID, h.clock.Now(), 6700, topoA)
	h.step()

	// Rebalanced: the executors changed; the worker goes, a new one comes
	// at once (not a failure).
	moved := SlotAssignment{TopologyID: topoA.TopologyID, Executors: []Executor{{1, 1}}}
	h.assign(map[int]SlotAssignment{6700: moved})
	h.step()
	if !w.wasKilled() {
		t.Fatal("worker with changed executors not killed")
	}
	spec2, w2 := h.fl.last(t)
	if spec2.WorkerID == spec.WorkerID || len(h.fl.specs()) != 2 {
		t.Fatal("no new worker for the changed assignment")
	}
	// Changed again while still starting: replaced without waiting.
	h.assign(map[int]SlotAssignment{6700: topoA})
	h.step()
	if !w2.wasKilled() || len(h.fl.specs()) != 3 {
		t.Fatalf("starting worker of an old assignment: killed=%v launches=%d", w2.wasKilled(), len(h.fl.specs()))
	}
	if h.s.runners[6700].restarts.Failures() != 0 {
		t.Error("assignment changes counted as failures")
	}

	// Unassigned: killed, nothing launched, nothing left.
	spec3, w3 := h.fl.last(t)
	h.assign(map[int]SlotAssignment{})
	h.step()
	if !w3.wasKilled() || len(h.fl.specs()) != 3 {
		t.Fatalf("unassigned: killed=%v launches=%d", w3.wasKilled(), len(h.fl.specs()))
	}
	if ids := h.workerIDs(); len(ids) != 0 {
		t.Errorf("worker dirs left: %v (last %s)", ids, spec3.WorkerID)
	}
	if a := h.approved(); len(a) != 0 {
		t.Errorf("approvals left: %v", a)
	}
}

func TestRunnerLaunchFailure(t *testing.T) {
	fl := newFakeLauncher()
	fl.fail = errors.New("no such program")
	h := newHarness(t, t.TempDir(), fl, newFakeClock(), 6700)
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	h.assign(map[int]SlotAssignment{6700: topoA})
	h.step()
	if ids := h.workerIDs(); len(ids) != 0 {
		t.Errorf("failed launch left dirs: %v", ids)
	}
	if a := h.approved(); len(a) != 0 {
		t.Errorf("failed launch left approvals: %v", a)
	}
	h.step() // first failure: retried at once
	if len(fl.specs()) != 1 {
		t.Fatalf("launch not retried: %d", len(fl.specs()))
	}
}

func TestMissingCodeIsNotLaunched(t *testing.T) {
	h := newHarness(t, t.TempDir(), newFakeLauncher(), newFakeClock(), 6700)
	h.assign(map[int]SlotAssignment{6700: topoA})
	h.step()
	if n := len(h.fl.specs()); n != 0 {
		t.Fatalf("launched %d workers without code", n)
	}
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	h.step()
	if n := len(h.fl.specs()); n != 1 {
		t.Fatalf("launched %d workers once code arrived", n)
	}
}

func TestNothingLaunchedBeforeFirstSync(t *testing.T) {
	h := newHarness(t, t.TempDir(), newFakeLauncher(), newFakeClock(), 6700)
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	h.assign(map[int]SlotAssignment{6700: topoA})
	h.s.synced.Store(false)
	h.step()
	if n := len(h.fl.specs()); n != 0 {
		t.Fatalf("launched %d workers from a possibly stale local assignment", n)
	}
}

func TestUnknownWorkersAreKilled(t *testing.T) {
	h := newHarness(t, t.TempDir(), newFakeLauncher(), newFakeClock(), 6700)
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	h.assign(map[int]SlotAssignment{6700: topoA})
	// A worker directory with a matching, fresh heartbeat but no approval,
	// and one approved for a port this supervisor does not have.
	writeHeartbeat(t, h.s.l, "stranger", h.clock.Now(), 6700, topoA)
	writeHeartbeat(t, h.s.l, "elsewhere", h.clock.Now(), 6799, topoA)
	if err := h.s.approvals.approve("elsewhere", 6799); err != nil {
		t.Fatal(err)
	}
	h.step()
	h.g.Wait() // orphan kills run on their own goroutines
	for _, id := range []string{"stranger", "elsewhere"} {
		if slices.Contains(h.workerIDs(), id) {
			t.Errorf("worker %s not killed", id)
		}
	}
	if _, ok := h.approved()["elsewhere"]; ok {
		t.Error("killed orphan still approved")
	}
	if len(h.fl.specs()) != 1 {
		t.Errorf("port 6700 not launched: %d", len(h.fl.specs()))
	}
}

func TestAdoptionAfterRestart(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	h := newHarness(t, dir, newFakeLauncher(), clock, 6700)
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	h.assign(map[int]SlotAssignment{6700: topoA})
	h.step()
	spec, w := h.fl.last(t)
	writeHeartbeat(t, h.s.l, spec.WorkerID, clock.Now(), 6700, topoA)

	// A new supervisor on the same directory, with a launcher that knows
	// nothing: same id, same local assignment, the worker is adopted.
	h2 := newHarness(t, dir, newFakeLauncher(), clock, 6700)
	if h2.s.ID() != h.s.ID() {
		t.Fatalf("supervisor id changed across restarts: %s → %s", h.s.ID(), h2.s.ID())
	}
	if !sameAssignments(h2.s.Assigned(), map[int]SlotAssignment{6700: topoA}) {
		t.Fatalf("local assignment not restored: %v", h2.s.Assigned())
	}
	clock.Advance(5 * time.Second)
	h2.step()
	if n := len(h2.fl.specs()); n != 0 {
		t.Fatalf("restarted supervisor launched %d workers instead of adopting", n)
	}
	if id, _, ok := h2.s.runners[6700].status(); !ok || id != spec.WorkerID {
		t.Fatalf("runner holds %q, want the adopted %s", id, spec.WorkerID)
	}
	if w.wasKilled() {
		t.Fatal("adopted worker was killed")
	}
	// The adopted worker stops heartbeating: it is replaced.
	clock.Advance(31 * time.Second)
	h2.step()
	if n := len(h2.fl.specs()); n != 1 {
		t.Fatalf("timed out adopted worker not replaced: %d launches", n)
	}
	if slices.Contains(h2.workerIDs(), spec.WorkerID) {
		t.Error("timed out adopted worker's dir left")
	}
}

func TestWorkerEnv(t *testing.T) {
	spec := WorkerSpec{
		StormID: "t-1-2", AssignmentID: "sup", Port: 6700, WorkerID: "w1", WorkerDir: "/l/workers/w1",
		CodeDir: "/l/supervisor/stormdist/t-1-2",
		Conf: conf.Conf{conf.StormLocalDir: "/l", conf.TopologyEnvironment: map[string]any{"A": "1", "PATH": "/x", "N": int64(3)},
			conf.PropJavaLibraryPath: "/usr/lib"},
	}
	env := workerEnv([]string{"PATH=/bin", "HOME=/h"}, spec)
	want := map[string]string{
		"PATH": "/x", "HOME": "/h", "A": "1", "N": "3", EnvStormID: "t-1-2", EnvWorkerPort: "6700", EnvWorkerID: "w1",
		EnvStormLocalDir: "/l", "LD_LIBRARY_PATH": "/l/supervisor/stormdist/t-1-2/resources/" + javaOSName() + "-" + javaArch() +
			":/l/supervisor/stormdist/t-1-2/resources:/usr/lib",
	}
	got := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := got[k]; dup {
			t.Errorf("%s set twice", k)
		}
		got[k] = v
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if args := workerArgs(WorkerSpec{StormID: "t", AssignmentID: "s", Port: 1, WorkerID: "w", Args: []string{"-c", "x=1"}}); !slices.Equal(args,
		[]string{"worker", "t", "s", "1", "w", "-c", "x=1"}) {
		t.Errorf("args = %v", args)
	}
}

func TestRunnerIgnoresStaleLaunch(t *testing.T) {
	h := newHarness(t, t.TempDir(), newFakeLauncher(), newFakeClock(), 6700)
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	r := h.s.runners[6700]
	// A plan computed before the port was unassigned arrives late.
	r.apply(h.ctx, slotPlan{assigned: &topoA, launch: true})
	if n := len(h.fl.specs()); n != 0 {
		t.Fatalf("launched %d workers for a stale plan", n)
	}
	// Superseded by a newer plan already waiting.
	h.assign(map[int]SlotAssignment{6700: topoA})
	r.offer(slotPlan{})
	r.apply(h.ctx, slotPlan{assigned: &topoA, launch: true})
	if n := len(h.fl.specs()); n != 0 {
		t.Fatalf("launched %d workers while a newer plan waited", n)
	}
	r.apply(h.ctx, <-r.plans)
	r.apply(h.ctx, slotPlan{assigned: &topoA, launch: true})
	if n := len(h.fl.specs()); n != 1 {
		t.Fatalf("current plan launched %d workers", n)
	}
}

func TestLaunchingWorkerIsNotKilled(t *testing.T) {
	h := newHarness(t, t.TempDir(), newFakeLauncher(), newFakeClock(), 6700)
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	h.assign(map[int]SlotAssignment{6700: topoA})
	// The runner is mid-launch: directories made, approval not yet written.
	r := h.s.runners[6700]
	r.setCur(&slotWorker{id: "w-launching", assignment: &topoA, launchedAt: h.clock.Now()})
	if err := os.MkdirAll(h.s.l.heartbeatDir("w-launching"), 0o755); err != nil {
		t.Fatal(err)
	}
	h.step()
	h.g.Wait()
	if !slices.Contains(h.workerIDs(), "w-launching") {
		t.Fatal("a worker being launched was killed")
	}
	if n := len(h.fl.specs()); n != 0 {
		t.Fatalf("launched %d more workers into a busy slot", n)
	}
}

func TestWorkerEnvGOMAXPROCS(t *testing.T) {
	tests := []struct {
		name  string
		base  []string
		procs int
		topo  map[string]any
		want  string // "" = unset
	}{
		{"sized by the supervisor", nil, 2, nil, "2"},
		{"unknown size", nil, 0, nil, ""},
		{"the supervisor's environment wins", []string{"GOMAXPROCS=4"}, 1, nil, "4"},
		{"topology.environment wins", nil, 1, map[string]any{"GOMAXPROCS": "3"}, "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := conf.Conf{}
			if tt.topo != nil {
				c[conf.TopologyEnvironment] = tt.topo
			}
			var got string
			for _, kv := range workerEnv(tt.base, WorkerSpec{Procs: tt.procs, Conf: c}) {
				if v, ok := strings.CutPrefix(kv, "GOMAXPROCS="); ok {
					got = v
				}
			}
			if got != tt.want {
				t.Errorf("GOMAXPROCS = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWorkerProcsSharesTheCPUs(t *testing.T) {
	cpus := runtime.NumCPU()
	for _, slots := range []int{0, 1, 2, cpus, 4 * cpus} {
		e := &slotEnv{assignedSlots: func() int { return slots }}
		want := max(1, cpus/max(slots, 1))
		if got := e.workerProcs(); got != want {
			t.Errorf("%d slots on %d CPUs: %d procs, want %d", slots, cpus, got, want)
		}
	}
	if got := (&slotEnv{}).workerProcs(); got != 0 {
		t.Errorf("no slot count: %d", got)
	}
}
