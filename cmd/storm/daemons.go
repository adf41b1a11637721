package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/embedded"
	"github.com/galeproject/gale/nimbus"
)

// nimbus runs a Nimbus daemon on the ZooKeeper ensemble of
// storm.zookeeper.servers until interrupted.
func (a *app) nimbus(ctx context.Context, g globalArgs, args []string) error {
	c, err := a.daemonConf(g)
	if err != nil {
		return err
	}
	st, err := zk.FromConf(ctx, c, a.logger)
	if err != nil {
		return fmt.Errorf("connect to ZooKeeper: %w", err)
	}
	defer st.Close()
	n, err := nimbus.New(nimbus.Config{Conf: c, Store: st, Logger: a.logger, Clock: time.Now})
	if err != nil {
		return err
	}
	a.logger.Info("nimbus starting", "addr", n.Addr().String(), "storm.local.dir", c.StringOr(conf.StormLocalDir, ""))
	return ignoreCancel(ctx, n.Run(ctx))
}

// dev runs a one-process cluster until interrupted: Nimbus on the
// in-memory cluster state, listening on 127.0.0.1:nimbus.thrift.port, and
// a supervisor whose workers run in this process as Gale's stock worker
// (built-in and multilang components). Its local directory is
// storm.local.dir when that was configured, else a temporary directory
// removed on exit. A Go topology runs on its own executable's dev mode
// instead (its components live there).
func (a *app) dev(ctx context.Context, g globalArgs, args []string) error {
	c, err := a.loadConf(g)
	if err != nil {
		return err
	}
	var dir string
	if v := c.StringOr(conf.StormLocalDir, ""); v != "" && v != conf.Defaults().StringOr(conf.StormLocalDir, "") {
		if dir, err = filepath.Abs(v); err != nil {
			return err
		}
	}
	cl, err := embedded.Start(ctx, embedded.Options{Conf: c, Dir: dir, Logger: a.logger})
	if err != nil {
		return err
	}
	defer cl.Close()
	fmt.Fprintf(a.stdout, "Gale dev cluster: nimbus at %s (in-memory cluster state, local dir %s). Ctrl-C stops it.\n",
		cl.NimbusAddr(), cl.Dir())
	fmt.Fprintf(a.stdout, "%d supervisor(s) with %d worker slots each; workers run in this process.\n",
		len(cl.Supervisors()), embedded.DefaultSlots)
	select {
	case <-ctx.Done():
		return nil
	case <-cl.Done():
		return cl.Err()
	}
}

// daemonConf is the configuration a daemon runs with: the client's, with a
// relative storm.local.dir made absolute under storm.home, as Storm's
// ConfigUtils.absoluteStormLocalDir does.
func (a *app) daemonConf(g globalArgs) (conf.Conf, error) {
	c, err := a.loadConf(g)
	if err != nil {
		return nil, err
	}
	home, err := stormHomeDir(a.getenv)
	if err != nil {
		return nil, err
	}
	if d := c.StringOr(conf.StormLocalDir, "storm-local"); !filepath.IsAbs(d) {
		c[conf.StormLocalDir] = filepath.Join(home, d)
	}
	if err := os.MkdirAll(c.StringOr(conf.StormLocalDir, ""), 0o755); err != nil {
		return nil, fmt.Errorf("storm.local.dir: %w", err)
	}
	return c, nil
}

// ignoreCancel treats the end of a daemon caused by its own shutdown as
// success.
func ignoreCancel(ctx context.Context, err error) error {
	if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled)) {
		return nil
	}
	return err
}
