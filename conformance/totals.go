package conformance

import (
	"fmt"
	"strings"

	"github.com/galeproject/gale/stormthrift"
)

// topologyTotals sums a TopologyInfo's raw executor stats (what the
// workers put in their heartbeats) the way the UI shows them: the
// ":all-time" window, streams whose id starts with "__" (acker, metrics,
// system streams) left out. It gives
//
//	{"components": {<component>: counts}, "executors": {"[start-end]": counts}}
//
// with counts {"emitted", "transferred", "acked", "failed", "executed"}
// (a spout's acked and failed count its tuple trees; a bolt's the
// tuples it acked and failed). Cases compare the UI's numbers, which
// Gale's Nimbus aggregates, with these between two readings.
func topologyTotals(info *stormthrift.TopologyInfo) map[string]any {
	comps := map[string]map[string]int64{}
	execs := map[string]any{}
	for _, e := range info.GetExecutors() {
		c := map[string]int64{"emitted": 0, "transferred": 0, "acked": 0, "failed": 0, "executed": 0}
		if st := e.GetStats(); st != nil {
			c["emitted"] = userStreams(st.GetEmitted()[allTime])
			c["transferred"] = userStreams(st.GetTransferred()[allTime])
			if sp := st.GetSpecific().GetSpout(); sp != nil {
				c["acked"] = userStreams(sp.GetAcked()[allTime])
				c["failed"] = userStreams(sp.GetFailed()[allTime])
			}
			if b := st.GetSpecific().GetBolt(); b != nil {
				c["acked"] = userInputs(b.GetAcked()[allTime])
				c["failed"] = userInputs(b.GetFailed()[allTime])
				c["executed"] = userInputs(b.GetExecuted()[allTime])
			}
		}
		ei := e.GetExecutorInfo()
		execs[fmt.Sprintf("[%d-%d]", ei.GetTaskStart(), ei.GetTaskEnd())] = c
		sum := comps[e.GetComponentID()]
		if sum == nil {
			sum = map[string]int64{}
			comps[e.GetComponentID()] = sum
		}
		for k, v := range c {
			sum[k] += v
		}
	}
	out := map[string]any{}
	for k, v := range comps {
		out[k] = v
	}
	return map[string]any{"components": out, "executors": execs}
}

const allTime = ":all-time"

func userStreams(m map[string]int64) int64 {
	var n int64
	for s, v := range m {
		if !strings.HasPrefix(s, "__") {
			n += v
		}
	}
	return n
}

func userInputs(m map[*stormthrift.GlobalStreamId]int64) int64 {
	var n int64
	for g, v := range m {
		if !strings.HasPrefix(g.GetStreamId(), "__") {
			n += v
		}
	}
	return n
}
