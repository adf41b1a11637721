package workerproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/compat/urlenc"
	"github.com/galeproject/gale/supervisor"
	"github.com/galeproject/gale/worker"
)

// Options say what a worker process can run and where it logs.
type Options struct {
	// Components creates the Go components of a Go topology (its
	// *storm.App); nil in Gale's stock worker.
	Components worker.ComponentFactory
	// Stderr receives the worker's log (the supervisor appends it to
	// worker.log); nil means os.Stderr.
	Stderr io.Writer
	// Getenv reads the environment (STORM_CONF_DIR, GALE_CODE_DIR,
	// GALE_LOG_LEVEL); nil means os.Getenv.
	Getenv func(string) string
	// Logger, when set, replaces the text logger on Stderr.
	Logger *slog.Logger
}

// Run runs one worker for the command line args (the words after
// "worker") until ctx is done (the supervisor's SIGTERM) or the worker
// fails. A worker stopped through ctx returns nil.
func Run(ctx context.Context, args []string, o Options) error {
	a, err := ParseArgs(args)
	if err != nil {
		return fmt.Errorf("%w (%w)", err, errUsage)
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	c, err := conf.Load(conf.LoadOptions{ConfFile: a.ConfFile, Overrides: a.ConfOpts, Getenv: getenv})
	if err != nil {
		return fmt.Errorf("worker: configuration: %w", err)
	}
	local := c.StringOr(conf.StormLocalDir, "")
	if local == "" {
		return errors.New("worker: storm.local.dir is not set")
	}
	if local, err = filepath.Abs(local); err != nil {
		return fmt.Errorf("worker: storm.local.dir: %w", err)
	}
	c[conf.StormLocalDir] = local
	codeDir := getenv(supervisor.EnvCodeDir)
	if codeDir == "" {
		codeDir = filepath.Join(local, "supervisor", "stormdist", urlenc.JavaEncode(a.StormID))
	}

	logger := o.Logger
	if logger == nil {
		w := o.Stderr
		if w == nil {
			w = os.Stderr
		}
		logger = newLogger(w, getenv("GALE_LOG_LEVEL"))
	}
	logger = logger.With("worker", a.WorkerID) // worker.Run adds topology and port
	logger.Info("worker process starting", "topology", a.StormID, "port", a.Port, "assignment", a.AssignmentID, "code_dir", codeDir, "pid", os.Getpid())

	st, err := zk.FromConf(ctx, c, logger)
	if err != nil {
		return fmt.Errorf("worker: connect to ZooKeeper: %w", err)
	}
	defer st.Close()
	state, err := cluster.NewContext(ctx, st, logger)
	if err != nil {
		return fmt.Errorf("worker: cluster state: %w", err)
	}
	err = worker.Run(ctx, worker.Config{
		StormID:      a.StormID,
		AssignmentID: a.AssignmentID,
		Port:         a.Port,
		WorkerID:     a.WorkerID,
		Conf:         c,
		CodeDir:      codeDir,
		LocalDir:     local,
		State:        state,
		Components:   o.Components,
		Logger:       logger,
	})
	if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled)) {
		logger.Info("worker stopped")
		return nil
	}
	if err != nil {
		logger.Error("worker failed", "err", err)
	}
	return err
}

// newLogger logs text at the level named by env (default info).
func newLogger(w io.Writer, env string) *slog.Logger {
	level := slog.LevelInfo
	if env != "" {
		var l slog.Level
		if err := l.UnmarshalText([]byte(env)); err == nil {
			level = l
		}
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
