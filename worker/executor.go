package worker

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/topology"
	"github.com/galeproject/gale/worker/acker"
	"github.com/galeproject/gale/worker/pending"
	"github.com/galeproject/gale/worker/stats"
	"github.com/galeproject/gale/worker/tuple"
)

// envelope is a tuple on its way to one task of the receiving executor.
type envelope struct {
	task  int32
	tuple *tuple.Tuple
}

// Batch sizes of the executor loop.
const (
	takeBatch  = 256  // inbox items processed between two flushes
	flushEvery = 1024 // pending outbound items that force a flush in the middle of a batch
)

// task is one task of an executor: the component instance and its context.
type task struct {
	id     int32
	x      *executor
	ctx    *storm.TopologyContext
	spout  storm.Spout
	bolt   storm.Bolt
	acker  *acker.Acker
	opened bool
}

// executor runs the tasks of one executor on one goroutine (its run method): every method that
// is not marked otherwise is called only from that goroutine, including the collectors' methods,
// which user components call from inside NextTuple, Execute, Ack and Fail.
type executor struct {
	w     *worker
	id    topology.ExecutorID
	idx   int // position in worker.execs
	comp  *compInfo
	conf  conf.Conf
	tasks []*task
	inbox *queue[envelope] // safe for concurrent use
	calls chan func()      // work posted by other goroutines (multilang bolts), run by run
	stats *stats.Executor  // safe for concurrent use (rendered by the heartbeat)
	rec   *stats.Recorder  // the executor's events on their way to stats (see flushStats)
	// statsAt is x.now at the last flushStats.
	statsAt int64
	// sampleEvery and sampled: bolts measure the latency of one input in sampleEvery
	// (topology.stats.sample.rate, as Storm does); counts stay exact.
	sampleEvery, sampled int64
	debugOn              bool // topology.debug
	log                  *slog.Logger
	rng                  *rand.Rand

	routes    map[string]*route
	routeList []*route         // the values of routes
	codec     *tuple.GaleCodec // concrete: an interface call would move every encoded tuple to the heap
	out       outbox
	dst       []int32 // target tasks of the last emit, handed to the component
	sysDst    []int32 // target tasks of system emits (acker messages), kept apart from dst
	inBuf     []envelope
	errs      errorThrottle

	// spout state
	pending  *pending.Tracker
	results  []pending.Result
	deferred []deferredOutcome
	emitted  int64

	now int64 // see updateNow

	// bolt state: process latency of inputs (see boltAck)
	cur       *tuple.Tuple // the input being executed
	curAcked  bool
	curFailed bool
	started   map[*tuple.Tuple]int64 // inputs executed but not yet acked: execute start
	ackOut    []acker.Output
}

// deferredOutcome is a spout Ack or Fail decided inside a callback, delivered after it returns.
type deferredOutcome struct {
	task   *task
	msgID  any
	stream string
	ack    bool
}

// updateNow reads the clock into x.now, the time (ms) the executor stamps stats and pending trees
// with. The loops refresh it once per batch or NextTuple round, and bolts after every Execute (the
// execute latency needs it), which keeps clock reads off the per-emit path.
func (x *executor) updateNow() int64 {
	x.now = x.w.clock.Now().UnixMilli()
	return x.now
}

// flushStats hands the recorded events to the statistics the heartbeat renders. The loops call it
// when their clock moved on (maybeFlushStats) and before they block.
func (x *executor) flushStats() {
	x.rec.Flush()
	x.statsAt = x.now
}

func (x *executor) maybeFlushStats() {
	if x.now != x.statsAt {
		x.flushStats()
	}
}

// sample reports whether the current input's latency is measured: one in sampleEvery.
func (x *executor) sample() bool {
	x.sampled++
	if x.sampled >= x.sampleEvery {
		x.sampled = 0
		return true
	}
	return false
}

func (x *executor) taskOf(id int32) *task {
	i := int(id) - int(x.id.Start)
	if i < 0 || i >= len(x.tasks) {
		return nil
	}
	return x.tasks[i]
}

// newID returns a random 64-bit tuple-tree or edge id (Storm's MessageId.generateId).
func (x *executor) newID() int64 { return int64(x.rng.Uint64()) }

// run is the executor goroutine.
func (x *executor) run() {
	defer func() {
		if r := recover(); r != nil {
			x.die(fmt.Errorf("executor %s of %s panicked: %v\n%s", x.id, x.comp.id, r, debug.Stack()))
		}
		x.closeTasks()
	}()
	var err error
	switch x.comp.kind {
	case kindSpout:
		err = x.runSpout()
	case kindSystem:
		err = x.runSystem()
	default:
		err = x.runBolt()
	}
	if err != nil {
		x.die(err)
	}
}

// die reports err and shuts the worker down (Storm's report-error-and-die).
func (x *executor) die(err error) {
	x.log.Error("executor died", "err", err)
	x.w.report(x.comp.id, err.Error())
	x.w.fail(err)
}

// reportError reports a component error to the cluster, throttled per executor
// (topology.error.throttle.interval.secs, topology.max.error.report.per.interval).
func (x *executor) reportError(err error) {
	if err == nil {
		return
	}
	x.log.Warn("component error", "err", err)
	if x.errs.allow(x.w.clock.Now()) {
		x.w.report(x.comp.id, err.Error())
	}
}

func (x *executor) closeTasks() {
	for _, t := range x.tasks {
		if !t.opened {
			continue
		}
		t.opened = false
		func() {
			defer func() {
				if r := recover(); r != nil {
					x.log.Warn("close panicked", "task", t.id, "panic", r)
				}
			}()
			switch {
			case t.spout != nil:
				t.spout.Close()
			case t.bolt != nil:
				t.bolt.Cleanup()
			}
		}()
	}
}

// waitActive blocks until the topology is first active (Storm opens spouts and prepares bolts
// only then). It returns false when the worker stops first.
func (x *executor) waitActive() bool {
	for {
		ch := x.w.active.Changed()
		if x.w.active.Get() {
			return true
		}
		select {
		case <-ch:
		case <-x.w.stop:
			return false
		}
	}
}

// tickTicker returns the ticker of the executor's tick tuples: topology.tick.tuple.freq.secs of its
// conf (spouts: the message timeout, set by the system topology; ackers likewise). Storm skips
// system components; Gale ticks the acker so that it forgets trees of dead spouts (see package
// acker), and spouts with topology.enable.message.timeouts false get none.
func (x *executor) tickTicker() (Ticker, int64) {
	freq, ok := x.conf.Int(conf.TopologyTickTupleFreqSecs)
	if !ok || freq <= 0 {
		return nilTicker{}, 0
	}
	switch x.comp.kind {
	case kindSystem, kindEventLogger:
		return nilTicker{}, 0
	case kindSpout:
		if !x.conf.BoolOr(conf.TopologyEnableMessageTimeouts, true) {
			return nilTicker{}, 0
		}
	}
	return x.w.clock.NewTicker(secs(freq)), freq
}

// errStopping is returned by a shell bolt collector's Post once the worker stops.
var errStopping = errors.New("worker: stopping")

// errorThrottle limits reported errors to max per interval (executor.clj throttled-report-error-fn).
type errorThrottle struct {
	interval time.Duration
	max      int64
	start    time.Time
	count    int64
}

func (e *errorThrottle) allow(now time.Time) bool {
	if e.start.IsZero() || now.Sub(e.start) > e.interval {
		e.start, e.count = now, 0
	}
	e.count++
	return e.count <= e.max
}
