package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/topology"
	"github.com/galeproject/gale/worker/internal/routine"
	"github.com/galeproject/gale/worker/transport"
)

// Grace periods of the shutdown.
const (
	executorStopGrace = 10 * time.Second // components closing
	transportGrace    = 2 * time.Second  // flushing outbound batches
	cleanupTimeout    = 5 * time.Second  // removing the worker's cluster state nodes
)

// worker is one running worker. Its lifecycle:
//
//	Run ─▶ startup (pid file, code, system topology, assignment, first local heartbeat,
//	       executors and components, messaging server, connections)
//	   ─▶ running: background goroutines (heartbeats, assignment / storm base / backpressure
//	       watches, readiness, error reports, a transport client per remote worker) and one
//	       goroutine per executor, which open their components at the first activation
//	   ─▶ done: ctx cancelled, the slot's assignment gone or changed, or a fatal error
//	   ─▶ shutdown: executors stop and close their components; outbound batches are flushed;
//	       the server closes; watches stop; pending error reports are written; the worker's
//	       /workerbeats and /backpressure nodes are deleted.
type worker struct {
	cfg        Config
	log        *slog.Logger
	clock      Clock
	daemonConf conf.Conf
	topo       *topo
	host       string
	workerDir  string
	pidDir     string
	ls         *compat.LocalState
	startTime  time.Time

	own        []topology.ExecutorID // this slot's executors, without the system executor
	execs      []*executor           // the system executor first
	byTask     []*executor           // local executor by task id (task ids are ≥ 1 here)
	localTasks []int32               // sorted, including the system task -1
	outbound   []int32               // tasks this worker's components send to, sorted

	server   *transport.Server
	topts    transport.Options
	remotes  atomic.Pointer[remoteTable]
	remoteMu sync.Mutex // serializes connection refreshes
	connMu   sync.Mutex
	conns    map[string]*connState // receive state by peer address

	active      *flag // spouts may run: storm ACTIVE and all outbound connections ready
	stormActive atomic.Bool
	connsReady  atomic.Bool
	activeMu    sync.Mutex

	throttle   *flag // spouts pause: a worker of the topology is congested
	throttleMu sync.Mutex
	congested  int  // local queues above their high watermark (throttleMu)
	bpTopology bool // /backpressure/<id> has children (throttleMu)
	bpTrigger  chan struct{}

	reports chan errorReport

	ctx        context.Context // background goroutines; cancelled at shutdown
	cancel     context.CancelFunc
	xferCtx    context.Context // closing transport clients; cancelled last
	xferCancel context.CancelFunc
	stop       chan struct{}   // closed to stop executors
	stopCtx    context.Context // cancelled when stop is closed (for blocking calls of components)
	stopCancel context.CancelFunc
	done       chan struct{} // closed by finish
	doneOnce   sync.Once
	result     error
	g          routine.Group // background goroutines
	xg         routine.Group // executor goroutines
	tg         routine.Group // goroutines closing transport clients
}

// Run runs the worker of cfg.StormID on cfg.Port until ctx is cancelled, the slot's assignment goes
// away or changes, or a component fails. It returns nil after a clean stop and an error (also
// reported to the cluster state, where possible) when the worker died: a supervisor exits the
// worker process non-zero then.
func Run(ctx context.Context, cfg Config) error {
	if err := cfg.validate(); err != nil {
		return err
	}
	w, err := start(ctx, cfg)
	if err != nil {
		if cfg.Listener != nil {
			cfg.Listener.Close()
		}
		return err
	}
	return w.run(ctx)
}

func start(ctx context.Context, cfg Config) (*worker, error) {
	w := &worker{
		cfg:        cfg,
		clock:      cfg.Clock,
		daemonConf: conf.Defaults().Merge(cfg.Conf),
		active:     newFlag(),
		throttle:   newFlag(),
		bpTrigger:  make(chan struct{}, 1),
		reports:    make(chan errorReport, 64),
		conns:      map[string]*connState{},
		stop:       make(chan struct{}),
		done:       make(chan struct{}),
	}
	if w.clock == nil {
		w.clock = RealClock{}
	}
	w.log = cfg.Logger
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	w.log = w.log.With("topology", cfg.StormID, "port", cfg.Port)
	w.host = cfg.hostname(w.daemonConf)
	w.startTime = w.clock.Now()
	w.remotes.Store(&remoteTable{byTask: map[int32]*remote{}, byEndpoint: map[endpoint]*remote{}})

	// Storm's worker touches workers/<id>/pids/<pid>; the supervisor kills those pids. A worker run
	// inside another process (embedded clusters) writes that process's pid, so such launchers
	// must never kill the pids they find for in-process workers.
	w.workerDir = filepath.Join(cfg.LocalDir, "workers", cfg.WorkerID)
	w.pidDir = filepath.Join(w.workerDir, "pids")
	if err := os.MkdirAll(w.pidDir, 0o755); err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	if err := os.WriteFile(filepath.Join(w.pidDir, strconv.Itoa(os.Getpid())), nil, 0o644); err != nil {
		return nil, fmt.Errorf("worker: pid file: %w", err)
	}
	ls, err := compat.OpenLocalStateClock(filepath.Join(w.workerDir, "heartbeats"), w.clock.Now)
	if err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	w.ls = ls

	topoConf, user, err := readCode(cfg.CodeDir, w.daemonConf)
	if err != nil {
		return nil, err
	}
	if w.topo, err = loadTopo(cfg.StormID, topoConf, user); err != nil {
		return nil, err
	}
	a, _, err := cfg.State.Assignment(ctx, cfg.StormID)
	if err != nil {
		return nil, fmt.Errorf("worker: read assignment: %w", err)
	}
	if a == nil {
		return nil, fmt.Errorf("worker: topology %s has no assignment", cfg.StormID)
	}
	w.own = executorsOf(a, cfg.AssignmentID, cfg.Port)
	if len(w.own) == 0 {
		return nil, fmt.Errorf("worker: no executors of %s are assigned to %s:%d", cfg.StormID, cfg.AssignmentID, cfg.Port)
	}
	// The supervisor learns that the worker is alive from this first heartbeat.
	if err := w.localHeartbeat(); err != nil {
		return nil, err
	}
	w.log.Info("starting worker", "worker", cfg.WorkerID, "executors", len(w.own)+1)

	if err := w.buildExecutors(); err != nil {
		var ce *componentError
		if errors.As(err, &ce) {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
			defer cancel()
			if rerr := cfg.State.ReportError(rctx, cfg.StormID, ce.component, w.host, cfg.Port, ce.Error(), w.clock.Now()); rerr != nil {
				w.log.Warn("could not report error", "err", rerr)
			}
		}
		return nil, err
	}

	w.topts = transportOptions(w.topo.conf, w.log)
	w.topts.OnError = func(peer string, err error) { w.log.Debug("transport error", "peer", peer, "err", err) }
	handler := w.receive
	if cfg.Listener != nil {
		w.server = transport.Serve(cfg.Listener, handler, w.topts)
	} else {
		srv, err := transport.Listen(net.JoinHostPort("0.0.0.0", strconv.Itoa(cfg.Port)), handler, w.topts)
		if err != nil {
			return nil, fmt.Errorf("worker: messaging server: %w", err)
		}
		w.server = srv
	}
	w.ctx, w.cancel = context.WithCancel(context.WithoutCancel(ctx))
	w.xferCtx, w.xferCancel = context.WithCancel(context.WithoutCancel(ctx))
	w.stopCtx, w.stopCancel = context.WithCancel(context.WithoutCancel(ctx))
	w.refreshConnections(a)
	return w, nil
}

// run starts the goroutines and waits for the end.
func (w *worker) run(ctx context.Context) error {
	w.g.Go("local heartbeat", w.localHeartbeatLoop)
	w.g.Go("cluster heartbeat", w.clusterHeartbeatLoop)
	w.g.Go("assignment", w.watchAssignment)
	w.g.Go("storm base", w.watchStormBase)
	w.g.Go("readiness", w.waitConnectionsReady)
	w.g.Go("error reports", w.reportLoop)
	if w.topo.conf.BoolOr(conf.TopologyBackpressureEnable, false) {
		w.g.Go("backpressure", w.backpressureLoop)
	}
	for _, x := range w.execs {
		w.xg.Go("executor "+x.comp.id+x.id.String(), x.run)
	}
	select {
	case <-ctx.Done():
		w.log.Info("worker stopping: context done")
		w.finish(nil)
	case <-w.done:
	}
	w.shutdown()
	return w.result
}

// finish ends the worker with result err (nil for a clean stop); the first call wins.
func (w *worker) finish(err error) {
	w.doneOnce.Do(func() {
		w.result = err
		close(w.done)
	})
}

// fail ends the worker with an error.
func (w *worker) fail(err error) { w.finish(fmt.Errorf("worker: %w", err)) }

func (w *worker) shutdown() {
	log := w.log
	log.Info("shutting down worker")
	close(w.stop)
	w.stopCancel()
	ctx, cancel := context.WithTimeout(context.Background(), executorStopGrace)
	if err := w.xg.Wait(ctx); err != nil {
		log.Error("executors did not stop", "err", err)
	}
	cancel()

	// Flush what the executors left for remote workers, then stop the transport.
	w.remoteMu.Lock()
	table := w.remotes.Load()
	for _, r := range table.byEndpoint {
		w.closeRemote(r)
	}
	w.remoteMu.Unlock()
	ctx, cancel = context.WithTimeout(context.Background(), 2*transportGrace) // drain, then close
	if err := w.tg.Wait(ctx); err != nil {
		log.Warn("outbound transfers did not finish", "err", err)
	}
	cancel()
	w.xferCancel()
	_ = w.tg.Wait(context.Background())
	ctx, cancel = context.WithTimeout(context.Background(), transportGrace)
	if err := w.server.Close(ctx); err != nil {
		log.Warn("messaging server did not stop", "err", err)
	}
	cancel()

	w.cancel()
	_ = w.g.Wait(context.Background())

	ctx, cancel = context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	w.drainReports(ctx)
	st := w.cfg.State
	if err := st.RemoveWorkerHeartbeat(ctx, w.cfg.StormID, w.cfg.AssignmentID, w.cfg.Port); err != nil {
		log.Warn("could not remove worker heartbeat", "err", err)
	}
	if err := st.RemoveWorkerBackpressure(ctx, w.cfg.StormID, w.cfg.AssignmentID, w.cfg.Port); err != nil {
		log.Debug("could not remove backpressure node", "err", err)
	}
	log.Info("worker shut down", "err", w.result)
}

// localExec returns the executor of a task of this worker, or nil.
func (w *worker) localExec(task int32) *executor {
	if task < 0 || int(task) >= len(w.byTask) {
		return nil
	}
	return w.byTask[task]
}

// componentOf returns the component of a task (including the system task), "" if unknown.
func (w *worker) componentOf(task int32) string {
	if task == topology.SystemTaskID {
		return topology.SystemComponentID
	}
	return w.topo.taskComp[task]
}

func (w *worker) updateActive() {
	w.activeMu.Lock()
	defer w.activeMu.Unlock()
	w.active.Set(w.stormActive.Load() && w.connsReady.Load())
}

// onCongested is called by executor inboxes crossing their watermarks (with the queue's lock held).
func (w *worker) onCongested(on bool) {
	w.throttleMu.Lock()
	if on {
		w.congested++
	} else {
		w.congested--
	}
	w.throttle.Set(w.congested > 0 || w.bpTopology)
	w.throttleMu.Unlock()
	select {
	case w.bpTrigger <- struct{}{}:
	default:
	}
}

func (w *worker) setTopologyBackpressure(on bool) {
	w.throttleMu.Lock()
	w.bpTopology = on
	w.throttle.Set(w.congested > 0 || w.bpTopology)
	w.throttleMu.Unlock()
}

func (w *worker) isCongested() bool {
	w.throttleMu.Lock()
	defer w.throttleMu.Unlock()
	return w.congested > 0
}

func sortedTasks(m map[int32]bool) []int32 {
	out := make([]int32, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
