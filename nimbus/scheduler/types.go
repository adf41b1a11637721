package scheduler

import (
	"fmt"
	"time"

	"github.com/galeproject/gale/topology"
)

// Slot is a worker slot: a supervisor (node id) and one of its ports.
type Slot struct {
	Node string
	Port int
}

func (s Slot) String() string { return fmt.Sprintf("%s:%d", s.Node, s.Port) }

// compare orders slots by node, then port.
func (s Slot) compare(o Slot) int {
	switch {
	case s.Node < o.Node:
		return -1
	case s.Node > o.Node:
		return 1
	}
	return s.Port - o.Port
}

// Supervisor is a live supervisor as nimbus reads it from /supervisors.
type Supervisor struct {
	ID   string // supervisor id (the assignment's node)
	Host string // SupervisorInfo.hostname
	// Ports are the slots it offers (SupervisorInfo.meta). Order does not
	// matter; duplicates are ignored.
	Ports []int
}

// Topology is an active topology to schedule.
type Topology struct {
	ID         string
	NumWorkers int // StormBase.num_workers
	// Executors are all of the topology's executors now
	// (topology.ExecutorComponents over StormBase.component_executors).
	Executors []topology.ExecutorID
	// Existing is the current assignment's executor → slot map. Nil means
	// the topology has no assignment (new, or being rebalanced: nimbus
	// drops the rebalanced topology's assignment so its slots are free);
	// non-nil, even empty, means /assignments/<id> exists. Entries for
	// executors not in Executors are ignored.
	Existing map[topology.ExecutorID]Slot
	// Alive marks the executors of Existing that nimbus considers alive
	// (recent heartbeat or still within nimbus.task.launch.secs). Executors
	// of Existing that are not alive are dead: they lose their slot, and
	// their slots are withheld from scheduling for this round.
	Alive map[topology.ExecutorID]bool
}

// Snapshot is the read-only cluster view one scheduling round works on.
// The scheduler never modifies it.
type Snapshot struct {
	// Now is the time of the round. Schedule does not read it (liveness is
	// already decided in Topology.Alive); BuildAssignment stamps start times
	// with it.
	Now         time.Time
	Supervisors []Supervisor
	Topologies  []Topology
}

// Plan is the result of a round: the executor → slot map of every topology
// that has an assignment afterwards. A topology that had one (Existing
// non-nil) always appears, possibly with an empty map when none of its
// executors could stay or be placed; a topology without one appears only
// if it got slots. The caller owns the maps.
type Plan struct {
	Assignments map[string]map[topology.ExecutorID]Slot
}
