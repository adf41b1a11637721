package worker

import (
	"fmt"

	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/topology"
	"github.com/galeproject/gale/worker/acker"
	"github.com/galeproject/gale/worker/stats"
	"github.com/galeproject/gale/worker/tuple"
)

// A bolt executor (user bolts, the acker, the event logger) takes a batch from its inbox,
// executes it, and flushes its emits, waiting when a consumer's queue is full. While it waits it
// takes no new input: that is the backpressure, and it reaches the spouts, which stop emitting.
// Waiting never deadlocks: along data edges the topology is a DAG (edges inside a cycle never
// wait, see cycles.go), the acker waits only on spouts, and spouts never wait.

// maxStarted bounds the inputs whose start time is kept for the process latency of late acks.
const maxStarted = 1 << 14

// runBolt is the loop of bolt-like executors.
func (x *executor) runBolt() error {
	if !x.waitActive() {
		return nil
	}
	for _, t := range x.tasks {
		switch x.comp.kind {
		case kindBolt:
			if err := t.bolt.Prepare(x.conf, t.ctx, &boltCollector{t}); err != nil {
				return fmt.Errorf("prepare bolt %s task %d: %w", x.comp.id, t.id, err)
			}
			t.opened = true
		case kindAcker:
			t.acker = acker.New(acker.Options{})
		}
		x.sendSystem(t, topology.SystemStreamID, []any{"startup"})
	}
	x.log.Info("prepared bolt", "tasks", len(x.tasks))
	if err := x.flushWait(); err != nil {
		return nil
	}
	tick, freq := x.tickTicker()
	defer tick.Stop()
	for {
		select {
		case <-x.w.stop:
			return nil
		case <-tick.C():
			x.updateNow()
			x.boltTick(freq)
		case f := <-x.calls:
			x.updateNow()
			f()
		case <-x.inbox.Notify():
			for {
				var left int
				x.inBuf, left = x.inbox.Take(x.inBuf[:0], takeBatch)
				x.updateNow()
				for i, env := range x.inBuf {
					x.boltInput(env)
					x.inBuf[i] = envelope{}
					if x.out.n >= flushEvery {
						if err := x.flushWait(); err != nil {
							return nil
						}
					}
				}
				if err := x.flushWait(); err != nil {
					return nil
				}
				x.maybeFlushStats()
				if left == 0 {
					break
				}
				select { // stay responsive to stop and ticks under a steady stream of input
				case <-x.w.stop:
					return nil
				case <-tick.C():
					x.updateNow()
					x.boltTick(freq)
				default:
				}
			}
		}
		if err := x.flushWait(); err != nil {
			return nil
		}
		x.flushStats()
	}
}

// boltTick handles a tick: ackers rotate their pending trees; user bolts execute a __tick tuple
// (source __system, task -1), once per task.
func (x *executor) boltTick(freq int64) {
	for _, t := range x.tasks {
		switch x.comp.kind {
		case kindAcker:
			t.acker.Tick()
		case kindBolt:
			tp := &tuple.Tuple{
				SourceTask:      topology.SystemTaskID,
				SourceComponent: topology.SystemComponentID,
				Stream:          topology.SystemTickStreamID,
				Values:          tuple.Values{freq},
				Fields:          x.w.topo.streamFields[topology.SystemComponentID][topology.SystemTickStreamID],
			}
			x.boltInput(envelope{task: t.id, tuple: tp})
		}
	}
}

func (x *executor) boltInput(env envelope) {
	t := x.taskOf(env.task)
	if t == nil {
		return
	}
	tp := env.tuple
	switch tp.Stream {
	case topology.CredentialsChangedStreamID, topology.MetricsTickStreamID:
		return // no credentials listeners or metrics in Go components
	}
	switch x.comp.kind {
	case kindAcker:
		x.ackerInput(t, tp)
	case kindEventLogger:
		x.log.Debug("event", "values", tp.Values)
		id := stats.StreamID{Component: tp.SourceComponent, Stream: tp.Stream}
		x.rec.BoltExecuted(id, 0, x.now)
		x.rec.BoltAcked(id, 0, x.now)
	case kindBolt:
		// Latencies are measured on one input in sampleEvery, as Storm samples them; the clock
		// is read only for those.
		sampled := x.sample()
		lat := int64(-1)
		var start int64
		if sampled {
			start = x.updateNow()
		}
		x.cur, x.curAcked, x.curFailed = tp, false, false
		t.bolt.Execute(tp)
		if sampled {
			lat = x.updateNow() - start
		}
		id := stats.StreamID{Component: tp.SourceComponent, Stream: tp.Stream}
		x.rec.BoltExecuted(id, lat, x.now)
		switch {
		case x.curAcked: // acked inside Execute: process latency = execute latency
			x.rec.BoltAcked(id, lat, x.now)
		case x.curFailed:
		case sampled:
			if len(x.started) >= maxStarted { // inputs never acked: forget them rather than hold them
				clear(x.started)
			}
			x.started[tp] = start
		}
		x.cur = nil
	}
}

// ackerInput feeds one tuple to the task's acker and sends what it decides to the spouts.
func (x *executor) ackerInput(t *task, tp *tuple.Tuple) {
	kind, ok := acker.KindOf(tp.Stream)
	if !ok {
		return
	}
	in := acker.Input{Kind: kind}
	in.Root, _ = tp.Int64(0)
	if kind == acker.Init || kind == acker.Ack {
		in.Val, _ = tp.Int64(1)
	}
	if kind == acker.Init {
		st, _ := tp.Int64(2)
		in.SpoutTask = int32(st)
	}
	t.acker.Step(in)
	for _, o := range t.acker.TakeOutbox(x.ackOut[:0]) {
		x.sendDirectSystem(t, o.Kind.Stream(), []any{o.Root}, o.SpoutTask)
	}
	id := stats.StreamID{Component: tp.SourceComponent, Stream: tp.Stream}
	x.rec.BoltExecuted(id, 0, x.now)
	x.rec.BoltAcked(id, 0, x.now)
}

// sendDirectSystem emits an unanchored tuple directly to task on a system stream.
func (x *executor) sendDirectSystem(t *task, stream string, values []any, to int32) {
	saved := x.dst
	x.dst = x.sysDst[:0]
	r, dst, err := x.choose(t.id, stream, values, to, true)
	x.sysDst = x.dst
	x.dst = saved
	if err != nil {
		x.reportError(err)
		return
	}
	x.send(r, dst[0], t.id, values, nil)
	x.rec.Emitted(stream, x.now)
	x.rec.Transferred(stream, 1, x.now)
}

// boltEmit is OutputCollector.Emit/EmitDirect (executor.clj bolt-emit): every target gets its own
// edge id per anchor; the anchor's ack value and the new tuple's id for each of the anchor's roots
// are XORed with it.
func (x *executor) boltEmit(t *task, stream string, values []any, anchors []*tuple.Tuple, directTask int32, direct bool) []int32 {
	r, dst, err := x.choose(t.id, stream, values, directTask, direct)
	if err != nil {
		x.reportError(err)
		for _, a := range anchors { // the emit is lost: fail its trees so that the spouts replay
			x.boltFailTrees(t, a)
		}
		return nil
	}
	for _, d := range dst {
		var id tuple.MessageID
		for _, a := range anchors {
			if a == nil || len(a.ID) == 0 {
				continue
			}
			e := x.newID()
			a.AckVal ^= e
			for _, an := range a.ID {
				id.XOR(an.Root, e)
			}
		}
		x.send(r, d, t.id, values, id)
	}
	x.rec.Emitted(stream, x.now)
	x.rec.Transferred(stream, len(dst), x.now)
	return dst
}

// boltAck is OutputCollector.Ack: for each tree of the input, __ack_ack [root, edge ^ ackVal]
// (the input's edge and every edge anchored on it). Stats of an input acked inside its Execute are
// recorded when Execute returns (process latency = execute latency, no clock read here).
func (x *executor) boltAck(t *task, tp *tuple.Tuple) {
	if tp == nil {
		return
	}
	for _, a := range tp.ID {
		x.sendSystem(t, acker.AckStream, []any{a.Root, a.Edge ^ tp.AckVal})
	}
	if tp == x.cur {
		x.curAcked = true
		return
	}
	lat := int64(-1) // not sampled
	if len(x.started) > 0 {
		if s, ok := x.started[tp]; ok {
			delete(x.started, tp)
			lat = x.now - s
		}
	}
	x.rec.BoltAcked(stats.StreamID{Component: tp.SourceComponent, Stream: tp.Stream}, lat, x.now)
}

// boltFail is OutputCollector.Fail: __ack_fail [root] for each tree of the input.
func (x *executor) boltFail(t *task, tp *tuple.Tuple) {
	if tp == nil {
		return
	}
	x.boltFailTrees(t, tp)
	if tp == x.cur {
		x.curFailed = true
	} else if len(x.started) > 0 {
		delete(x.started, tp)
	}
	x.rec.BoltFailed(stats.StreamID{Component: tp.SourceComponent, Stream: tp.Stream}, x.now)
}

func (x *executor) boltFailTrees(t *task, tp *tuple.Tuple) {
	if tp == nil {
		return
	}
	for _, a := range tp.ID {
		x.sendSystem(t, acker.FailStream, []any{a.Root})
	}
}

// boltCollector is a bolt task's OutputCollector.
type boltCollector struct{ t *task }

func (c *boltCollector) Emit(values storm.Values, anchors ...*storm.Tuple) []int32 {
	return c.t.x.boltEmit(c.t, tuple.DefaultStream, values, anchors, 0, false)
}

func (c *boltCollector) EmitStream(stream string, values storm.Values, anchors ...*storm.Tuple) []int32 {
	return c.t.x.boltEmit(c.t, stream, values, anchors, 0, false)
}

func (c *boltCollector) EmitDirect(task int32, stream string, values storm.Values, anchors ...*storm.Tuple) {
	c.t.x.boltEmit(c.t, stream, values, anchors, task, true)
}

func (c *boltCollector) Ack(t *storm.Tuple)  { c.t.x.boltAck(c.t, t) }
func (c *boltCollector) Fail(t *storm.Tuple) { c.t.x.boltFail(c.t, t) }

func (c *boltCollector) ResetTimeout(t *storm.Tuple) {
	if t == nil {
		return
	}
	for _, a := range t.ID {
		c.t.x.sendSystem(c.t, acker.ResetTimeoutStream, []any{a.Root})
	}
}

func (c *boltCollector) ReportError(err error) { c.t.x.reportError(err) }

// runSystem is the __system executor [-1 -1]: in Storm it hosts the worker's metrics; here it
// announces itself and idles until the worker stops.
func (x *executor) runSystem() error {
	if !x.waitActive() {
		return nil
	}
	for _, t := range x.tasks {
		x.sendSystem(t, topology.SystemStreamID, []any{"startup"})
	}
	if err := x.flushWait(); err != nil {
		return nil
	}
	<-x.w.stop
	return nil
}
