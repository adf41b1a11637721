package e2e

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/stormjava"
	"github.com/galeproject/gale/storm/cli"
)

// TestWordCountOnCluster submits the Go word count executable to a real
// cluster (ZooKeeper, `storm nimbus`, two `storm supervisor` processes)
// with two workers. The supervisors run the uploaded executable in worker
// mode; the totals the count tasks write must be exact, and
// getTopologyInfo (Gale's client, then Storm 1.0.0's Java NimbusClient)
// must show the executors on two workers of two supervisors with exact
// emitted and acked counts.
func TestWordCountOnCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries and runs a cluster of processes")
	}
	c := startRealCluster(t, 2, 2)
	wc := build(t, t.TempDir(), "github.com/galeproject/gale/examples/wordcount")
	out := t.TempDir()
	const repeat = 40
	lines := wordCountInput(t)
	want, words := expectedCounts(lines, repeat)
	trees := int64(len(lines) * repeat)

	submitted := c.run("wordcount-submit", wc, "-c", "topology.workers=2", "-c", "wordcount.repeat="+strconv.Itoa(repeat),
		"-c", "wordcount.output.dir="+out, "submit", "wc-exact")
	if !strings.Contains(submitted, "Finished submitting topology: wc-exact") {
		t.Errorf("submit said:\n%s", submitted)
	}
	eventually(t, 60*time.Second, "exact word totals", func() error {
		got, err := readCounts(out)
		if err != nil {
			return err
		}
		return diffCounts(got, want)
	})

	// Stats reach Nimbus with the workers' heartbeats.
	var counts cli.Counts
	eventually(t, 30*time.Second, "exact counts in getTopologyInfo", func() error {
		info, err := c.topologyInfo("wc-exact")
		if err != nil {
			return err
		}
		counts = cli.CountsOf(info)
		if counts.Acked != trees || counts.Failed != 0 || counts.BoltAcked != trees+words || counts.Emitted != 2*words+trees {
			return fmt.Errorf("%s, bolt acked %d; want %d trees acked, %d bolt acks, %d emitted",
				counts, counts.BoltAcked, trees, trees+words, 2*words+trees)
		}
		return nil
	})
	info, err := c.topologyInfo("wc-exact")
	if err != nil {
		t.Fatal(err)
	}
	// Executors: 2 spouts, 3 splitters, 4 counters and the ackers, on two
	// workers, one per supervisor.
	used := map[int]bool{}
	comps := map[string]int{}
	for _, e := range info.GetExecutors() {
		comps[e.GetComponentID()]++
		used[int(e.GetPort())] = true
		if e.GetHost() != "127.0.0.1" || e.GetUptimeSecs() < 0 {
			t.Errorf("executor %v of %s on %s:%d, up %ds", e.GetExecutorInfo(), e.GetComponentID(), e.GetHost(), e.GetPort(), e.GetUptimeSecs())
		}
	}
	if comps["sentences"] != 2 || comps["split"] != 3 || comps["count"] != 4 || comps["__acker"] < 1 {
		t.Errorf("executors per component: %v", comps)
	}
	if len(used) != 2 {
		t.Errorf("executors on ports %v, want 2 workers", used)
	}
	for _, s := range c.sups {
		n := 0
		for _, p := range s.ports {
			if used[p] {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s (ports %v) runs %d of the workers, want 1", s.name, s.ports, n)
		}
	}

	t.Run("java client", func(t *testing.T) {
		checkJavaTopologyInfo(t, c, "wc-exact", trees, words)
	})

	c.kill("wc-exact")
}

// checkJavaTopologyInfo reads getTopologyInfo with Storm 1.0.0's
// NimbusClient and checks executors, hosts, ports, uptimes and counts.
func checkJavaTopologyInfo(t *testing.T, c *realCluster, name string, trees, words int64) {
	cp := stormjava.Classpath(t)
	classes := stormjava.Compile(t, "testdata/java", cp)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	opts := "nimbus.seeds=" + url.QueryEscape(`["127.0.0.1"]`) + ",nimbus.thrift.port=" + strconv.Itoa(c.nimbusPort)
	cmd := stormjava.CommandWithProps(ctx, classes+string(os.PathListSeparator)+cp, []string{"storm.options=" + opts},
		"TopologyInfoDump", name)
	out := string(stormjava.Run(t, cmd))
	t.Logf("TopologyInfoDump:\n%s", out)
	var (
		ports                   = map[string]bool{}
		emitted, acked          = map[string]int64{}, map[string]int64{}
		executors, withStats, n int
	)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 5 && f[0] == "topology":
			if f[2] != name || f[3] != "ACTIVE" {
				t.Errorf("topology line %q", line)
			}
			n++
		case len(f) == 11 && f[0] == "executor":
			executors++
			comp, host, port := f[1], f[4], f[5]
			if host != "127.0.0.1" {
				t.Errorf("executor on host %q: %q", host, line)
			}
			if up, err := strconv.Atoi(f[6]); err != nil || up < 0 {
				t.Errorf("uptime in %q", line)
			}
			ports[port] = true
			if f[7] == "true" {
				withStats++
			}
			e, _ := strconv.ParseInt(f[8], 10, 64)
			a, _ := strconv.ParseInt(f[9], 10, 64)
			emitted[comp] += e
			acked[comp] += a
		default:
			t.Errorf("unexpected line %q", line)
		}
	}
	if n != 1 || executors < 9 || withStats != executors || len(ports) != 2 {
		t.Errorf("%d topology lines, %d executors (%d with stats) on ports %v", n, executors, withStats, slices.Sorted(maps.Keys(ports)))
	}
	if emitted["sentences"] != trees || acked["sentences"] != trees || emitted["split"] != words ||
		acked["split"] != trees || emitted["count"] != words || acked["count"] != words {
		t.Errorf("emitted %v acked %v; want sentences %d/%d, split %d/%d, count %d/%d",
			emitted, acked, trees, trees, words, trees, words, words)
	}
}
