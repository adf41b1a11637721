package worker

import (
	"fmt"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/worker/acker"
	"github.com/galeproject/gale/worker/pending"
	"github.com/galeproject/gale/worker/tuple"
)

// The spout executor never blocks on its consumers. Emits collect in the outbox; when a consumer
// queue is full the executor stops calling NextTuple and waits for room while it keeps draining
// its own inbox (acks, fails, timeouts). That is how spouts throttle, and why the cycle
// spout → bolt → acker → spout cannot deadlock: its one non-waiting member is the spout.
//
// NextTuple is called only when the topology is active, the outbox is empty, the pending window
// (topology.max.spout.pending) has room and no worker of the topology reports congestion.

// spoutRounds bounds the NextTuple rounds between two flushes of a spout executor.
const spoutRounds = 64

// runSpout is the spout executor loop.
func (x *executor) runSpout() error {
	if !x.waitActive() {
		return nil
	}
	for _, t := range x.tasks {
		if err := t.spout.Open(x.conf, t.ctx, &spoutCollector{t}); err != nil {
			return fmt.Errorf("open spout %s task %d: %w", x.comp.id, t.id, err)
		}
		t.opened = true
	}
	x.log.Info("opened spout", "tasks", len(x.tasks))
	tick, _ := x.tickTicker()
	defer tick.Stop()
	idle := time.NewTimer(time.Hour)
	idle.Stop()
	defer idle.Stop()
	sleep := time.Duration(x.conf.IntOr(conf.TopologySleepSpoutWaitStrategyTimeMs, 1)) * time.Millisecond
	if sleep <= 0 {
		sleep = time.Millisecond
	}

	wasActive := false
	for {
		activeCh, throttleCh := x.w.active.Changed(), x.w.throttle.Changed()
		x.updateNow()
		select {
		case <-x.w.stop:
			return nil
		case <-tick.C():
			x.pending.Tick(x.updateNow())
		default:
		}
		x.drainSpoutInbox()
		x.finishTrees()
		x.maybeFlushStats()

		active := x.w.active.Get()
		if active != wasActive {
			wasActive = active
			x.setActive(active)
		}
		flushed, space := x.flushTry()
		throttled := x.w.throttle.Get()
		idleWait := false
		if active && flushed && !throttled && !x.pending.Full() {
			before := x.emitted
			// With topology.max.spout.pending set, a spout that emits is asked again, up to
			// spoutRounds times, before its emits are flushed and its inbox drained: a burst leaves
			// as one batch (one hand-off, one write to a peer) rather than one per tuple, as
			// Storm's executor send queue batches (topology.disruptor.batch.size). The pending
			// window bounds what a burst can put in flight; without one, bursts could flood a
			// slow consumer in another worker past its inbox bound before /backpressure
			// throttles the spout, so the spout is asked once per flush.
			rounds := 1
			if x.pending.Bounded() {
				rounds = spoutRounds
			}
			for round := 0; round < rounds; round++ {
				mark := x.emitted
				for _, t := range x.tasks {
					t.spout.NextTuple()
				}
				x.finishTrees()
				if x.emitted == mark || x.pending.Full() || x.out.n >= flushEvery || x.w.throttle.Get() {
					break
				}
			}
			if x.emitted != before {
				continue // busy: keep emitting, checking the inbox between bursts
			}
			idleWait = true // nothing to emit: Storm's SleepSpoutWaitStrategy
		}

		x.flushStats()
		var idleC <-chan time.Time
		if idleWait {
			idle.Reset(sleep)
			idleC = idle.C
		}
		if !throttled {
			throttleCh = nil
		}
		select {
		case <-x.w.stop:
			return nil
		case <-x.inbox.Notify():
		case <-space:
		case <-tick.C():
			x.pending.Tick(x.updateNow())
		case <-activeCh:
		case <-throttleCh:
		case <-idleC:
		}
		if idleWait && !idle.Stop() {
			select {
			case <-idle.C:
			default:
			}
		}
	}
}

func (x *executor) setActive(on bool) {
	if on {
		x.log.Info("activating spout")
	} else {
		x.log.Info("deactivating spout")
	}
	for _, t := range x.tasks {
		if on {
			t.spout.Activate()
		} else {
			t.spout.Deactivate()
		}
	}
}

// drainSpoutInbox applies the acker's messages (and ignores anything else a spout may receive).
func (x *executor) drainSpoutInbox() {
	for {
		var left int
		x.inBuf, left = x.inbox.Take(x.inBuf[:0], takeBatch)
		for i, env := range x.inBuf {
			x.spoutInput(env, x.now)
			x.inBuf[i] = envelope{}
		}
		if left == 0 {
			return
		}
	}
}

func (x *executor) spoutInput(env envelope, now int64) {
	tp := env.tuple
	kind, ok := acker.KindOf(tp.Stream)
	if !ok || tp.SourceComponent != acker.ComponentID {
		return
	}
	root, ok := tp.Int64(0)
	if !ok {
		return
	}
	var err error
	switch kind {
	case acker.Ack:
		_, err = x.pending.Ack(root, env.task, now)
	case acker.Fail:
		_, err = x.pending.Fail(root, env.task, now)
	case acker.ResetTimeout:
		x.pending.ResetTimeout(root)
	}
	if err != nil {
		x.reportError(err)
	}
}

// finishTrees calls the spouts' Ack and Fail for trees that completed, failed or timed out, and
// for outcomes decided during a callback (emits without ackers, rejected emits).
func (x *executor) finishTrees() {
	for {
		x.results = x.pending.TakeOutbox(x.results[:0])
		if len(x.results) == 0 && len(x.deferred) == 0 {
			return
		}
		now := x.now
		for i, r := range x.results {
			t := x.taskOf(r.Task)
			x.results[i] = pending.Result{}
			if t == nil {
				continue
			}
			if r.Reason == pending.Acked {
				x.rec.SpoutAcked(r.Stream, r.LatencyMs, now)
				t.spout.Ack(r.MsgID)
			} else {
				if x.debug() {
					x.log.Info("spout fail", "task", t.id, "msgid", r.MsgID, "reason", r.Reason.String(), "values", r.Values)
				}
				x.rec.SpoutFailed(r.Stream, now)
				t.spout.Fail(r.MsgID)
			}
		}
		d := x.deferred
		x.deferred = nil
		for i, o := range d {
			d[i] = deferredOutcome{}
			if o.ack {
				x.rec.SpoutAcked(o.stream, 0, now)
				o.task.spout.Ack(o.msgID)
			} else {
				x.rec.SpoutFailed(o.stream, now)
				o.task.spout.Fail(o.msgID)
			}
		}
		if x.deferred == nil {
			x.deferred = d[:0]
		}
	}
}

func (x *executor) debug() bool { return x.debugOn }

// spoutEmit is SpoutOutputCollector.Emit/EmitDirect (executor.clj send-spout-msg).
func (x *executor) spoutEmit(t *task, stream string, values []any, msgID any, directTask int32, direct bool) []int32 {
	r, dst, err := x.choose(t.id, stream, values, directTask, direct)
	if err != nil {
		x.reportError(err)
		if msgID != nil {
			x.deferred = append(x.deferred, deferredOutcome{task: t, msgID: msgID, stream: stream})
		}
		return nil
	}
	x.emitted++
	now := x.now
	if msgID != nil && x.w.topo.hasAckers && len(dst) > 0 {
		root := x.newID()
		var xor int64
		for _, d := range dst {
			e := x.newID()
			xor ^= e
			x.send(r, d, t.id, values, tuple.MessageID{{Root: root, Edge: e}})
		}
		var kept []any
		if x.debug() {
			kept = values
		}
		x.pending.Add(root, pending.Entry{Task: t.id, MsgID: msgID, Stream: stream, Values: kept, StartMs: now})
		x.sendSystem(t, acker.InitStream, []any{root, xor, t.id})
	} else {
		for _, d := range dst {
			x.send(r, d, t.id, values, nil)
		}
		if msgID != nil {
			x.deferred = append(x.deferred, deferredOutcome{task: t, msgID: msgID, stream: stream, ack: true})
		}
	}
	x.rec.Emitted(stream, now)
	x.rec.Transferred(stream, len(dst), now)
	return dst
}

// sendSystem emits an unanchored tuple on a system stream (acker messages, __system events);
// errors there are bugs of the worker, reported like any other.
func (x *executor) sendSystem(t *task, stream string, values []any) {
	saved := x.dst
	x.dst = x.sysDst[:0]
	r, dst, err := x.choose(t.id, stream, values, 0, false)
	x.sysDst = x.dst
	x.dst = saved
	if err != nil {
		x.reportError(err)
		return
	}
	for _, d := range dst {
		x.send(r, d, t.id, values, nil)
	}
	x.rec.Emitted(stream, x.now)
	x.rec.Transferred(stream, len(dst), x.now)
}

// spoutCollector is a spout task's SpoutOutputCollector.
type spoutCollector struct{ t *task }

func (c *spoutCollector) Emit(values storm.Values, msgID any) []int32 {
	return c.t.x.spoutEmit(c.t, tuple.DefaultStream, values, msgID, 0, false)
}

func (c *spoutCollector) EmitStream(stream string, values storm.Values, msgID any) []int32 {
	return c.t.x.spoutEmit(c.t, stream, values, msgID, 0, false)
}

func (c *spoutCollector) EmitDirect(task int32, stream string, values storm.Values, msgID any) {
	c.t.x.spoutEmit(c.t, stream, values, msgID, task, true)
}

func (c *spoutCollector) PendingCount() int { return c.t.x.pending.Len() }

func (c *spoutCollector) ReportError(err error) { c.t.x.reportError(err) }

var _ storm.SpoutOutputCollector = (*spoutCollector)(nil)
