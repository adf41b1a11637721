// Command perftopo is the Go topology executable of the benchmarks: the Go twins of
// perf/java's topologies (package galeperf) in one binary, as Gale's Go topologies are built.
//
//	perftopo capabilities                  JSON {"submit":bool,"reason":...}: can this build run on Gale?
//	perftopo describe TOPOLOGY             print the built StormTopology's components (a check of the shape)
//	perftopo submit NAME TOPOLOGY CONF.json [-c key=value]...
//	                                       submit to the Nimbus of the given conf; prints SUBMIT_MS=<wall ms>
//	                                       just before the submit call and SUBMITTED_MS= after, like PerfMain
//	perftopo dev NAME TOPOLOGY CONF.json [-c key=value]...
//	                                       run it on Gale's one-process cluster (storm/cli dev mode) until
//	                                       interrupted; prints SUBMIT_MS= before starting it
//	perftopo worker ...                    run by Gale's supervisors (storm/cli worker mode)
//
// The harness's Gale runners (perf/internal/bench, GaleRunner) call it. The Gale modes are
// storm/cli's: the benchmark's topology and configuration reach Build as the -c options
// perf.topology and perf.conf.file.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/perf/gale"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/storm/cli"
	"github.com/galeproject/gale/stormthrift"
)

// Options through which the benchmark's topology and configuration file reach Build.
const (
	optTopology = "perf.topology"
	optConfFile = "perf.conf.file"
	// optMultilangDir holds relay.js and storm.js for the multilang topology
	// (relay.py and storm.py for multilang-py).
	optMultilangDir = "perf.multilang.dir"
	// optPython is the Python 2 interpreter of multilang-py's relay: a -c option,
	// or else the key in the configuration file (where the harness puts it for
	// both systems).
	optPython = "perf.python"
)

func topology(app *storm.App) cli.Topology {
	return cli.Topology{
		Name: "perf",
		App:  app,
		Build: func(opts storm.Conf) (*stormthrift.StormTopology, storm.Config, error) {
			name := opts.StringOr(optTopology, "")
			if name == "" {
				return nil, nil, fmt.Errorf("no -c %s=TOPOLOGY", optTopology)
			}
			cfg := storm.Config{}
			if f := opts.StringOr(optConfFile, ""); f != "" {
				b, err := os.ReadFile(f)
				if err != nil {
					return nil, nil, err
				}
				c, err := conf.ParseJSON(b)
				if err != nil {
					return nil, nil, fmt.Errorf("%s: %w", f, err)
				}
				for k, v := range c {
					cfg[k] = v
				}
			}
			python := opts.StringOr(optPython, "")
			if p, ok := cfg[optPython].(string); ok && python == "" {
				python = p
			}
			topo, err := galeperf.Build(app, name, galeperf.Multilang{Dir: opts.StringOr(optMultilangDir, ""), Python: python})
			if err != nil {
				return nil, nil, err
			}
			return topo, cfg, nil
		},
		// Dev keeps the dev cluster running until perftopo is interrupted.
		Dev: func(ctx context.Context, l *cli.Local, stdout io.Writer) error {
			<-ctx.Done()
			return nil
		},
	}
}

func main() {
	app := storm.NewApp()
	galeperf.Register(app)
	t := topology(app)
	args := os.Args[1:]
	if len(args) > 0 && (args[0] == "submit" || args[0] == "dev") {
		// perftopo's own form: MODE NAME TOPOLOGY CONF.json [-c k=v]... → storm/cli's.
		if len(args) < 4 {
			fmt.Fprintln(os.Stderr, "usage: perftopo submit|dev NAME TOPOLOGY CONF.json [-c key=value]...")
			os.Exit(2)
		}
		line := []string{args[0], "-c", optTopology + "=" + args[2], "-c", optConfFile + "=" + args[3]}
		line = append(line, args[4:]...)
		line = append(line, args[1])
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		fmt.Printf("SUBMIT_MS=%d\n", time.Now().UnixMilli())
		code := cli.Run(ctx, t, line, cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
		stop()
		if code == 0 && args[0] == "submit" {
			fmt.Printf("SUBMITTED_MS=%d\n", time.Now().UnixMilli())
		}
		os.Exit(code)
	}
	if len(args) > 0 && (args[0] == "capabilities" || args[0] == "describe") {
		if err := run(app, args); err != nil {
			fmt.Fprintln(os.Stderr, "perftopo:", err)
			os.Exit(1)
		}
		return
	}
	cli.Main(t)
}

func run(app *storm.App, args []string) error {
	switch args[0] {
	case "capabilities":
		return json.NewEncoder(os.Stdout).Encode(map[string]any{"submit": true})
	case "describe":
		if len(args) != 2 {
			return errors.New("usage: perftopo describe TOPOLOGY")
		}
		topo, err := galeperf.Build(app, args[1], galeperf.Multilang{Dir: "/multilang", Python: "python2.7"})
		if err != nil {
			return err
		}
		describe(topo)
		return nil
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func describe(topo *stormthrift.StormTopology) {
	var lines []string
	for id, s := range topo.GetSpouts() {
		lines = append(lines, fmt.Sprintf("spout %s %s p=%d", id, s.GetSpoutObject().GetJavaObject().GetFullClassName(),
			s.GetCommon().GetParallelismHint()))
	}
	for id, b := range topo.GetBolts() {
		var ins []string
		for g, gr := range b.GetCommon().GetInputs() {
			ins = append(ins, fmt.Sprintf("%s:%s/%s", g.GetComponentId(), g.GetStreamId(), grouping(gr)))
		}
		sort.Strings(ins)
		lines = append(lines, fmt.Sprintf("bolt %s %s p=%d <- %s", id, b.GetBoltObject().GetJavaObject().GetFullClassName(),
			b.GetCommon().GetParallelismHint(), strings.Join(ins, ",")))
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
}

func grouping(g *stormthrift.Grouping) string {
	switch {
	case g.IsSetShuffle():
		return "shuffle"
	case g.IsSetLocalOrShuffle():
		return "local-or-shuffle"
	case g.IsSetFields():
		return "fields" + fmt.Sprint(g.GetFields())
	}
	return "other"
}
