package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/stormjava"
	"github.com/galeproject/gale/stormthrift"
)

// TestJarTopologyOnCluster submits an ordinary Storm 1.0.0 topology jar
// (testdata/jar: TestWordSpout shuffled into TestGlobalCount, two workers)
// with `storm jar` — Storm's own StormSubmitter on a JVM — to the real
// cluster. The supervisors run it in Gale's stock worker (`storm
// worker` processes), which runs Storm's built-in test classes natively:
// the words flow, and the counting bolts ack them on both workers.
func TestJarTopologyOnCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries and runs a cluster of processes")
	}
	cp := stormjava.Classpath(t)
	jar := stormjava.Jar(t, stormjava.Compile(t, "testdata/jar", cp))
	c := startRealCluster(t, 2, 2)
	c.env = append(c.env, "STORM_CLASSPATH="+cp)
	c.run("storm-jar", c.storm, "jar", jar, "galee2e.JarWords", "jar-words")
	eventually(t, 60*time.Second, "both counting workers ack words", func() error {
		info, err := c.topologyInfo("jar-words")
		if err != nil {
			return err
		}
		emitted := map[int32]int64{}
		acked := map[int32]int64{}
		for _, e := range info.GetExecutors() {
			st := e.GetStats()
			if st == nil || st.GetSpecific() == nil {
				continue
			}
			switch e.GetComponentID() {
			case "words":
				for stream, n := range st.GetEmitted()[":all-time"] {
					if stream == "default" {
						emitted[e.GetPort()] += n
					}
				}
			case "count":
				if b := st.GetSpecific().GetBolt(); b != nil {
					acked[e.GetPort()] += sumFrom(b.GetAcked()[":all-time"], "words")
				}
			}
		}
		if len(acked) != 2 || len(emitted) == 0 {
			return fmt.Errorf("words emitted by port %v, acked by the counters by port %v", emitted, acked)
		}
		for port, n := range acked {
			if n < 20 {
				return fmt.Errorf("counters on port %d acked %d words", port, n)
			}
		}
		return nil
	})
	c.kill("jar-words")
}

// sumFrom sums a bolt's per-input counts of inputs from component.
func sumFrom(m map[*stormthrift.GlobalStreamId]int64, component string) int64 {
	var n int64
	for from, v := range m {
		if from.GetComponentId() == component {
			n += v
		}
	}
	return n
}
