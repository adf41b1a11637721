package e2e

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/stormjava"
)

// TestMultilangJarWordFlow submits a topology jar built here with Storm
// 1.0.0's API (testdata/multilang: TestWordSpout → a ShellBolt on Node.js
// with Storm's storm.js → a ShellBolt on Python with pystorm from PyPI →
// TestWordCounter → a ShellBolt on Ruby with Storm's storm.rb that writes
// each (word, count) to a file) through StormSubmitter (`storm jar`) to a
// real Gale cluster, whose supervisor runs it in Gale's stock worker
// (`storm worker` processes, no JVM) over two workers. Meanwhile the same
// jar runs on Storm 1.0.0's LocalCluster. TestWordSpout picks words at
// random, so both runs are held to the same invariants: only the five
// words, upper-cased by Node.js and suffixed by Python, and per word the
// counts 1, 2, ..., n with none lost, repeated or out of order.
func TestMultilangJarWordFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries and runs a cluster of processes")
	}
	requirePrograms(t)
	cp := stormjava.Classpath(t)
	python := pystormPython(t)
	jar := multilangJar(t, cp)
	const minLines = 60

	// Storm 1.0.0's LocalCluster on the same jar, in parallel.
	localOut := t.TempDir()
	args := append(stormjava.JVMFlags(), "-cp", jar+string(os.PathListSeparator)+cp,
		"galeml.WordFlow", "local", "wordflow-local", localOut, python, strconv.Itoa(minLines))
	local := start(t, "localcluster", cleanEnv(t), "java", args...)

	c := startRealCluster(t, 1, 2)
	c.env = append(c.env, "STORM_CLASSPATH="+cp)
	galeOut := t.TempDir()
	c.run("storm-jar", c.storm, "jar", jar, "galeml.WordFlow", "submit", "wordflow", galeOut, python)

	var gale flowResult
	eventually(t, 60*time.Second, "the Gale run's sink sees every word", func() error {
		var err error
		if gale, err = readFlow(galeOut); err != nil {
			return err
		}
		if err := gale.check(); err != nil {
			t.Fatalf("Gale run: %v", err)
		}
		return gale.complete(minLines)
	})
	t.Logf("Gale: %s", gale)
	checkStockWorkers(t, c)
	c.kill("wordflow")

	err, done := local.wait(2 * time.Minute)
	if !done {
		t.Fatalf("LocalCluster run did not finish:\n%s", local.output())
	}
	if err != nil {
		t.Fatalf("LocalCluster run: %v\n%s", err, local.output())
	}
	storm, err := readFlow(localOut)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("LocalCluster: %s", storm)
	if err := storm.check(); err != nil {
		t.Errorf("LocalCluster run: %v", err)
	}
	if err := storm.complete(minLines); err != nil {
		t.Errorf("LocalCluster run: %v", err)
	}
	if g, s := slices.Sorted(maps.Keys(gale.seqs)), slices.Sorted(maps.Keys(storm.seqs)); !slices.Equal(g, s) {
		t.Errorf("words: Gale %v, LocalCluster %v", g, s)
	}
}

// checkStockWorkers checks that the topology's workers are Gale's stock
// worker (`storm worker`, not a JVM) and that the shell components run as
// their child processes (node, python, ruby), which registered their pids
// in the workers' pids directories.
func checkStockWorkers(t *testing.T, c *realCluster) {
	t.Helper()
	workers := map[int]bool{}
	children := map[string]int{}
	for _, s := range c.sups {
		for _, pid := range livePIDs(s.local) {
			argv := procCmdline(pid)
			switch {
			case len(argv) >= 2 && filepath.Base(argv[0]) == filepath.Base(c.storm) && argv[1] == "worker":
				workers[pid] = true
			case len(argv) >= 1:
				children[filepath.Base(argv[0])]++
			}
		}
	}
	if len(workers) != 2 {
		t.Errorf("%d `storm worker` processes, want 2", len(workers))
	}
	for _, s := range c.sups {
		for _, pid := range livePIDs(s.local) {
			argv := procCmdline(pid)
			if len(argv) == 0 || workers[pid] {
				continue
			}
			if !workers[procParent(pid)] {
				t.Errorf("process %d %q is not a child of a worker", pid, argv)
			}
		}
	}
	// upper: 2 node, shout: 2 python, sink: 1 ruby.
	pythons := 0
	for name, k := range children {
		if strings.HasPrefix(name, "python") {
			pythons += k
		}
	}
	if children["node"] != 2 || children["ruby"] != 1 || pythons != 2 {
		t.Errorf("shell component processes %v, want 2 node, 2 python, 1 ruby", children)
	}
}

// chaosMode is one way a multilang subprocess misbehaves (see
// testdata/multilang/resources/chaos.py) and what must follow.
type chaosMode struct {
	mode string
	// fatal: the subprocess is dead, the worker fails and its supervisor
	// restarts it.
	fatal bool
	// reported is in an error of component "chaos" (or of component,
	// when set) in getTopologyInfo (ZooKeeper /errors), when set.
	reported  string
	component string
	// logged is in a worker.log, when set.
	logged string
}

var chaosModes = []chaosMode{
	{mode: "exit", fatal: true, reported: "exited with code 3"},
	{mode: "hang", fatal: true, reported: "heartbeat timeout"},
	{mode: "garbage", fatal: true, reported: "not valid JSON"},
	{mode: "huge", fatal: true, reported: "too large"},
	// Storm's ShellBolt ignores commands it does not know; Gale warns.
	{mode: "unknown", logged: "gale-bogus-command"},
	// Storm drops such a tuple silently; Gale reports it and fails the
	// tuple trees it was anchored to, so the spout replays them.
	{mode: "undeclared", reported: "does not declare this stream"},
	// The spout's subprocess exits right after an emit.
	{mode: "spout-exit", fatal: true, component: "source", reported: "exited with code 3"},
}

// TestMultilangSubprocessFailures runs one topology per misbehaviour of a
// multilang subprocess on a real cluster (Gale's stock worker): a durable
// pystorm spout (acks are recorded in a file, and a restarted spout emits
// what was not acked) of 30 ids into a pystorm bolt that misbehaves once,
// at id 10 (or a spout that exits once, right after emitting id 10).
// Whatever happened, every id ends up acked exactly once, and every acked
// id was processed. A fatal misbehaviour (exit, silence past
// topology.subprocess.timeout.secs, malformed JSON, a message over the
// size limit) is reported to /errors once and kills the worker, which its
// supervisor restarts; the ids in flight then are emitted again by the new
// spout. An emit to an undeclared stream is reported and its tuple tree
// failed and replayed; an unknown command is logged and ignored. Neither
// restarts the worker.
func TestMultilangSubprocessFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries and runs a cluster of processes")
	}
	cp := stormjava.Classpath(t)
	python := pystormPython(t)
	jar := multilangJar(t, cp)
	const n, trip = 30, 10

	c := startRealCluster(t, 1, len(chaosModes))
	c.env = append(c.env, "STORM_CLASSPATH="+cp)
	root := t.TempDir()
	args := []string{"jar", jar, "galeml.Chaos", root, python}
	for _, m := range chaosModes {
		if err := os.Mkdir(filepath.Join(root, m.mode), 0o755); err != nil {
			t.Fatal(err)
		}
		args = append(args, m.mode)
	}
	c.run("storm-jar", c.storm, args...)

	for _, m := range chaosModes {
		t.Run(m.mode, func(t *testing.T) {
			dir := filepath.Join(root, m.mode)
			var files chaosFiles
			eventually(t, 60*time.Second, "every id acked", func() error {
				var err error
				if files, err = readChaos(dir); err != nil {
					return err
				}
				return files.allAcked(n)
			})
			// Nothing acked twice, nothing acked unprocessed.
			processed := map[int]bool{}
			for _, p := range files.processed {
				processed[p[0]] = true
			}
			for id, k := range files.ackedIDs() {
				if k != 1 {
					t.Errorf("id %d acked %d times", id, k)
				}
				if !processed[id] {
					t.Errorf("id %d acked but never processed", id)
				}
			}
			workers := files.workerPIDsOfSpouts()
			if m.fatal {
				if len(workers) < 2 {
					t.Errorf("the spout ran under workers %v: want the worker restarted", workers)
				}
				inFlight := files.inFlightAtFirstDeath()
				if !slices.Contains(inFlight, trip) {
					t.Errorf("in flight when the first worker died: %v; want %d among them", inFlight, trip)
				}
				for _, id := range inFlight {
					if files.emissions(id) < 2 {
						t.Errorf("id %d, in flight when the worker died, was not emitted again", id)
					}
				}
			} else if len(workers) != 1 {
				t.Errorf("the spout ran under workers %v: want one worker, never restarted", workers)
			}
			if m.mode == "undeclared" && files.emissions(trip) < 2 {
				t.Errorf("id %d, whose tree failed, was emitted %d times; want a replay", trip, files.emissions(trip))
			}
			if m.reported != "" {
				var errs []string
				eventually(t, 30*time.Second, "the error in getTopologyInfo", func() error {
					var err error
					errs, err = chaosErrors(c, "chaos-"+m.mode, cmp.Or(m.component, "chaos"), m.reported)
					return err
				})
				t.Logf("reported: %s", errs[0])
				// One report per death, as Storm's ShellBolt.die does.
				if died := len(workers) - 1; m.fatal && len(errs) != died {
					t.Errorf("%d errors for %d deaths: %q", len(errs), died, errs)
				}
			}
			if m.logged != "" {
				found := false
				for _, s := range c.sups {
					if strings.Contains(workerLogs(filepath.Join(s.local, "logs"), 1<<20), m.logged) {
						found = true
					}
				}
				if !found {
					t.Errorf("no worker.log mentions %q", m.logged)
				}
			}
			t.Logf("%d emits, %d acks, %d processed, spout workers %v", len(files.emitted), len(files.acked), len(files.processed), workers)
		})
	}
}

// chaosErrors returns the errors of component comp of topology name that
// contain text; none is an error.
func chaosErrors(c *realCluster, name, comp, text string) ([]string, error) {
	info, err := c.topologyInfo(name)
	if err != nil {
		return nil, err
	}
	var all, match []string
	for _, e := range info.GetErrors()[comp] {
		all = append(all, e.GetError())
		if strings.Contains(e.GetError(), text) {
			match = append(match, e.GetError())
		}
	}
	if len(match) == 0 {
		return nil, fmt.Errorf("errors of %s: %q; want one containing %q", comp, all, text)
	}
	return match, nil
}
