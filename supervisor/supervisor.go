package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/compat"
)

// Supervisor is one supervisor daemon. Create it with New, run it with Run.
type Supervisor struct {
	cfg   Config
	set   settings
	l     layout
	id    string
	state *cluster.State
	clock func() time.Time
	log   *slog.Logger

	local     *compat.LocalState // supervisor/localstate
	approvals *approvals
	code      codeDownloader
	env       *slotEnv
	killer    killer

	processPoke chan struct{} // cap 1: run the process sync soon
	running     atomic.Bool
	synced      atomic.Bool // the first assignment sync has completed

	mu       sync.Mutex
	assigned map[int]SlotAssignment // this supervisor's assignment by port
	started  time.Time

	runnersMu sync.Mutex
	runners   map[int]*runner

	orphansMu sync.Mutex
	orphans   map[string]bool // worker ids being killed outside any runner
}

// New prepares a supervisor: it resolves the configuration, creates the
// local directories, and reads (or creates) the supervisor id and the local
// state an earlier run left.
func New(cfg Config) (*Supervisor, error) {
	set, l, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	clock := cfg.Clock
	if clock == nil {
		clock = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for _, d := range []string{l.supervisorDir(), l.tmpDir(), l.stormdistRoot(), l.workersRoot()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("supervisor: %w", err)
		}
	}
	id, err := loadOrCreateID(l.isupervisorDir())
	if err != nil {
		return nil, err
	}
	local, err := compat.OpenLocalStateClock(l.localStateDir(), clock)
	if err != nil {
		return nil, fmt.Errorf("supervisor: %w", err)
	}
	appr, err := openApprovals(local)
	if err != nil {
		return nil, err
	}
	assigned, err := readLocalAssignments(local)
	if err != nil {
		log.Warn("unreadable local assignments; starting empty", "err", err)
	}
	log = log.With("supervisor", id)
	s := &Supervisor{
		cfg:         cfg,
		set:         set,
		l:           l,
		id:          id,
		state:       cfg.State,
		clock:       clock,
		log:         log,
		local:       local,
		approvals:   appr,
		code:        codeDownloader{blobs: cfg.Blobs, l: l, maxBytes: set.maxResources, log: log},
		processPoke: make(chan struct{}, 1),
		assigned:    assigned,
		runners:     map[int]*runner{},
		orphans:     map[string]bool{},
	}
	s.killer = killer{l: l, sleep: set.shutdownSleep, self: os.Getpid(), log: log}
	restart := cfg.Restart
	if restart == (RestartPolicy{}) {
		restart = DefaultRestartPolicy()
	}
	s.env = &slotEnv{
		supervisorID: id,
		l:            l,
		conf:         cfg.Conf,
		workerArgs:   cfg.WorkerArgs,
		logDir:       l.logDir,
		launcher:     cfg.Launcher,
		approvals:    appr,
		killer:       s.killer,
		clock:        clock,
		restart:      restart,
		poke:         s.pokeProcesses,
		assignment:   s.assignment,
		assignedSlots: func() int {
			s.mu.Lock()
			defer s.mu.Unlock()
			return len(s.assigned)
		},
		log: log,
	}
	return s, nil
}

// ID is the supervisor id (= assignment id), stable across restarts.
func (s *Supervisor) ID() string { return s.id }

// LocalDir is the absolute storm.local.dir the supervisor works in.
func (s *Supervisor) LocalDir() string { return s.l.local }

// Run registers the supervisor and keeps its workers in line with its
// assignment until ctx is done. On return the supervisor's /supervisors
// node is gone but its workers keep running (a later Run, or a new
// Supervisor on the same storm.local.dir, adopts them); KillWorkers stops
// them. Run may be called once.
func (s *Supervisor) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("supervisor: Run called twice")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.mu.Lock()
	s.started = s.clock()
	s.mu.Unlock()
	if err := cleanDir(s.l.tmpDir()); err != nil {
		s.log.Warn("cleaning supervisor tmp dir", "err", err)
	}
	s.log.Info("starting supervisor", "host", s.set.hostname, "ports", s.set.ports, "local_dir", s.l.local)

	g := newGroup(ctx, s.log)
	if err := s.heartbeat(ctx); err != nil {
		s.log.Warn("supervisor heartbeat failed; will retry", "err", err)
	}
	g.Go("heartbeat", s.heartbeatLoop)
	if s.set.enabled {
		for _, port := range s.set.ports {
			s.runner(g, port)
		}
		g.Go("assignments", func(ctx context.Context) { s.assignmentLoop(ctx, g) })
		g.Go("processes", func(ctx context.Context) { s.processLoop(ctx, g) })
	} else {
		s.log.Warn("supervisor.enable is false: registering only, not running workers")
	}
	<-ctx.Done()
	g.Wait()

	dctx, dcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer dcancel()
	if err := s.state.Store().Delete(dctx, cluster.SupervisorPath(s.id), -1); err != nil {
		s.log.Debug("removing supervisor node", "err", err)
	}
	s.log.Info("supervisor stopped; workers left running")
	return nil
}

// runner returns the runner of port, starting it in g on first use.
func (s *Supervisor) runner(g *group, port int) *runner {
	s.runnersMu.Lock()
	defer s.runnersMu.Unlock()
	r, ok := s.runners[port]
	if !ok {
		r = newRunner(port, s.env)
		s.runners[port] = r
		g.Go(fmt.Sprintf("runner-%d", port), r.run)
	}
	return r
}

func (s *Supervisor) runnerSnapshot() map[int]*runner {
	s.runnersMu.Lock()
	defer s.runnersMu.Unlock()
	return maps.Clone(s.runners)
}

func (s *Supervisor) pokeProcesses() {
	select {
	case s.processPoke <- struct{}{}:
	default:
	}
}

// Assigned returns a copy of the supervisor's current assignment by port.
func (s *Supervisor) Assigned() map[int]SlotAssignment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.assigned)
}

func (s *Supervisor) assignment(port int) (SlotAssignment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.assigned[port]
	return a, ok
}

// KillWorkers stops every worker of this supervisor's local directory
// (Storm's shutdown-all-workers) and forgets their approval. Call it after
// Run has returned, or the supervisor relaunches them.
func (s *Supervisor) KillWorkers(ctx context.Context) error {
	ids, err := s.l.workerIDs()
	if err != nil {
		return fmt.Errorf("supervisor: %w", err)
	}
	lk, _ := s.cfg.Launcher.(WorkerLookup)
	var errs []error
	for _, id := range ids {
		var h Worker
		if lk != nil {
			if w, ok := lk.Lookup(id); ok {
				h = w
			}
		}
		errs = append(errs, s.killer.kill(ctx, id, h), s.approvals.revoke(id))
	}
	return errors.Join(errs...)
}

// cleanDir empties dir (Storm cleans supervisor/tmp at start).
func cleanDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		errs = append(errs, os.RemoveAll(filepath.Join(dir, e.Name())))
	}
	return errors.Join(errs...)
}
