package main

import (
	"context"
	"fmt"
	"io"

	"github.com/galeproject/gale/stormthrift"
)

// The client commands of storm-core/src/clj/org/apache/storm/command: each
// connects to the leader Nimbus, makes one call, and says what it did.

// listFormat is list.clj's row format.
const listFormat = "%-20s %-10s %-10s %-12s %-10s\n"

// writeTopologyList prints a ClusterSummary's topologies as `storm list`
// does.
func writeTopologyList(w io.Writer, tops []*stormthrift.TopologySummary) {
	if len(tops) == 0 {
		fmt.Fprintln(w, "No topologies running.")
		return
	}
	fmt.Fprintf(w, listFormat, "Topology_name", "Status", "Num_tasks", "Num_workers", "Uptime_secs")
	fmt.Fprintln(w, "-------------------------------------------------------------------")
	for _, t := range tops {
		fmt.Fprintf(w, listFormat, t.GetName(), t.GetStatus(), fmt.Sprint(t.GetNumTasks()),
			fmt.Sprint(t.GetNumWorkers()), fmt.Sprint(t.GetUptimeSecs()))
	}
}

func (a *app) list(ctx context.Context, g globalArgs, args []string) error {
	return a.withNimbus(ctx, g, func(n *nimbusConn) error {
		info, err := n.GetClusterInfo(ctx)
		if err != nil {
			return err
		}
		writeTopologyList(a.stdout, info.GetTopologies())
		return nil
	})
}

func (a *app) kill(ctx context.Context, g globalArgs, args []string) error {
	k, err := parseKill(args)
	if err != nil {
		return usageError{err, "storm kill topology-name [-w wait-time-secs]"}
	}
	opts := &stormthrift.KillOptions{WaitSecs: k.wait}
	return a.withNimbus(ctx, g, func(n *nimbusConn) error {
		if err := n.KillTopologyWithOpts(ctx, k.name, opts); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, "Killed topology:", k.name)
		return nil
	})
}

func (a *app) activate(ctx context.Context, g globalArgs, args []string) error {
	if len(args) != 1 {
		return usageError{errNoName, "storm activate topology-name"}
	}
	return a.withNimbus(ctx, g, func(n *nimbusConn) error {
		if err := n.Activate(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, "Activated topology:", args[0])
		return nil
	})
}

func (a *app) deactivate(ctx context.Context, g globalArgs, args []string) error {
	if len(args) != 1 {
		return usageError{errNoName, "storm deactivate topology-name"}
	}
	return a.withNimbus(ctx, g, func(n *nimbusConn) error {
		if err := n.Deactivate(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, "Deactivated topology:", args[0])
		return nil
	})
}

func (a *app) rebalance(ctx context.Context, g globalArgs, args []string) error {
	r, err := parseRebalance(args)
	if err != nil {
		return usageError{err, "storm rebalance topology-name [-w wait-time-secs] [-n new-num-workers] [-e component=parallelism]*"}
	}
	opts := &stormthrift.RebalanceOptions{WaitSecs: r.wait, NumWorkers: r.numWorkers, NumExecutors: r.executors}
	return a.withNimbus(ctx, g, func(n *nimbusConn) error {
		if err := n.Rebalance(ctx, r.name, opts); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, "Topology", r.name, "is rebalancing")
		return nil
	})
}

// withNimbus loads the client configuration, connects to the leader Nimbus
// and runs fn on that connection.
func (a *app) withNimbus(ctx context.Context, g globalArgs, fn func(*nimbusConn) error) error {
	c, err := a.loadConf(g)
	if err != nil {
		return err
	}
	n, err := dialLeader(ctx, c, a.logger)
	if err != nil {
		return err
	}
	defer n.Close()
	return fn(n)
}
