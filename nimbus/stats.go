package nimbus

import (
	"math"
	"slices"

	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// Heartbeat stats -> UI page structs (stats.clj agg-topo-execs-stats and
// agg-comp-execs-stats). Everything here is pure: executors with their
// latest ExecutorStats go in, Thrift page structs come out.
//
// Counts are summed per window; latencies are count-weighted averages
// (complete latency weighted by acked, execute/process latency by
// executed); bolt capacity is Σ(execute avg × executed over "600") /
// (1000 × min(uptime, 600)), the maximum over executors on the topology
// page. Emitted/transferred skip system streams ("__*") unless
// includeSys; executors of system components are skipped unless
// includeSys. Every struct the Storm UI dereferences is filled (common and
// specific stats with the right union arm, non-nil maps).

// execInput is one executor of the assignment with its latest beat.
type execInput struct {
	exec   topology.ExecutorID
	comp   string
	host   string // node id on the topology page, hostname on the component page
	port   int
	uptime *int32 // nil: no heartbeat
	stats  *stormthrift.ExecutorStats
	bolt   bool // component type (from the stats arm, else the topology)
}

type gsid struct{ comp, stream string }

const tenMinutes = "600"

// num is valid-number? → value, else 0.
func num(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

func sumCounts(m map[string]int64, includeSys bool) int64 {
	var s int64
	for k, v := range m {
		if includeSys || !isSystemID(k) {
			s += v
		}
	}
	return s
}

func sumAll[K comparable](m map[K]int64) int64 {
	var s int64
	for _, v := range m {
		s += v
	}
	return s
}

// weighted is Σ avg[k] × count[k] over the keys of avg.
func weighted[K comparable](avg map[K]float64, count map[K]int64) float64 {
	var s float64
	for k, a := range avg {
		s += num(num(a) * float64(count[k]))
	}
	return s
}

func gsidMap[V any](m map[*stormthrift.GlobalStreamId]V) map[gsid]V {
	out := make(map[gsid]V, len(m))
	for k, v := range m {
		if k != nil {
			out[gsid{k.GetComponentId(), k.GetStreamId()}] = v
		}
	}
	return out
}

// boltWindow / spoutWindow pull one window out of an executor's stats.
type boltWindow struct {
	acked, failed, executed map[gsid]int64
	execAvg, procAvg        map[gsid]float64
}

func boltAt(st *stormthrift.ExecutorStats, w string) boltWindow {
	b := boltOf(st)
	if b == nil {
		return boltWindow{}
	}
	return boltWindow{
		acked:    gsidMap(b.GetAcked()[w]),
		failed:   gsidMap(b.GetFailed()[w]),
		executed: gsidMap(b.GetExecuted()[w]),
		execAvg:  gsidMap(b.GetExecuteMsAvg()[w]),
		procAvg:  gsidMap(b.GetProcessMsAvg()[w]),
	}
}

type spoutWindow struct {
	acked, failed map[string]int64
	complete      map[string]float64
}

func spoutAt(st *stormthrift.ExecutorStats, w string) spoutWindow {
	s := spoutOf(st)
	if s == nil {
		return spoutWindow{}
	}
	return spoutWindow{acked: s.GetAcked()[w], failed: s.GetFailed()[w], complete: s.GetCompleteMsAvg()[w]}
}

// The generated getters dereference their receiver, so nil stats are
// replaced by empty ones and the union arms are read through these.

func statsOrEmpty(st *stormthrift.ExecutorStats) *stormthrift.ExecutorStats {
	if st == nil {
		return &stormthrift.ExecutorStats{}
	}
	return st
}

func boltOf(st *stormthrift.ExecutorStats) *stormthrift.BoltStats {
	if st == nil || st.Specific == nil {
		return nil
	}
	return st.Specific.Bolt
}

func spoutOf(st *stormthrift.ExecutorStats) *stormthrift.SpoutStats {
	if st == nil || st.Specific == nil {
		return nil
	}
	return st.Specific.Spout
}

// capacity is compute-agg-capacity; nil without an uptime.
func capacity(st *stormthrift.ExecutorStats, uptime *int32) *float64 {
	if uptime == nil {
		return nil
	}
	bw := boltAt(st, tenMinutes)
	var total float64
	for k, avg := range bw.execAvg {
		total += num(avg) * float64(bw.executed[k])
	}
	c := num(total / (1000 * float64(min(int64(*uptime), 600))))
	return &c
}

// windowsOf lists the windows of a window-keyed map.
func windowsOf[V any](m map[string]V, into map[string]bool) {
	for w := range m {
		into[w] = true
	}
}

// compAgg accumulates one component on the topology page.
type compAgg struct {
	bolt                           bool
	executors, tasks               int64
	emitted, transferred           int64
	acked, failed, executed        int64
	execTotal, procTotal, complete float64
	capacity                       float64
}

// aggTopoPage is agg-topo-execs-stats.
func aggTopoPage(id string, inputs []execInput, numTasks, numExecutors int, window string, includeSys bool,
	lastError func(comp string) *stormthrift.ErrorInfo) *stormthrift.TopologyPageInfo {
	comps := map[string]*compAgg{}
	workers := map[[2]any]bool{}
	wEmitted, wTransferred, wAcked, wFailed := map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}
	wCompTotal := map[string]float64{}
	for _, in := range inputs {
		if !includeSys && isSystemID(in.comp) {
			continue
		}
		workers[[2]any{in.host, in.port}] = true
		st := statsOrEmpty(in.stats)
		for w, m := range st.GetEmitted() {
			wEmitted[w] += sumCounts(m, includeSys)
		}
		for w, m := range st.GetTransferred() {
			wTransferred[w] += sumCounts(m, includeSys)
		}
		ca := comps[in.comp]
		if ca == nil {
			ca = &compAgg{bolt: in.bolt}
			comps[in.comp] = ca
		}
		ca.executors++
		ca.tasks += int64(in.exec.End - in.exec.Start + 1)
		ca.emitted += sumCounts(st.GetEmitted()[window], includeSys)
		ca.transferred += sumCounts(st.GetTransferred()[window], includeSys)
		if in.bolt {
			bw := boltAt(st, window)
			ca.execTotal += weighted(bw.execAvg, bw.executed)
			ca.procTotal += weighted(bw.procAvg, bw.executed)
			ca.executed += sumAll(bw.executed)
			ca.acked += sumAll(bw.acked)
			ca.failed += sumAll(bw.failed)
			if c := capacity(st, in.uptime); c != nil {
				ca.capacity = max(ca.capacity, *c)
			}
			continue
		}
		sw := spoutAt(st, window)
		ca.complete += weighted(sw.complete, sw.acked)
		ca.acked += sumAll(sw.acked)
		ca.failed += sumAll(sw.failed)
		if sp := spoutOf(st); sp != nil {
			for w, acked := range sp.GetAcked() {
				wAcked[w] += sumAll(acked)
				wCompTotal[w] += weighted(sp.GetCompleteMsAvg()[w], acked)
			}
			for w, failed := range sp.GetFailed() {
				wFailed[w] += sumAll(failed)
			}
		}
	}
	wComplete := map[string]float64{}
	for w, total := range wCompTotal {
		if a := wAcked[w]; a > 0 {
			wComplete[w] = total / float64(a)
		}
	}
	spouts := map[string]*stormthrift.ComponentAggregateStats{}
	bolts := map[string]*stormthrift.ComponentAggregateStats{}
	for comp, ca := range comps {
		s := aggStats{executors: &ca.executors, tasks: &ca.tasks, emitted: &ca.emitted, transferred: &ca.transferred,
			acked: &ca.acked, failed: &ca.failed}
		if ca.bolt {
			s.executed = &ca.executed
			s.execLat, s.procLat = ptr(0.0), ptr(0.0)
			if ca.executed > 0 {
				s.execLat, s.procLat = ptr(ca.execTotal/float64(ca.executed)), ptr(ca.procTotal/float64(ca.executed))
			}
			s.capacity = ptr(ca.capacity)
		} else {
			s.complete = ptr(0.0)
			if ca.acked > 0 {
				s.complete = ptr(ca.complete / float64(ca.acked))
			}
		}
		if lastError != nil {
			s.lastError = lastError(comp)
		}
		if ca.bolt {
			bolts[comp] = s.bolt()
		} else {
			spouts[comp] = s.spout()
		}
	}
	return &stormthrift.TopologyPageInfo{
		ID:                id,
		NumTasks:          ptr(int32(numTasks)),
		NumWorkers:        ptr(int32(len(workers))),
		NumExecutors:      ptr(int32(numExecutors)),
		IDToSpoutAggStats: spouts,
		IDToBoltAggStats:  bolts,
		TopologyStats: &stormthrift.TopologyStats{
			WindowToEmitted:             wEmitted,
			WindowToTransferred:         wTransferred,
			WindowToCompleteLatenciesMs: wComplete,
			WindowToAcked:               wAcked,
			WindowToFailed:              wFailed,
		},
	}
}

// aggStats is the union of the numbers a ComponentAggregateStats can
// carry; nil fields stay unset.
type aggStats struct {
	executors, tasks, emitted, transferred, acked, failed *int64
	executed                                              *int64
	execLat, procLat, capacity, complete                  *float64
	lastError                                             *stormthrift.ErrorInfo
}

func (s aggStats) common() *stormthrift.CommonAggregateStats {
	c := &stormthrift.CommonAggregateStats{Emitted: s.emitted, Transferred: s.transferred, Acked: s.acked, Failed: s.failed}
	if s.executors != nil {
		c.NumExecutors = ptr(int32(*s.executors))
	}
	if s.tasks != nil {
		c.NumTasks = ptr(int32(*s.tasks))
	}
	return c
}

func (s aggStats) bolt() *stormthrift.ComponentAggregateStats {
	return &stormthrift.ComponentAggregateStats{
		Type:        ptr(stormthrift.ComponentType_BOLT),
		CommonStats: s.common(),
		SpecificStats: &stormthrift.SpecificAggregateStats{Bolt: &stormthrift.BoltAggregateStats{
			ExecuteLatencyMs: s.execLat, ProcessLatencyMs: s.procLat, Executed: s.executed, Capacity: s.capacity,
		}},
		LastError: s.lastError,
	}
}

func (s aggStats) spout() *stormthrift.ComponentAggregateStats {
	return &stormthrift.ComponentAggregateStats{
		Type:          ptr(stormthrift.ComponentType_SPOUT),
		CommonStats:   s.common(),
		SpecificStats: &stormthrift.SpecificAggregateStats{Spout: &stormthrift.SpoutAggregateStats{CompleteLatencyMs: s.complete}},
		LastError:     s.lastError,
	}
}

// streamAgg accumulates one input (bolt) or output stream on the
// component page.
type streamAgg struct {
	emitted, transferred, acked, failed, executed int64
	execTotal, procTotal, complete                float64
}

// winAgg accumulates one window on the component page.
type winAgg struct {
	emitted, transferred, acked, failed, executed int64
	execTotal, procTotal, complete                float64
}

// aggCompPage is agg-comp-execs-stats for component comp; inputs are the
// executors of that component (hosts, not node ids).
func aggCompPage(topoID, comp string, bolt bool, inputs []execInput, window string, includeSys bool) *stormthrift.ComponentPageInfo {
	typ := stormthrift.ComponentType_SPOUT
	if bolt {
		typ = stormthrift.ComponentType_BOLT
	}
	page := &stormthrift.ComponentPageInfo{
		ComponentID:      comp,
		ComponentType:    typ,
		TopologyID:       ptr(topoID),
		WindowToStats:    map[string]*stormthrift.ComponentAggregateStats{},
		SidToOutputStats: map[string]*stormthrift.ComponentAggregateStats{},
		ExecStats:        []*stormthrift.ExecutorAggregateStats{},
	}
	if bolt {
		page.GsidToInputStats = map[*stormthrift.GlobalStreamId]*stormthrift.ComponentAggregateStats{}
	}
	var numExec, numTasks int64
	inputsAgg := map[gsid]*streamAgg{}
	outputs := map[string]*streamAgg{}
	wins := map[string]*winAgg{}
	win := func(w string) *winAgg {
		if wins[w] == nil {
			wins[w] = &winAgg{}
		}
		return wins[w]
	}
	out := func(s string) *streamAgg {
		if outputs[s] == nil {
			outputs[s] = &streamAgg{}
		}
		return outputs[s]
	}
	for _, in := range inputs {
		if in.comp != comp || (!includeSys && isSystemID(in.comp)) {
			continue
		}
		st := statsOrEmpty(in.stats)
		numExec++
		numTasks += int64(in.exec.End - in.exec.Start + 1)
		// per-window totals
		for w, m := range st.GetEmitted() {
			win(w).emitted += sumCounts(m, includeSys)
		}
		for w, m := range st.GetTransferred() {
			win(w).transferred += sumCounts(m, includeSys)
		}
		// per-stream outputs for the chosen window
		var exEmitted, exTransferred int64
		for s, v := range st.GetEmitted()[window] {
			if includeSys || !isSystemID(s) {
				out(s).emitted += v
				exEmitted += v
			}
		}
		for s, v := range st.GetTransferred()[window] {
			if includeSys || !isSystemID(s) {
				out(s).transferred += v
				exTransferred += v
			}
		}
		ex := aggStats{emitted: ptr(exEmitted), transferred: ptr(exTransferred)}
		if bolt {
			if b := boltOf(st); b != nil {
				for w, m := range b.GetExecuted() {
					g := gsidMap(m)
					wa := win(w)
					wa.executed += sumAll(g)
					wa.execTotal += weighted(gsidMap(b.GetExecuteMsAvg()[w]), g)
					wa.procTotal += weighted(gsidMap(b.GetProcessMsAvg()[w]), g)
				}
				for w, m := range b.GetAcked() {
					win(w).acked += sumAll(m)
				}
				for w, m := range b.GetFailed() {
					win(w).failed += sumAll(m)
				}
			}
			bw := boltAt(st, window)
			in2 := func(k gsid) *streamAgg {
				if inputsAgg[k] == nil {
					inputsAgg[k] = &streamAgg{}
				}
				return inputsAgg[k]
			}
			for k, v := range bw.acked {
				in2(k).acked += v
			}
			for k, v := range bw.failed {
				in2(k).failed += v
			}
			var exExec int64
			var exExecTotal, exProcTotal float64
			for k, avg := range bw.execAvg {
				a := in2(k)
				a.executed += bw.executed[k]
				a.execTotal += num(num(avg) * float64(bw.executed[k]))
				a.procTotal += num(num(bw.procAvg[k]) * float64(bw.executed[k]))
				exExec += bw.executed[k]
				exExecTotal += num(num(avg) * float64(bw.executed[k]))
				exProcTotal += num(num(bw.procAvg[k]) * float64(bw.executed[k]))
			}
			ex.acked, ex.failed, ex.executed = ptr(sumAll(bw.acked)), ptr(sumAll(bw.failed)), ptr(exExec)
			if exExec > 0 {
				ex.execLat, ex.procLat = ptr(exExecTotal/float64(exExec)), ptr(exProcTotal/float64(exExec))
			}
			ex.capacity = capacity(st, in.uptime)
		} else {
			if sp := spoutOf(st); sp != nil {
				for w, m := range sp.GetAcked() {
					wa := win(w)
					wa.acked += sumAll(m)
					wa.complete += weighted(sp.GetCompleteMsAvg()[w], m)
				}
				for w, m := range sp.GetFailed() {
					win(w).failed += sumAll(m)
				}
			}
			sw := spoutAt(st, window)
			for s, v := range sw.acked {
				out(s).acked += v
			}
			for s, v := range sw.failed {
				out(s).failed += v
			}
			for s, avg := range sw.complete {
				out(s).complete += num(num(avg) * float64(sw.acked[s]))
			}
			acked := sumAll(sw.acked)
			ex.acked, ex.failed = ptr(acked), ptr(sumAll(sw.failed))
			if acked > 0 {
				ex.complete = ptr(weighted(sw.complete, sw.acked) / float64(acked))
			}
		}
		uptime := int32(0)
		if in.uptime != nil {
			uptime = *in.uptime
		}
		summary := &stormthrift.ExecutorSummary{
			ExecutorInfo: &stormthrift.ExecutorInfo{TaskStart: in.exec.Start, TaskEnd: in.exec.End},
			ComponentID:  comp, Host: in.host, Port: int32(in.port), UptimeSecs: uptime,
		}
		agg := ex.spout()
		if bolt {
			agg = ex.bolt()
		}
		page.ExecStats = append(page.ExecStats, &stormthrift.ExecutorAggregateStats{ExecSummary: summary, Stats: agg})
	}
	slices.SortFunc(page.ExecStats, func(a, b *stormthrift.ExecutorAggregateStats) int {
		return int(a.ExecSummary.ExecutorInfo.TaskStart) - int(b.ExecSummary.ExecutorInfo.TaskStart)
	})
	if numExec > 0 {
		page.NumExecutors = ptr(int32(numExec))
		page.NumTasks = ptr(int32(numTasks))
	}
	for w, wa := range wins {
		s := aggStats{emitted: ptr(wa.emitted), transferred: ptr(wa.transferred), acked: ptr(wa.acked), failed: ptr(wa.failed)}
		if bolt {
			s.executed = ptr(wa.executed)
			if wa.executed > 0 {
				s.execLat, s.procLat = ptr(wa.execTotal/float64(wa.executed)), ptr(wa.procTotal/float64(wa.executed))
			}
			page.WindowToStats[w] = s.bolt()
		} else {
			if wa.acked > 0 {
				s.complete = ptr(wa.complete / float64(wa.acked))
			}
			page.WindowToStats[w] = s.spout()
		}
	}
	for sid, a := range outputs {
		s := aggStats{emitted: ptr(a.emitted), transferred: ptr(a.transferred)}
		if bolt {
			page.SidToOutputStats[sid] = s.bolt()
			continue
		}
		s.acked, s.failed, s.complete = ptr(a.acked), ptr(a.failed), ptr(0.0)
		if a.acked > 0 {
			s.complete = ptr(a.complete / float64(a.acked))
		}
		page.SidToOutputStats[sid] = s.spout()
	}
	for k, a := range inputsAgg {
		s := aggStats{acked: ptr(a.acked), failed: ptr(a.failed), executed: ptr(a.executed), execLat: ptr(0.0), procLat: ptr(0.0)}
		if a.executed > 0 {
			s.execLat, s.procLat = ptr(a.execTotal/float64(a.executed)), ptr(a.procTotal/float64(a.executed))
		}
		page.GsidToInputStats[&stormthrift.GlobalStreamId{ComponentId: k.comp, StreamId: k.stream}] = s.bolt()
	}
	return page
}

// javaStringHash is java.lang.String.hashCode over UTF-16 code units.
func javaStringHash(s string) int32 {
	var h int32
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			h = 31*h + int32(0xD800+(r>>10))
			h = 31*h + int32(0xDC00+(r&0x3FF))
			continue
		}
		h = 31*h + int32(r)
	}
	return h
}

// eventLoggerTask is the __eventlogger task the events of comp go to:
// TupleUtils.listHashCode([comp]) mod #tasks (Clojure mod: non-negative).
func eventLoggerTask(comp string, tasks []int32) (int32, bool) {
	if len(tasks) == 0 {
		return 0, false
	}
	h := int64(31 + javaStringHash(comp)) // Arrays.deepHashCode of a one-element array
	h32 := int64(int32(h))
	k := int64(len(tasks))
	i := ((h32 % k) + k) % k
	return tasks[i], true
}
