package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/nimbus"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/supervisor"
	"github.com/galeproject/gale/worker"
)

// Host is the address the embedded cluster listens on and advertises.
const Host = "127.0.0.1"

// Options configure an embedded cluster.
type Options struct {
	// Conf is the cluster configuration (nil: Storm's defaults). Its
	// nimbus.thrift.port is where Nimbus listens; 0 picks a free port.
	Conf conf.Conf
	// Dir is storm.local.dir; "" means a temporary directory that Close
	// removes.
	Dir string
	// Logger receives the daemons' logs (nil: discarded).
	Logger *slog.Logger
	// ReadyTimeout bounds how long Start waits for Nimbus to lead (0: 30s).
	ReadyTimeout time.Duration

	// Supervisors is the number of supervisors (0: 1; negative: none, so
	// the cluster accepts and manages topologies but runs no worker). Each
	// has its own store session, its own storm.local.dir under Dir
	// (supervisor-<i>), host 127.0.0.1, and Slots worker slots on free ports
	// (supervisor.slots.ports is replaced); its workers run in this process.
	Supervisors int
	// Slots is the number of worker slots per supervisor (0: DefaultSlots).
	Slots int
	// Components creates the Go components of topologies (a *storm.App);
	// nil when only built-in and multilang components should run.
	Components worker.ComponentFactory
}

// Cluster is a running embedded cluster. Close stops it.
type Cluster struct {
	conf     conf.Conf
	dir      string
	ownDir   bool
	server   *mem.Server
	store    store.Store
	nimbus   *nimbus.Nimbus
	nodes    []*node
	cancel   context.CancelFunc
	done     chan struct{}
	runErr   error // set before done is closed
	closeErr error
	once     sync.Once
}

// Start builds the cluster, starts Nimbus and returns once Nimbus answers
// getClusterInfo as the leader. ctx bounds the start only; the cluster runs
// until Close.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := conf.Defaults()
	if opts.Conf != nil {
		c = c.Merge(opts.Conf)
	}
	cl := &Cluster{dir: opts.Dir, done: make(chan struct{})}
	if cl.dir == "" {
		d, err := os.MkdirTemp("", "gale-dev-")
		if err != nil {
			return nil, fmt.Errorf("embedded: local dir: %w", err)
		}
		cl.dir, cl.ownDir = d, true
	} else if err := os.MkdirAll(cl.dir, 0o755); err != nil {
		return nil, fmt.Errorf("embedded: local dir: %w", err)
	}
	c[conf.StormLocalDir] = cl.dir

	port := c.IntOr(conf.NimbusThriftPort, 6627)
	ln, err := net.Listen("tcp", net.JoinHostPort(Host, strconv.FormatInt(port, 10)))
	if err != nil {
		cl.removeDir()
		return nil, fmt.Errorf("embedded: nimbus listen on %s:%d: %w", Host, port, err)
	}
	c[conf.NimbusThriftPort] = int64(ln.Addr().(*net.TCPAddr).Port)
	c[conf.NimbusSeeds] = []any{Host}
	cl.conf = c

	cl.server = mem.NewServer()
	cl.store = cl.server.Connect()
	cl.nimbus, err = nimbus.New(nimbus.Config{
		Conf:     c.Clone(),
		Store:    cl.store,
		Logger:   logger,
		Clock:    time.Now,
		Listener: ln,
		Host:     Host,
	})
	if err != nil {
		ln.Close()
		cl.store.Close()
		cl.removeDir()
		return nil, fmt.Errorf("embedded: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	cl.cancel = cancel
	go func() {
		defer close(cl.done)
		cl.runErr = cl.nimbus.Run(runCtx)
	}()

	timeout := opts.ReadyTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if err := cl.waitLeader(ctx, timeout); err != nil {
		cl.Close()
		return nil, fmt.Errorf("embedded: nimbus not ready: %w", err)
	}
	nsup := opts.Supervisors
	if nsup == 0 {
		nsup = 1
	}
	slots := opts.Slots
	if slots <= 0 {
		slots = DefaultSlots
	}
	env := &workerEnv{server: cl.server, components: opts.Components, logger: logger}
	for i := range max(nsup, 0) {
		n, err := cl.startSupervisor(ctx, i, slots, env)
		if err != nil {
			cl.Close()
			return nil, fmt.Errorf("embedded: %w", err)
		}
		cl.nodes = append(cl.nodes, n)
	}
	logger.Info("embedded cluster ready", "nimbus", cl.NimbusAddr(), "supervisors", len(cl.nodes), "storm.local.dir", cl.dir)
	return cl, nil
}

// NimbusAddr is Nimbus's Thrift address, host:port.
func (cl *Cluster) NimbusAddr() string {
	return net.JoinHostPort(Host, strconv.FormatInt(cl.conf.IntOr(conf.NimbusThriftPort, 0), 10))
}

// Dir is the cluster's storm.local.dir.
func (cl *Cluster) Dir() string { return cl.dir }

// ClientConf is a configuration for clients of this cluster: the cluster's
// own, whose nimbus.seeds and nimbus.thrift.port point at its Nimbus. The
// caller owns the copy.
func (cl *Cluster) ClientConf() conf.Conf { return cl.conf.Clone() }

// Done is closed when Nimbus stops, by Close or by failing; Err then says
// why.
func (cl *Cluster) Done() <-chan struct{} { return cl.done }

// Err is why Nimbus stopped (nil after Close or while running).
func (cl *Cluster) Err() error {
	select {
	case <-cl.done:
		if errors.Is(cl.runErr, context.Canceled) {
			return nil
		}
		return cl.runErr
	default:
		return nil
	}
}

// Supervisors returns the cluster's supervisors (shared; do not modify).
func (cl *Cluster) Supervisors() []*supervisor.Supervisor {
	sups := make([]*supervisor.Supervisor, len(cl.nodes))
	for i, n := range cl.nodes {
		sups[i] = n.sup
	}
	return sups
}

// Close stops the supervisors and kills their workers, stops Nimbus, ends
// the store sessions and removes a temporary local dir. It is safe to call
// more than once.
func (cl *Cluster) Close() error {
	cl.once.Do(func() {
		for _, n := range cl.nodes {
			cl.closeErr = errors.Join(cl.closeErr, n.stop(30*time.Second))
		}
		cl.cancel()
		select {
		case <-cl.done:
		case <-time.After(30 * time.Second):
			cl.closeErr = errors.Join(cl.closeErr, errors.New("embedded: nimbus did not stop within 30s"))
		}
		cl.closeErr = errors.Join(cl.closeErr, cl.Err(), cl.store.Close())
		cl.removeDir()
	})
	return cl.closeErr
}

func (cl *Cluster) removeDir() {
	if cl.ownDir {
		os.RemoveAll(cl.dir)
	}
}

// waitLeader polls getClusterInfo until Nimbus reports itself leader.
func (cl *Cluster) waitLeader(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		// Served and listed as leader on the wire, and taken over in-process (pending
		// transitions resumed): only then does it accept a submission.
		ok, err := isLeader(ctx, cl.NimbusAddr())
		if ok && cl.nimbus.IsLeader() {
			return nil
		}
		if err != nil {
			last = err
		} else {
			last = errors.New("no leader yet")
		}
		select {
		case <-cl.done:
			return fmt.Errorf("nimbus stopped: %w", cl.runErr)
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %w)", ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// isLeader asks the Nimbus at addr whether it lists a leader for itself.
func isLeader(ctx context.Context, addr string) (bool, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	cfg := &thrift.TConfiguration{TBinaryStrictWrite: thrift.BoolPtr(true)}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSocketFromConnConf(conn, cfg), cfg)
	proto := thrift.NewTBinaryProtocolConf(trans, cfg)
	info, err := stormthrift.NewNimbusClient(thrift.NewTStandardClient(proto, proto)).GetClusterInfo(ctx)
	if err != nil {
		return false, err
	}
	for _, n := range info.GetNimbuses() {
		if n.GetIsLeader() {
			return true, nil
		}
	}
	return false, nil
}
