package bench

import (
	"context"
	"errors"
	"time"
)

// Topologies are the benchmark topologies, each written twice (perf/java and perf/gale) with
// the same shape:
//
//	noop         spout(constant) -shuffle-> noop                          (1 + 1 executors)
//	identity     spout(constant) -local-or-shuffle-> identity(2) -local-or-shuffle-> noop(2)
//	wordcount    spout(sentence) -shuffle-> split(2) -fields(word)-> count(2)
//	multilang    spout(constant) -shuffle-> relay (Node.js, storm.js) -shuffle-> noop
//	multilang-py spout(constant) -shuffle-> relay (Python 2, storm.py) -shuffle-> noop
var Topologies = []string{"noop", "identity", "wordcount", "multilang", "multilang-py"}

// Spec is one deployment of a topology.
type Spec struct {
	Name       string         // unique topology name
	Topology   string         // one of Topologies
	Workers    int            // topology.workers
	Conf       map[string]any // the full topology configuration (topology.* and perf.* keys)
	ConfFile   string         // Conf as a JSON file, for command-line submitters
	MetricsDir string         // perf.metrics.dir
	Dir        string         // a directory for the run's own files (logs, a LocalCluster)
}

// Role is what a process is to a deployment.
type Role int

const (
	RoleOther    Role = iota // a daemon, or anything not part of one worker
	RoleWorker               // a worker process (executors run in it)
	RoleLauncher             // started by the supervisor only to start a worker (Storm's LogWriter)
)

func (r Role) String() string {
	switch r {
	case RoleWorker:
		return "worker"
	case RoleLauncher:
		return "launcher"
	}
	return "other"
}

// Runner deploys one system in one way. Methods are called from one goroutine.
type Runner interface {
	// Name identifies the runner in results: storm-cluster, storm-local, gale-dev, gale-cluster.
	Name() string
	// System is "storm" or "gale".
	System() string
	// Available returns nil if the runner can run here; otherwise why not (the table shows it).
	Available(ctx context.Context) error
	// Start brings up what lives across runs (daemons); Deploy may be called afterwards.
	Start(ctx context.Context) error
	// Deploy submits spec's topology and returns once it is submitted.
	Deploy(ctx context.Context, spec Spec) (Deployment, error)
	// Classify tells the sampler what a process of the deployment is, from its command line.
	Classify(cmdline []string) Role
	// Stop ends everything Start and Deploy started.
	Stop()
}

// Deployment is one submitted topology.
type Deployment interface {
	// SubmitTime is the wall time just before the submit call (StormSubmitter.submitTopology
	// or its Go equivalent).
	SubmitTime() time.Time
	// Roots are pids whose process trees make up the deployment now (daemons, or one JVM).
	Roots() []int
	// Kill removes the topology and returns when its workers are gone.
	Kill(ctx context.Context) error
}

// ErrPending marks a runner whose system does not exist yet.
var ErrPending = errors.New("not yet measured (runtime pending)")
