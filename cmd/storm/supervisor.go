package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/galeproject/gale/client"
	galecluster "github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/supervisor"
)

// supervisor runs a Supervisor daemon on the ZooKeeper ensemble of
// storm.zookeeper.servers until interrupted. Its workers are processes:
// `storm worker ...` (this program) for jar topologies, the topology's own
// executable for Go topologies. Stopping the supervisor leaves its workers
// running; a supervisor started again on the same storm.local.dir adopts
// them.
func (a *app) supervisor(ctx context.Context, g globalArgs, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", args), "storm supervisor"}
	}
	c, err := a.daemonConf(g)
	if err != nil {
		return err
	}
	workerArgs, err := workerFlags(g)
	if err != nil {
		return err
	}
	st, err := zk.FromConf(ctx, c, a.logger)
	if err != nil {
		return fmt.Errorf("connect to ZooKeeper: %w", err)
	}
	defer st.Close()
	state, err := galecluster.NewContext(ctx, st, a.logger)
	if err != nil {
		return err
	}
	launcher, err := supervisor.NewProcessLauncher(supervisor.ProcessOptions{Logger: a.logger})
	if err != nil {
		return err
	}
	s, err := supervisor.New(supervisor.Config{
		Conf:       c,
		State:      state,
		Launcher:   launcher,
		Blobs:      supervisor.NimbusBlobs(client.FromConf(c, a.logger)),
		Clock:      time.Now,
		Logger:     a.logger,
		WorkerArgs: workerArgs,
	})
	if err != nil {
		return err
	}
	a.logger.Info("supervisor starting", "id", s.ID(), "storm.local.dir", s.LocalDir())
	return ignoreCancel(ctx, s.Run(ctx))
}

// workerFlags are the daemon's own -c and --config options, repeated on
// every worker command line so a worker reads the same configuration (the
// config file made absolute: workers run in their own directory).
func workerFlags(g globalArgs) ([]string, error) {
	var args []string
	if g.confFile != "" {
		abs, err := filepath.Abs(g.confFile)
		if err != nil {
			return nil, err
		}
		args = append(args, "--config", abs)
	}
	for _, o := range g.confOpts {
		args = append(args, "-c", o)
	}
	return args, nil
}
