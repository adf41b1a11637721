package supervisor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
)

// A runner owns one worker slot (a port). The process sync decides, with
// the pure Reconcile, what every slot should do, and hands each runner a
// slotPlan; the runner carries it out on its own goroutine, so a slow kill
// on one port never delays another. Only the runner starts, adopts or
// kills the workers of its port.
//
// Lifecycle of a slot. Every arrow is taken while applying one plan; the
// states on the right are the worker's, as Classify names them:
//
//	                  plan: launch,                         first matching
//	┌──────┐          restart delay over    ┌──────────┐    heartbeat        ┌───────┐
//	│ Idle │───────────────────────────────▶│ Starting │────────────────────▶│ Valid │
//	└──────┘                                └──────────┘                     └───────┘
//	 ▲ ▲  │ plan: keep w (adopt a worker        │ exited, no heartbeat          ▲   │ exited, heartbeat
//	 │ │  │ left by an earlier supervisor)      │ within the start timeout,     │   │ timed out, or
//	 │ │  └─────────────────────────────────────┼───────────────────────────────┘   │ assignment changed
//	 │ │                                        │ or assignment changed             │
//	 │ │                                        ▼                                   │
//	 │ │  assignment changed    ┌─────────────────────────────────────────┐         │
//	 │ └────────────────────────│ Killing: SIGTERM (pids + handle), wait  │◀────────┘
//	 │    or gone: restarts     │ ≤ shutdown sleep, SIGKILL, remove dirs, │
//	 │    reset                 │ revoke approval                         │
//	 │                          └─────────────────────────────────────────┘
//	 │                                        │ the worker failed: restarts +1
//	 │  delay over: a timer                   ▼
//	 │  asks for a new sync            ┌─────────┐  RestartTracker.Delay() > 0
//	 └─────────────────────────────────│ Backoff │  (0 after the first failure:
//	                                   └─────────┘   straight back to a launch)
//
// Supervisor shutdown (ctx cancelled) stops the runner in whatever state it
// is in and leaves its worker running: shutdown is not kill. A new
// Supervisor adopts the worker if its heartbeat is still valid.
type runner struct {
	port     int
	env      *slotEnv
	log      *slog.Logger
	restarts *RestartTracker
	plans    chan slotPlan // capacity 1, newest wins; only the process sync sends
	retry    *time.Timer   // pending backoff wake-up

	mu  sync.Mutex  // guards cur for status(); cur is only written by the runner
	cur *slotWorker // the worker serving the slot, nil when idle
}

// slotPlan is what one reconciliation wants from one slot.
type slotPlan struct {
	assigned *SlotAssignment // nil: nothing is assigned to the port
	kill     []killOrder     // workers of this port to kill
	keep     string          // the worker serving the port, "" if none
	launch   bool            // the port needs a new worker
}

type killOrder struct {
	id  string
	why WorkerState
}

// slotWorker is the worker a runner holds.
type slotWorker struct {
	id         string
	assignment *SlotAssignment // what it runs; nil if adopted with an unknown assignment
	launchedAt time.Time       // zero for an adopted worker
	handle     Worker          // nil while launching, or adopted without a launcher handle
}

// workerStatus is what the process sync learns from a runner about its
// worker, for WorkerRecord.
type workerStatus struct {
	launchedAt time.Time
	assignment *SlotAssignment
	exitKnown  bool // false: ask the pid files
	exited     bool
}

// slotEnv is what every runner shares.
type slotEnv struct {
	supervisorID string
	l            layout
	conf         conf.Conf // the daemon conf
	workerArgs   []string
	logDir       string
	launcher     Launcher
	approvals    *approvals
	killer       killer
	clock        func() time.Time
	restart      RestartPolicy
	poke         func()                                // asks the process sync to run soon
	assignment   func(port int) (SlotAssignment, bool) // the port's current assignment
	// assignedSlots counts this node's assigned slots (sizes the workers' GOMAXPROCS).
	assignedSlots func() int
	log           *slog.Logger
}

func newRunner(port int, env *slotEnv) *runner {
	return &runner{
		port:     port,
		env:      env,
		log:      env.log.With("port", port),
		restarts: NewRestartTracker(env.restart, env.clock),
		plans:    make(chan slotPlan, 1),
	}
}

// run applies plans until ctx is done.
func (r *runner) run(ctx context.Context) {
	defer func() {
		if r.retry != nil {
			r.retry.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-r.plans:
			r.apply(ctx, p)
		}
	}
}

// offer hands the runner a plan, replacing one it has not started on.
// Only one goroutine (the process sync) may call it.
func (r *runner) offer(p slotPlan) {
	select {
	case <-r.plans:
	default:
	}
	r.plans <- p
}

// status reports the runner's worker, if any.
func (r *runner) status() (string, workerStatus, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.cur
	if w == nil {
		return "", workerStatus{}, false
	}
	st := workerStatus{launchedAt: w.launchedAt, assignment: w.assignment}
	switch {
	case w.handle != nil:
		st.exitKnown = true
		select {
		case <-w.handle.Done():
			st.exited = true
		default:
		}
	case !w.launchedAt.IsZero(): // launching right now
		st.exitKnown = true
	}
	return w.id, st, true
}

func (r *runner) setCur(w *slotWorker) {
	r.mu.Lock()
	r.cur = w
	r.mu.Unlock()
}

// apply carries out one plan: kills first, then adoption, then a launch.
// A plan may be stale (computed before this runner's latest launch): it
// never kills a worker it does not name, and launches only into an idle
// slot.
func (r *runner) apply(ctx context.Context, p slotPlan) {
	slices.SortFunc(p.kill, func(a, b killOrder) int { return cmp.Compare(a.id, b.id) })
	for _, k := range p.kill {
		if ctx.Err() != nil {
			return
		}
		r.stop(ctx, k)
	}
	if r.cur == nil && p.keep != "" {
		r.adopt(p.keep, p.assigned)
	}
	if !p.launch || r.cur != nil || p.assigned == nil || ctx.Err() != nil {
		return
	}
	// The kills above may have taken seconds: launch only what is still
	// wanted. A newer plan waiting, or a changed assignment, decides anew.
	if len(r.plans) > 0 {
		return
	}
	if now, ok := r.env.assignment(r.port); !ok || !sameSlot(now, *p.assigned) {
		return
	}
	if d := r.restarts.Delay(); d > 0 {
		r.log.Info("delaying worker restart", "delay", d, "failures", r.restarts.Failures())
		if r.retry != nil {
			r.retry.Stop()
		}
		r.retry = time.AfterFunc(d, r.env.poke)
		return
	}
	r.launch(ctx, *p.assigned)
}

// stop kills one worker of the port. Killing the slot's own worker because
// it failed counts against the restart policy; because its assignment
// changed, it resets it.
func (r *runner) stop(ctx context.Context, k killOrder) {
	var h Worker
	own := r.cur != nil && r.cur.id == k.id
	if _, err := os.Stat(r.env.l.workerDir(k.id)); !own && errors.Is(err, fs.ErrNotExist) {
		// Already gone: a plan computed while an earlier kill was running.
		if err := r.env.approvals.revoke(k.id); err != nil {
			r.log.Warn("revoke worker", "worker", k.id, "err", err)
		}
		return
	}
	if own {
		h = r.cur.handle
	} else if lk, ok := r.env.launcher.(WorkerLookup); ok {
		if w, ok := lk.Lookup(k.id); ok {
			h = w
		}
	}
	r.log.Info("killing worker", "worker", k.id, "state", k.why)
	if err := r.env.killer.kill(ctx, k.id, h); err != nil {
		r.log.Warn("worker shutdown incomplete; will retry", "worker", k.id, "err", err)
	}
	if err := r.env.approvals.revoke(k.id); err != nil {
		r.log.Warn("revoke worker", "worker", k.id, "err", err)
	}
	if !own {
		return
	}
	switch k.why {
	case Disallowed:
		r.restarts.Reset()
	default:
		r.restarts.Failed(r.cur.launchedAt)
	}
	r.setCur(nil)
}

// adopt takes over a valid worker this runner did not launch (one left
// running by an earlier supervisor).
func (r *runner) adopt(id string, a *SlotAssignment) {
	w := &slotWorker{id: id, assignment: a}
	if lk, ok := r.env.launcher.(WorkerLookup); ok {
		if h, ok := lk.Lookup(id); ok {
			w.handle = h
			r.watchExit(w)
		}
	}
	r.log.Info("adopted running worker", "worker", id, "handle", w.handle != nil)
	r.setCur(w)
}

// launch starts a new worker for assignment a: directories, approval, then
// the launcher. The worker is published as the slot's (launching) worker
// before any directory exists, so a concurrent sync sees it as starting.
func (r *runner) launch(ctx context.Context, a SlotAssignment) {
	w := &slotWorker{id: newUUID(), assignment: &a, launchedAt: r.env.clock()}
	log := r.log.With("worker", w.id, "topology", a.TopologyID)
	r.setCur(w)
	h, err := r.start(ctx, w, a)
	if err != nil {
		log.Error("worker launch failed", "err", err)
		if err := r.env.l.removeWorker(w.id); err != nil {
			log.Warn("clean up failed launch", "err", err)
		}
		if err := r.env.approvals.revoke(w.id); err != nil {
			log.Warn("revoke worker", "err", err)
		}
		r.restarts.Failed(w.launchedAt)
		r.setCur(nil)
		r.env.poke()
		return
	}
	r.mu.Lock()
	w.handle = h
	r.mu.Unlock()
	r.watchExit(w)
	log.Info("launched worker", "pid", h.PID(), "executors", len(a.Executors))
}

func (r *runner) start(ctx context.Context, w *slotWorker, a SlotAssignment) (Worker, error) {
	spec, err := r.env.spec(w.id, r.port, a)
	if err != nil {
		return nil, err
	}
	if err := r.env.l.prepareWorker(spec); err != nil {
		return nil, fmt.Errorf("prepare worker dirs: %w", err)
	}
	if err := r.env.approvals.approve(w.id, r.port); err != nil {
		return nil, err
	}
	return r.env.launcher.Launch(ctx, spec)
}

// watchExit asks for a sync as soon as the worker ends, so a crashed
// worker is replaced within moments instead of at the next monitor tick.
// The goroutine ends with the worker, possibly after the supervisor.
func (r *runner) watchExit(w *slotWorker) {
	h, log := w.handle, r.log
	go func() {
		err := h.Wait()
		log.Info("worker exited", "worker", w.id, "err", err)
		r.env.poke()
	}()
}

// spec describes worker id on port for assignment a.
func (e *slotEnv) spec(id string, port int, a SlotAssignment) (WorkerSpec, error) {
	codeDir := e.l.codeDir(a.TopologyID)
	topoConf, err := readTopologyConf(filepath.Join(codeDir, stormConfFile))
	if err != nil {
		return WorkerSpec{}, err
	}
	args := append(slices.Clone(e.workerArgs), "-c", conf.StormLocalDir+"="+e.l.local)
	return WorkerSpec{
		StormID:      a.TopologyID,
		AssignmentID: e.supervisorID,
		Port:         port,
		WorkerID:     id,
		WorkerDir:    e.l.workerDir(id),
		CodeDir:      codeDir,
		ArtifactsDir: e.l.artifactsDir(a.TopologyID, port),
		LogDir:       e.logDir,
		Conf:         e.conf.Merge(topoConf),
		Args:         args,
		Procs:        e.workerProcs(),
	}, nil
}

// workerProcs is the GOMAXPROCS of a new worker: the node's CPUs shared by the slots assigned on
// it. Workers that each run as many threads as the machine has CPUs oversubscribe it as soon as
// two share it (measured: two 2-thread workers on 2 cores ack a third fewer tuples than two
// 1-thread workers, and burn more CPU per tuple on scheduling). 0 when unknown.
func (e *slotEnv) workerProcs() int {
	if e.assignedSlots == nil {
		return 0
	}
	n := e.assignedSlots()
	if n < 1 {
		n = 1
	}
	return max(1, runtime.NumCPU()/n)
}

// readTopologyConf reads stormdist/<id>/stormconf.ser (gzip JSON).
func readTopologyConf(p string) (conf.Conf, error) {
	b, err := readFileMax(p, compat.MaxDecodedSize)
	if err != nil {
		return nil, fmt.Errorf("read topology conf: %w", err)
	}
	m, err := compat.GunzipJSON(b)
	if err != nil {
		return nil, fmt.Errorf("read topology conf %s: %w", p, err)
	}
	return conf.Conf(m), nil
}
