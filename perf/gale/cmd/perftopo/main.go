// Command perftopo is the Go topology executable of the benchmarks: the Go twins of
// perf/java's topologies (package galeperf) in one binary, as Gale's Go topologies are built.
//
//	perftopo capabilities                  JSON {"submit":bool,"reason":...}: can this build run on Gale?
//	perftopo describe TOPOLOGY             print the built StormTopology's components (a check of the shape)
//	perftopo submit NAME TOPOLOGY CONF.json [-c key=value]...
//	                                       submit to the Nimbus of the given conf; prints SUBMIT_MS=<wall ms>
//	                                       just before the submit call and SUBMITTED_MS= after, like PerfMain
//
// The harness's Gale runners (perf/internal/bench, GaleRunner) call it. Wiring point: submit and
// workerMode below are where the SDK's submit and worker entry points plug in once Gale's worker
// runtime exists; until then capabilities reports why not, and the harness shows Gale's columns
// as "not yet measured (runtime pending)".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/perf/gale"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
)

// errPending is what submit returns until the SDK can submit and run a Go topology.
var errPending = errors.New("Gale's Go SDK has no submit/worker entry point yet (worker runtime pending)")

// submit uploads this executable as the topology artifact and submits topo. Replace the body
// with the SDK's submit call when it exists.
func submit(ctx context.Context, app *storm.App, name string, topo *stormthrift.StormTopology, c conf.Conf) error {
	_, _, _, _, _ = ctx, app, name, topo, c
	return errPending
}

// workerMode runs this executable as a Gale worker when a supervisor launched it, and reports
// whether it did. Replace with the SDK's worker entry point when it exists.
func workerMode(app *storm.App, args []string) (bool, error) {
	_, _ = app, args
	return false, nil
}

func main() {
	app := storm.NewApp()
	galeperf.Register(app)
	if ok, err := workerMode(app, os.Args[1:]); ok {
		if err != nil {
			fmt.Fprintln(os.Stderr, "perftopo worker:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(app, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "perftopo:", err)
		if errors.Is(err, errPending) {
			os.Exit(3)
		}
		os.Exit(1)
	}
}

func run(app *storm.App, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: perftopo capabilities | describe TOPOLOGY | submit NAME TOPOLOGY CONF.json [-c key=value]...")
	}
	switch args[0] {
	case "capabilities":
		caps := map[string]any{"submit": true}
		if err := submit(context.Background(), app, "", nil, nil); errors.Is(err, errPending) {
			caps = map[string]any{"submit": false, "reason": err.Error()}
		}
		return json.NewEncoder(os.Stdout).Encode(caps)
	case "describe":
		if len(args) != 2 {
			return errors.New("usage: perftopo describe TOPOLOGY")
		}
		topo, err := galeperf.Build(app, args[1])
		if err != nil {
			return err
		}
		describe(topo)
		return nil
	case "submit":
		if len(args) < 4 {
			return errors.New("usage: perftopo submit NAME TOPOLOGY CONF.json [-c key=value]...")
		}
		topo, err := galeperf.Build(app, args[2])
		if err != nil {
			return err
		}
		b, err := os.ReadFile(args[3])
		if err != nil {
			return err
		}
		c, err := conf.ParseJSON(b)
		if err != nil {
			return fmt.Errorf("%s: %w", args[3], err)
		}
		rest := args[4:]
		for len(rest) >= 2 && rest[0] == "-c" {
			k, v, err := conf.ParseOverride(rest[1])
			if err != nil {
				return err
			}
			c[k] = v
			rest = rest[2:]
		}
		fmt.Printf("SUBMIT_MS=%d\n", time.Now().UnixMilli())
		if err := submit(context.Background(), app, args[1], topo, c); err != nil {
			return err
		}
		fmt.Printf("SUBMITTED_MS=%d\n", time.Now().UnixMilli())
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
