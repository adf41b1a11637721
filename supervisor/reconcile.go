package supervisor

import (
	"slices"
	"time"
)

// Executor is a range of task ids run by one executor thread, [Start, End].
// The system executor of every worker is [-1, -1].
type Executor struct{ Start, End int32 }

// systemExecutor is the executor every worker runs besides its assigned ones.
var systemExecutor = Executor{-1, -1}

// SlotAssignment is what Nimbus assigned to one port of this supervisor.
type SlotAssignment struct {
	TopologyID string
	Executors  []Executor
	Resources  *Resources // nil if Nimbus wrote none for the slot
}

// Heartbeat is a worker's local heartbeat (Storm's LSWorkerHeartbeat).
type Heartbeat struct {
	Time       time.Time
	TopologyID string
	Executors  []Executor
	Port       int
}

// WorkerRecord is what the supervisor knows of one local worker directory.
type WorkerRecord struct {
	ID string
	// Port is the slot the supervisor approved this worker for; 0 if the
	// worker is not approved (unknown to this supervisor's local state).
	Port int
	// Heartbeat is the newest local heartbeat, nil if the worker never wrote one.
	Heartbeat *Heartbeat
	// LaunchedAt is when this supervisor launched the worker; zero for a
	// worker it adopted from an earlier run.
	LaunchedAt time.Time
	// Assignment is what the worker was launched for; nil if unknown (an
	// adopted worker). A starting worker whose assignment changed is
	// disallowed without waiting for its first heartbeat.
	Assignment *SlotAssignment
	// Exited reports that the worker's process is known to have ended.
	Exited bool
}

// WorkerState classifies a local worker as Storm's supervisor does
// (read-allocated-workers), plus Starting: Gale does not block waiting for a
// new worker's first heartbeat, so a worker inside its start timeout is kept.
type WorkerState int

const (
	Valid WorkerState = iota
	Starting
	NotStarted
	Disallowed
	TimedOut
)

func (s WorkerState) String() string {
	return [...]string{"valid", "starting", "not-started", "disallowed", "timed-out"}[s]
}

// Timeouts are the supervisor's liveness limits.
type Timeouts struct {
	Start  time.Duration // supervisor.worker.start.timeout.secs
	Worker time.Duration // supervisor.worker.timeout.secs
}

// Classify returns the state of w given this supervisor's assignments by port.
func Classify(w WorkerRecord, assigned map[int]SlotAssignment, now time.Time, t Timeouts) WorkerState {
	switch {
	case w.Heartbeat == nil:
		if w.Port != 0 && !w.Exited && !w.LaunchedAt.IsZero() && now.Sub(w.LaunchedAt) < t.Start {
			if a, ok := assigned[w.Port]; ok && (w.Assignment == nil ||
				(w.Assignment.TopologyID == a.TopologyID && sameExecutors(w.Assignment.Executors, a.Executors))) {
				return Starting
			}
			return Disallowed
		}
		return NotStarted
	case w.Port == 0 || w.Heartbeat.Port != w.Port || !matches(w.Heartbeat, assigned):
		// Unapproved, approved for another port than it runs on, or not
		// running what its port is assigned.
		return Disallowed
	case w.Exited || now.Sub(w.Heartbeat.Time) > t.Worker:
		return TimedOut
	}
	return Valid
}

// matches reports whether hb's topology and executors (ignoring the system
// executor) are exactly the assignment of its port.
func matches(hb *Heartbeat, assigned map[int]SlotAssignment) bool {
	a, ok := assigned[hb.Port]
	if !ok || a.TopologyID != hb.TopologyID {
		return false
	}
	return sameExecutors(hb.Executors, a.Executors)
}

func sameExecutors(a, b []Executor) bool {
	norm := func(in []Executor) []Executor {
		out := make([]Executor, 0, len(in))
		for _, e := range in {
			if e != systemExecutor {
				out = append(out, e)
			}
		}
		slices.SortFunc(out, compareExecutors)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}

// Plan is the outcome of one reconciliation: which workers to kill and
// which ports need a new worker. The caller performs it.
type Plan struct {
	Kill   []string // worker ids, sorted
	Keep   []string // worker ids that stay, sorted
	Launch []int    // ports that need a new worker, sorted
	States map[string]WorkerState
}

// Reconcile is the supervisor's pure sync-processes step: given the
// assignments by port and the local workers, it decides kills and launches.
// A port is served by at most one kept worker; extra workers on a port are
// killed.
func Reconcile(assigned map[int]SlotAssignment, workers []WorkerRecord, now time.Time, t Timeouts) Plan {
	p := Plan{States: make(map[string]WorkerState, len(workers))}
	served := make(map[int]bool, len(assigned))
	ws := slices.Clone(workers)
	slices.SortFunc(ws, func(a, b WorkerRecord) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	for _, w := range ws {
		st := Classify(w, assigned, now, t)
		p.States[w.ID] = st
		if (st == Valid || st == Starting) && !served[w.Port] {
			served[w.Port] = true
			p.Keep = append(p.Keep, w.ID)
			continue
		}
		p.Kill = append(p.Kill, w.ID)
	}
	for port := range assigned {
		if !served[port] {
			p.Launch = append(p.Launch, port)
		}
	}
	slices.Sort(p.Launch)
	return p
}
