package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/nimbus"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/supervisor"
	"github.com/galeproject/gale/worker"
)

// DefaultSlots is the number of worker slots of each embedded supervisor.
const DefaultSlots = 4

// node is one embedded supervisor: its own store session, its own
// storm.local.dir, and in-process workers.
type node struct {
	sup      *supervisor.Supervisor
	launcher *supervisor.FuncLauncher
	state    *cluster.State
	cancel   context.CancelFunc
	done     chan struct{}
}

// workerEnv is what the in-process workers of every embedded supervisor
// share.
type workerEnv struct {
	server     *mem.Server
	components worker.ComponentFactory
	logger     *slog.Logger
}

// startSupervisor starts supervisor i with slots free ports, workers run by
// worker.Run in goroutines of this process.
func (cl *Cluster) startSupervisor(ctx context.Context, i, slots int, env *workerEnv) (*node, error) {
	ports, err := freePorts(slots)
	if err != nil {
		return nil, err
	}
	c := cl.conf.Clone()
	local := filepath.Join(cl.dir, "supervisor-"+strconv.Itoa(i))
	c[conf.StormLocalDir] = local
	c[conf.StormLocalHostname] = Host
	anyPorts := make([]any, len(ports))
	for j, p := range ports {
		anyPorts[j] = int64(p)
	}
	c[conf.SupervisorSlotsPorts] = anyPorts

	sess := env.server.Connect()
	state, err := cluster.NewContext(ctx, sess, env.logger)
	if err != nil {
		sess.Close()
		return nil, fmt.Errorf("supervisor %d: cluster state: %w", i, err)
	}
	daemonConf := c.Clone()
	launcher := supervisor.NewFuncLauncher(func(wctx context.Context, spec supervisor.WorkerSpec) error {
		return runWorker(wctx, spec, daemonConf, local, env)
	})
	sup, err := supervisor.New(supervisor.Config{
		Conf:     c,
		State:    state,
		Launcher: launcher,
		Blobs:    supervisor.LocalBlobs(nimbusBlobs{cl.nimbus}),
		Logger:   env.logger,
		Hostname: Host,
	})
	if err != nil {
		sess.Close()
		return nil, fmt.Errorf("supervisor %d: %w", i, err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	n := &node{sup: sup, launcher: launcher, state: state, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(n.done)
		if err := sup.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
			env.logger.Error("embedded supervisor stopped", "supervisor", sup.ID(), "err", err)
		}
	}()
	return n, nil
}

// stop ends the supervisor, then kills its workers and ends its session.
func (n *node) stop(timeout time.Duration) error {
	n.cancel()
	var errs []error
	select {
	case <-n.done:
	case <-time.After(timeout):
		errs = append(errs, errors.New("embedded: supervisor did not stop in time"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := n.launcher.KillAll(ctx); err != nil {
		errs = append(errs, fmt.Errorf("embedded: workers did not stop: %w", err))
	}
	errs = append(errs, n.state.Store().Close())
	return errors.Join(errs...)
}

// runWorker is one in-process worker: its own cluster state session, a
// messaging listener bound on Host, and worker.Run until killed.
func runWorker(ctx context.Context, spec supervisor.WorkerSpec, daemonConf conf.Conf, local string, env *workerEnv) error {
	logger := env.logger.With("worker", spec.WorkerID) // worker.Run adds topology and port
	ln, err := net.Listen("tcp", net.JoinHostPort(Host, strconv.Itoa(spec.Port)))
	if err != nil {
		return fmt.Errorf("worker %s: listen: %w", spec.WorkerID, err)
	}
	sess := env.server.Connect()
	defer sess.Close()
	state, err := cluster.NewContext(ctx, sess, logger)
	if err != nil {
		ln.Close()
		return fmt.Errorf("worker %s: cluster state: %w", spec.WorkerID, err)
	}
	err = worker.Run(ctx, worker.Config{
		StormID:      spec.StormID,
		AssignmentID: spec.AssignmentID,
		Port:         spec.Port,
		WorkerID:     spec.WorkerID,
		Conf:         daemonConf,
		CodeDir:      spec.CodeDir,
		LocalDir:     local,
		State:        state,
		Components:   env.components,
		Logger:       logger,
		Hostname:     Host,
		Listener:     ln,
	})
	ln.Close() // the worker closes it too; not on every early failure
	if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled)) {
		return nil
	}
	return err
}

// freePorts returns n distinct ports that were free on Host a moment ago.
func freePorts(n int) ([]int, error) {
	lns := make([]net.Listener, 0, n)
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		ln, err := net.Listen("tcp", net.JoinHostPort(Host, "0"))
		if err != nil {
			return nil, fmt.Errorf("embedded: free port: %w", err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// nimbusBlobs reads topology blobs straight from the embedded Nimbus, as a
// supervisor's download over Thrift would.
type nimbusBlobs struct{ n *nimbus.Nimbus }

func (b nimbusBlobs) BeginDownload(key string) (*stormthrift.BeginDownloadResult_, error) {
	return b.n.BeginBlobDownload(context.Background(), key)
}

func (b nimbusBlobs) DownloadChunk(session string) ([]byte, error) {
	return b.n.DownloadBlobChunk(context.Background(), session)
}
