package nimbus

import (
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// Executor liveness (nimbus.clj update-executor-cache, alive-executors).
//
// Nimbus never compares a worker's clock with its own: a heartbeat only
// tells it that *something new* arrived (time_secs changed). It remembers
// its own clock at the last change; an executor is timed out once that is
// nimbus.task.timeout.secs old. An executor is alive if it has a start time
// and either started less than nimbus.task.launch.secs ago or is not timed
// out.

// execBeat is one executor's view of its worker's heartbeat.
type execBeat struct {
	timeSecs int32
	uptime   int32
	stats    *stormthrift.ExecutorStats
}

// beatState is the liveness cache entry of one executor.
type beatState struct {
	nimbusTime   int64 // nimbus clock (secs) when reportedTime last changed
	reportedTime int32
	timedOut     bool
	beat         *execBeat // latest heartbeat, nil if none
}

// updateBeat is update-executor-cache.
func updateBeat(cur *beatState, hb *execBeat, now, timeoutSecs int64) *beatState {
	var reported int32
	switch {
	case hb != nil:
		reported = hb.timeSecs
	case cur != nil:
		reported = cur.reportedTime
	}
	nimbusTime := now
	if cur != nil && cur.reportedTime == reported {
		nimbusTime = cur.nimbusTime
	}
	next := &beatState{
		nimbusTime:   nimbusTime,
		reportedTime: reported,
		timedOut:     now-nimbusTime >= timeoutSecs,
		beat:         hb,
	}
	if hb == nil && cur != nil {
		next.beat = cur.beat
	}
	return next
}

// updateBeats refreshes the cache of one topology for its executors,
// dropping executors it no longer has (update-heartbeat-cache).
func updateBeats(cache map[topology.ExecutorID]*beatState, beats map[topology.ExecutorID]*execBeat,
	executors []topology.ExecutorID, now, timeoutSecs int64) map[topology.ExecutorID]*beatState {
	out := make(map[topology.ExecutorID]*beatState, len(executors))
	for _, e := range executors {
		out[e] = updateBeat(cache[e], beats[e], now, timeoutSecs)
	}
	return out
}

// aliveExecutors is alive-executors: executors with a start time that are
// still in their launch grace period or not timed out.
func aliveExecutors(executors []topology.ExecutorID, startTimes map[topology.ExecutorID]int64,
	cache map[topology.ExecutorID]*beatState, now, launchSecs int64) map[topology.ExecutorID]bool {
	alive := make(map[topology.ExecutorID]bool, len(executors))
	for _, e := range executors {
		start, ok := startTimes[e]
		if !ok {
			continue
		}
		timedOut := false
		if b := cache[e]; b != nil {
			timedOut = b.timedOut
		}
		if now-start < launchSecs || !timedOut {
			alive[e] = true
		}
	}
	return alive
}

// executorBeats maps each executor of a worker heartbeat that the worker
// is assigned to its beat (convert-executor-beats).
func executorBeats(hb *stormthrift.ClusterWorkerHeartbeat, assigned []topology.ExecutorID, into map[topology.ExecutorID]*execBeat) {
	if hb == nil {
		return
	}
	want := make(map[topology.ExecutorID]bool, len(assigned))
	for _, e := range assigned {
		want[e] = true
	}
	for info, st := range hb.GetExecutorStats() {
		if info == nil {
			continue
		}
		e := topology.ExecutorID{Start: info.GetTaskStart(), End: info.GetTaskEnd()}
		if want[e] {
			into[e] = &execBeat{timeSecs: hb.GetTimeSecs(), uptime: hb.GetUptimeSecs(), stats: usableStats(st)}
		}
	}
}

// usableStats returns st if Nimbus can send it back to clients (the
// required fields of ExecutorStats set, exactly one union arm), else nil:
// a malformed heartbeat must not break getTopologyInfo.
func usableStats(st *stormthrift.ExecutorStats) *stormthrift.ExecutorStats {
	if st == nil || st.Specific == nil || (st.Specific.Bolt == nil) == (st.Specific.Spout == nil) {
		return nil
	}
	if st.Emitted == nil || st.Transferred == nil {
		c := *st
		if c.Emitted == nil {
			c.Emitted = map[string]map[string]int64{}
		}
		if c.Transferred == nil {
			c.Transferred = map[string]map[string]int64{}
		}
		return &c
	}
	return st
}
