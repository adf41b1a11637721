package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/galeproject/gale/compat/conf"
)

// devReportEvery is how often dev mode without a Dev hook prints progress.
const devReportEvery = 10 * time.Second

// devMode is `prog dev [-c k=v]... [--config F] [NAME]`: an embedded
// cluster in this process runs the topology.
func devMode(ctx context.Context, t Topology, c cmdline, env Env) error {
	name := t.Name
	switch len(c.pos) {
	case 0:
	case 1:
		name = c.pos[0]
	default:
		return usageError{errors.New("want at most one topology NAME")}
	}
	if name == "" {
		return usageError{errors.New("no topology NAME")}
	}
	overrides, err := c.overrides()
	if err != nil {
		return err
	}
	cc, err := c.clientConf(env.Getenv)
	if err != nil {
		return err
	}
	var dir string
	if v := cc.StringOr(conf.StormLocalDir, ""); v != "" && v != conf.Defaults().StringOr(conf.StormLocalDir, "") {
		if dir, err = filepath.Abs(v); err != nil {
			return err
		}
	}
	exe, err := env.executable()
	if err != nil {
		return err
	}
	start := time.Now()
	l, err := StartLocal(ctx, t, LocalOptions{
		Name: name, ClusterConf: cc, Overrides: overrides, Dir: dir, Artifact: exe, Logger: env.logger(false),
	})
	if err != nil {
		return err
	}
	defer l.Close()
	fmt.Fprintf(env.Stdout, "Gale dev cluster: nimbus at %s, %d supervisor(s), workers in this process (in-memory cluster state, local dir %s).\n",
		l.Cluster.NimbusAddr(), len(l.Cluster.Supervisors()), l.Cluster.Dir())
	fmt.Fprintf(env.Stdout, "Submitted topology %s (%s) in %.1fs.\n", name, l.StormID, time.Since(start).Seconds())

	if t.Dev == nil {
		fmt.Fprintln(env.Stdout, "Running until interrupted (Ctrl-C).")
		return reportUntilDone(ctx, l, env)
	}
	// Closing the cluster (deferred) stops its workers, which close their
	// components, then Nimbus.
	if err := t.Dev(ctx, l, env.Stdout); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

// reportUntilDone prints the topology's counters now and then until ctx
// is done.
func reportUntilDone(ctx context.Context, l *Local, env Env) error {
	tick := time.NewTicker(devReportEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-l.Cluster.Done():
			return fmt.Errorf("nimbus stopped: %w", l.Cluster.Err())
		case <-tick.C:
			info, err := l.Info(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				fmt.Fprintf(env.Stderr, "getTopologyInfo: %v\n", err)
				continue
			}
			fmt.Fprintf(env.Stdout, "%s: up %ds, %s\n", l.Name, info.GetUptimeSecs(), CountsOf(info))
		}
	}
}
