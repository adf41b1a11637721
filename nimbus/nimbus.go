package nimbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/nimbus/blobstore"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// StormVersion is the version Nimbus reports in NimbusSummary.version.
const StormVersion = "1.0.0"

// Config is what a Nimbus needs from its caller.
type Config struct {
	// Conf is the daemon configuration (defaults + storm.yaml + overrides).
	// Keys it lacks are taken from conf.Defaults().
	Conf conf.Conf
	// Store is the cluster state session (ZooKeeper or in-memory). The
	// caller owns it: Nimbus never closes it.
	Store  store.Store
	Logger *slog.Logger
	// Clock is the time source for every timeout and timestamp (nil:
	// time.Now).
	Clock func() time.Time
	// Listener, if set, is where the Thrift service is served (tests pass a
	// listener on a free port). Otherwise New listens on
	// nimbus.thrift.port on all interfaces.
	Listener net.Listener
	// Host is the host name advertised in /nimbuses, the leader latch and
	// getClusterInfo. Empty: storm.local.hostname, else os.Hostname().
	Host string
}

// Nimbus is one Nimbus daemon. Create it with New and run it with Run. It
// implements stormthrift.Nimbus; in-process callers may call those methods
// directly.
type Nimbus struct {
	conf     conf.Conf
	log      *slog.Logger
	clock    func() time.Time
	store    store.Store
	state    *cluster.State
	blobs    *blobstore.Store
	inbox    *blobstore.Inbox
	history  *history
	ln       net.Listener
	host     string
	port     int
	hostPort string
	localDir string
	started  time.Time

	latch *cluster.LeaderLatch // joined by Run

	// submitMu is Storm's submit-lock: held by submissions, state
	// transitions and assignment/cleanup passes.
	submitMu  sync.Mutex
	idCounter int // guarded by submitMu

	logMu sync.Mutex // serializes setLogConfig read-merge-writes

	mu     sync.Mutex
	topos  map[string]*topoData                          // guarded by mu
	beats  map[string]map[topology.ExecutorID]*beatState // guarded by mu
	leader bool                                          // last leadership seen by the watch; guarded by mu
	ready  bool                                          // leader and takeover work done; guarded by mu

	delays *delayQueue
	kick   chan struct{}
}

var _ stormthrift.Nimbus = (*Nimbus)(nil)

// New prepares a Nimbus: it opens the blob store and inbox under
// storm.local.dir, the cluster state, and the Thrift listener. Nothing is
// served and nothing is written to the cluster state until Run.
func New(cfg Config) (*Nimbus, error) {
	if cfg.Store == nil {
		return nil, errors.New("nimbus: Config.Store is required")
	}
	c := conf.Defaults().Merge(cfg.Conf)
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("daemon", "nimbus")
	clock := cfg.Clock
	if clock == nil {
		clock = time.Now
	}
	localDir := c.StringOr(conf.StormLocalDir, "storm-local")
	host := cfg.Host
	if host == "" {
		host = c.StringOr(conf.StormLocalHostname, "")
	}
	if host == "" {
		h, err := os.Hostname()
		if err != nil {
			return nil, fmt.Errorf("nimbus: host name: %w", err)
		}
		host = h
	}
	ln := cfg.Listener
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", net.JoinHostPort("", strconv.FormatInt(c.IntOr(conf.NimbusThriftPort, 6627), 10)))
		if err != nil {
			return nil, fmt.Errorf("nimbus: listen: %w", err)
		}
	}
	port := 0
	if ta, ok := ln.Addr().(*net.TCPAddr); ok {
		port = ta.Port
	}
	n := &Nimbus{
		conf:     c,
		log:      log,
		clock:    clock,
		store:    cfg.Store,
		ln:       ln,
		host:     host,
		port:     port,
		hostPort: host + ":" + strconv.Itoa(port), // NimbusInfo.toHostPortString
		localDir: localDir,
		started:  clock(),
		topos:    map[string]*topoData{},
		beats:    map[string]map[topology.ExecutorID]*beatState{},
		kick:     make(chan struct{}, 1),
	}
	fail := func(err error) (*Nimbus, error) {
		if cfg.Listener == nil {
			ln.Close()
		}
		return nil, err
	}
	ictx, icancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer icancel()
	st, err := cluster.NewContext(ictx, cfg.Store, log)
	if err != nil {
		return fail(fmt.Errorf("nimbus: cluster state: %w", err))
	}
	n.state = st
	blobDir := c.StringOr(conf.BlobstoreDir, "")
	if blobDir == "" {
		blobDir = filepath.Join(localDir, "blobs")
	}
	n.blobs, err = blobstore.New(blobDir, blobstore.Options{
		State:      st,
		HostPort:   n.hostPort,
		Clock:      clock,
		SessionTTL: time.Duration(c.IntOr(conf.NimbusBlobstoreExpirationSecs, 600)) * time.Second,
		Logger:     log,
	})
	if err != nil {
		return fail(fmt.Errorf("nimbus: blob store: %w", err))
	}
	// One TTL covers idle and finished uploads; Storm keeps finished jars
	// for nimbus.inbox.jar.expiration.secs, so that is the one used.
	n.inbox = blobstore.NewInbox(filepath.Join(localDir, "nimbus", "inbox"), clock,
		time.Duration(max(c.IntOr(conf.NimbusInboxJarExpirationSecs, 3600), c.IntOr(conf.NimbusFileCopyExpirationSecs, 600)))*time.Second)
	n.history, err = openHistory(filepath.Join(localDir, "nimbus", "history"), clock)
	if err != nil {
		return fail(fmt.Errorf("nimbus: topology history: %w", err))
	}
	n.delays = newDelayQueue(clock)
	n.latch = cluster.NewLeaderLatch(cfg.Store, n.hostPort, log)
	n.idCounter = n.recoverIDCounter(ictx)
	return n, nil
}

// Addr is the address the Thrift service listens on.
func (n *Nimbus) Addr() net.Addr { return n.ln.Addr() }

// HostPort is the advertised "host:port" (the leader latch id and the
// /nimbuses node name).
func (n *Nimbus) HostPort() string { return n.hostPort }

// Run serves the Thrift API and runs the daemon's loops until ctx is
// cancelled: it registers under /nimbuses, joins the leader latch, syncs
// the blob store state, and, while leader, resumes pending transitions and
// runs the assignment and cleanup passes. It returns after every goroutine
// it started has stopped and the listener is closed.
func (n *Nimbus) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n.log.Info("starting nimbus", "host_port", n.hostPort, "addr", n.ln.Addr().String(), "local_dir", n.localDir)

	var wg sync.WaitGroup
	start := func(name string, f func(context.Context)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					n.log.Error("nimbus goroutine panicked", "goroutine", name, "panic", r)
				}
			}()
			f(ctx)
		}()
	}

	srv := newThriftServer(stormthrift.NewNimbusProcessor(n), int(n.conf.IntOr(conf.NimbusThriftMaxBufferSize, 1048576)), n.log)
	serveErr := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		serveErr <- srv.serve(ctx, n.ln)
	}()

	regErr := n.register(ctx)
	if regErr != nil {
		n.log.Error("registering nimbus failed; will retry", "err", regErr)
	}
	if err := n.latch.Start(ctx); err != nil {
		cancel()
		wg.Wait()
		return fmt.Errorf("nimbus: join leader latch: %w", err)
	}
	if err := n.blobs.SyncState(ctx); err != nil {
		n.log.Warn("blob store state sync failed", "err", err)
	}

	start("leadership", n.watchLeadership)
	start("session", func(ctx context.Context) { n.watchSession(ctx, regErr == nil) })
	start("assignments", n.assignmentLoop)
	start("delays", func(ctx context.Context) { n.delays.run(ctx, n.fireDelayed) })
	start("housekeeping", n.housekeepingLoop)
	start("blobsync", n.blobSyncLoop)

	<-ctx.Done()
	wg.Wait()
	n.blobs.Close()
	n.latch.Close()
	dctx, dcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer dcancel()
	if err := n.store.Delete(dctx, "/nimbuses/"+n.hostPort, -1); err != nil && !errors.Is(err, store.ErrNoNode) {
		n.log.Debug("removing /nimbuses entry", "err", err)
	}
	n.log.Info("nimbus stopped", "host_port", n.hostPort)
	err := <-serveErr
	return err
}

// IsLeader reports whether this Nimbus is the leader and has finished
// taking over (pending transitions resumed), i.e. accepts mutations.
func (n *Nimbus) IsLeader() bool { return n.leaderReady() }

// WaitLeader blocks until IsLeader or ctx is done. Embedders call it
// between Run and their first submission.
func (n *Nimbus) WaitLeader(ctx context.Context) error {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for !n.leaderReady() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// triggerAssignments asks the assignment loop for a pass now.
func (n *Nimbus) triggerAssignments() {
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

func (n *Nimbus) now() time.Time { return n.clock() }

func (n *Nimbus) nowSecs() int64 { return n.clock().Unix() }

func (n *Nimbus) secs(key string, def int64) time.Duration {
	return time.Duration(n.conf.IntOr(key, def)) * time.Second
}
