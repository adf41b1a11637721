package shellhost

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/galeproject/gale/compat/multilang"
)

// Emission is one emit command of the child, as the worker must perform it.
type Emission struct {
	// Stream is the output stream ("default" unless the child named one).
	Stream string
	// Anchors are the Refs of the input tuples the emit is anchored to
	// (bolts only).
	Anchors []any
	// MessageID is the spout message id the child gave (any JSON value;
	// nil means unreliable). Spouts only.
	MessageID any
	// DirectTask is the target task of a direct emit, or -1.
	DirectTask int32
	// Values are the tuple's values, decoded from JSON: nil, bool, string,
	// int64, float64, []any and map[string]any.
	Values []any
	// NeedTaskIDs is set when the child waits for the task ids; the
	// returned ids are then written back. Never set for direct emits.
	NeedTaskIDs bool
}

// BoltCollector is what a bolt subprocess drives; the worker implements it.
// An error from any of its methods is fatal to the subprocess, as an
// exception from Storm's collector is.
//
// Unless the collector is a [Poster], its methods are called from the
// host's reader goroutine, one at a time, concurrently with Execute: they
// must not wait for the goroutine that calls Execute (which may itself wait
// for room in the pending queue), nor call Close.
type BoltCollector interface {
	// Emit sends a tuple and returns the tasks it went to (for a
	// non-direct emit). The host reads the returned slice before its next
	// call to the collector, and does not keep it.
	Emit(e Emission) ([]int32, error)
	// Ack and Fail complete the input tuple with the given Ref.
	Ack(ref any) error
	Fail(ref any) error
	// ReportError reports an error for the component (the "error" command,
	// a log at ERROR level, or the reason the subprocess died).
	ReportError(msg string)
	// Metrics hands a "metrics" command to the shell metric registered
	// under name.
	Metrics(name string, params any) error
}

// Poster is implemented by a BoltCollector whose methods must all run on a
// goroutine of its own, such as the worker's executor goroutine, which
// also calls Execute (or TryExecute). The host then calls the collector
// only from functions it hands to Post: one function per batch of the
// child's commands (every command already read when the batch is handed
// over), in the order the child sent them, and one per fatal error
// reported. Emit must not keep Emission.Anchors past the call (the storage
// is reused).
//
// Post arranges for f to run on that goroutine, after the functions posted
// before it, and may return before f runs; it may block while that
// goroutine is busy, which holds the child back. Once Post returned nil, f
// runs. An error means f never runs (the collector is stopping); it is
// fatal to the subprocess. The goroutine must keep running posted
// functions while it waits for room in Execute (see [Bolt.Room]).
type Poster interface {
	Post(f func()) error
}

// Input is a tuple for a bolt subprocess.
type Input struct {
	// Ref is the worker's handle for the tuple; it comes back in Ack,
	// Fail and Emission.Anchors.
	Ref       any
	Component string
	Stream    string
	Task      int32
	Values    []any
}

// Bolt is a running bolt subprocess.
//
// Three goroutines serve it. The writer writes the child's stdin in
// batches: the task-id replies queued so far, a due heartbeat, then the
// queued tuples, with one flush (one write) per batch. The reader reads the
// child's commands; it resolves ack, fail and anchor ids itself (in the
// order the child sent them) and hands every command it has already read
// to the collector as one batch: through Post for a Poster, else by
// calling it. The heartbeat goroutine asks for a heartbeat every interval
// and checks the timeout.
type Bolt struct {
	life
	out  BoltCollector
	post func(func()) error // the collector's Post, or nil
	s    settings

	mu        sync.Mutex
	queue     []multilang.BoltTuple // tuples for the writer, at most s.maxPending
	replies   []byte                // task-id replies for the writer, encoded, in emit order
	heartbeat bool                  // a heartbeat tuple is due
	wake      chan struct{}         // the writer has work
	room      chan struct{}         // the writer took the queued tuples

	free    chan []call  // batches a Poster ran, for reuse
	broken  atomic.Bool  // a batch failed: later batches are dropped
	lastMsg atomic.Int64 // unix nanos of the last message from the child

	refsMu sync.Mutex
	refs   map[string]any // tuple id → Ref of the inputs not acked or failed yet
}

// StartBolt launches the subprocess, performs the handshake and starts
// serving. ctx bounds the start only.
func StartBolt(ctx context.Context, cfg Config, out BoltCollector) (*Bolt, error) {
	s, err := resolve(&cfg)
	if err != nil {
		return nil, err
	}
	p, err := start(ctx, &cfg, s)
	if err != nil {
		return nil, err
	}
	b := &Bolt{
		out: out, s: s,
		queue: make([]multilang.BoltTuple, 0, s.maxPending),
		wake:  make(chan struct{}, 1),
		room:  make(chan struct{}, 1),
		refs:  make(map[string]any),
		free:  make(chan []call, 4),
	}
	if po, ok := out.(Poster); ok {
		b.post = po.Post
	}
	b.life = newLife(p, "ShellBolt", b.reportFatal, s.killGrace)
	b.lastMsg.Store(time.Now().UnixNano())
	b.wg.Add(3)
	go b.readLoop()
	go b.writeLoop()
	go b.heartbeatLoop()
	return b, nil
}

// Execute queues a tuple for the subprocess, blocking while
// topology.shellbolt.max.pending tuples wait. It fails once the subprocess
// is dead.
func (b *Bolt) Execute(ctx context.Context, in Input) error {
	for {
		ok, err := b.TryExecute(in)
		if ok || err != nil {
			return err
		}
		select {
		case <-b.room:
		case <-b.done:
			return b.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// TryExecute queues a tuple for the subprocess unless
// topology.shellbolt.max.pending tuples wait already; then it returns
// false and the caller may wait for Room. It fails once the subprocess is
// dead.
func (b *Bolt) TryExecute(in Input) (bool, error) {
	if err := b.Err(); err != nil {
		return false, err
	}
	b.mu.Lock()
	if len(b.queue) >= b.s.maxPending {
		b.mu.Unlock()
		return false, nil
	}
	id := b.register(in.Ref)
	b.queue = append(b.queue, multilang.BoltTuple{ID: id, Comp: in.Component, Stream: in.Stream, Task: int64(in.Task), Tuple: in.Values})
	b.mu.Unlock()
	b.signal()
	return true, nil
}

// Room receives when the writer has taken the queued tuples: a TryExecute
// that returned false may succeed now.
func (b *Bolt) Room() <-chan struct{} { return b.room }

// register stores ref under a fresh id: the decimal form of a random long,
// as ShellBolt makes them.
func (b *Bolt) register(ref any) string {
	b.refsMu.Lock()
	defer b.refsMu.Unlock()
	for {
		id := strconv.FormatInt(int64(rand.Uint64()), 10)
		if _, taken := b.refs[id]; !taken {
			b.refs[id] = ref
			return id
		}
	}
}

func (b *Bolt) ref(id string, remove bool) (any, bool) {
	b.refsMu.Lock()
	defer b.refsMu.Unlock()
	ref, ok := b.refs[id]
	if ok && remove {
		delete(b.refs, id)
	}
	return ref, ok
}

// die makes err fatal: reported to the collector, subprocess killed. It
// must not run on a Poster's goroutine (the report is posted and waited
// for).
func (b *Bolt) die(err error) { b.fail(err) }

// reportFatal reports the error the subprocess died of, on the collector's
// goroutine for a Poster, and returns after the collector took it.
func (b *Bolt) reportFatal(msg string) {
	if b.post == nil {
		b.out.ReportError(msg)
		return
	}
	done := make(chan struct{})
	if err := b.post(func() {
		defer close(done)
		b.out.ReportError(msg)
	}); err != nil {
		return
	}
	<-done
}

// call is one command of the child for the collector.
type call struct {
	kind      callKind
	ref       any      // ack, fail
	e         Emission // emit
	anchor    [1]any   // the anchor of an emit with one
	oneAnchor bool
	msg       string // error text
	name      string // metrics
	params    any
	command   string // for error messages
}

type callKind uint8

const (
	callEmit callKind = iota
	callAck
	callFail
	callError
	callMetrics
)

// maxBatch bounds the commands handed to the collector at once.
const maxBatch = 512

func (b *Bolt) readLoop() {
	defer b.wg.Done()
	var msg multilang.ShellMsg
	var batch []call
	for {
		if err := b.p.r.ReadShellMsg(&msg); err != nil {
			b.deliverThenDie(batch, b.p.readError(err))
			return
		}
		if batch == nil {
			select {
			case batch = <-b.free:
			default:
				batch = make([]call, 0, 64)
			}
		}
		var err error
		if batch, err = b.prepare(batch, &msg); err != nil {
			b.deliverThenDie(batch, err)
			return
		}
		more := b.p.r.Buffered()
		if !more { // the end of a burst: one clock read for all of it
			b.lastMsg.Store(time.Now().UnixNano())
		}
		if len(batch) > 0 && (!more || len(batch) >= maxBatch) {
			if !b.deliver(batch) {
				return
			}
			batch = nil // the collector may still be running it
		}
	}
}

func (b *Bolt) deliverThenDie(batch []call, err error) {
	if len(batch) == 0 || b.deliver(batch) {
		b.die(err)
	}
}

// prepare turns a command into a call appended to batch; ack, fail and
// anchor ids are resolved here, in the order the child sent them.
func (b *Bolt) prepare(batch []call, m *multilang.ShellMsg) ([]call, error) {
	switch m.Command {
	case multilang.CommandAck, multilang.CommandFail:
		id, _ := m.ID.(string)
		ref, ok := b.ref(id, true)
		if !ok {
			return batch, fmt.Errorf("%sed a non-existent or already acked/failed id: %v", m.Command, m.ID)
		}
		kind := callAck
		if m.Command == multilang.CommandFail {
			kind = callFail
		}
		return append(batch, call{kind: kind, ref: ref, command: m.Command}), nil
	case multilang.CommandError:
		return append(batch, call{kind: callError, msg: "Shell Process Exception: " + m.Msg}), nil
	case multilang.CommandLog:
		text := b.p.logShell(m.Level, m.Msg)
		if m.Level == multilang.LogError {
			return append(batch, call{kind: callError, msg: text}), nil
		}
	case multilang.CommandEmit:
		batch = append(batch, call{kind: callEmit})
		c := &batch[len(batch)-1]
		c.e = Emission{Stream: m.Stream, Values: m.Tuple, DirectTask: -1}
		for i, a := range m.Anchors {
			ref, ok := b.ref(a, false)
			if !ok {
				return batch[:len(batch)-1], fmt.Errorf("anchored onto %s after ack/fail", a)
			}
			switch {
			case len(m.Anchors) == 1:
				c.anchor[0], c.oneAnchor = ref, true // c.e.Anchors set by run: c may move
			case i == 0:
				c.e.Anchors = make([]any, 0, len(m.Anchors))
				fallthrough
			default:
				c.e.Anchors = append(c.e.Anchors, ref)
			}
		}
		if m.Task != 0 {
			if m.Task < math.MinInt32 || m.Task > math.MaxInt32 {
				return batch[:len(batch)-1], fmt.Errorf("emit to direct task %d: out of range", m.Task)
			}
			c.e.DirectTask = int32(m.Task)
		} else {
			c.e.NeedTaskIDs = m.NeedTaskIDs
		}
		return batch, nil
	case multilang.CommandMetrics:
		if m.MetricName == "" {
			return batch, errors.New("receive Metrics name is empty")
		}
		return append(batch, call{kind: callMetrics, name: m.MetricName, params: m.MetricParams}), nil
	case multilang.CommandSync:
	default:
		b.p.log.Warn("ignoring unknown multilang command from a bolt subprocess", "command", m.Command)
	}
	return batch, nil
}

// deliver hands batch to the collector; false when the host is dead. A
// Poster's batches are reused once run (its Emit must not keep
// Emission.Anchors).
func (b *Bolt) deliver(batch []call) bool {
	if b.post == nil {
		if err := b.run(batch); err != nil {
			b.die(err)
			return false
		}
		return true
	}
	err := b.post(func() {
		if b.broken.Load() || b.Err() != nil {
			return
		}
		if err := b.run(batch); err != nil {
			b.broken.Store(true)
			go b.die(err) // not here: die waits for this goroutine
		}
		clear(batch)
		select {
		case b.free <- batch[:0]:
		default:
		}
	})
	if err != nil {
		b.die(fmt.Errorf("hand commands to the collector: %w", err))
		return false
	}
	return true
}

// run performs the calls of a batch, queueing the task-id replies.
func (b *Bolt) run(batch []call) error {
	for i := range batch {
		c := &batch[i]
		switch c.kind {
		case callAck, callFail:
			var err error
			if c.kind == callAck {
				err = b.out.Ack(c.ref)
			} else {
				err = b.out.Fail(c.ref)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", c.command, err)
			}
		case callError:
			b.out.ReportError(c.msg)
		case callMetrics:
			if err := b.out.Metrics(c.name, c.params); err != nil {
				return fmt.Errorf("metric %q: %w", c.name, err)
			}
		case callEmit:
			if c.oneAnchor {
				c.e.Anchors = c.anchor[:]
			}
			ids, err := b.out.Emit(c.e)
			if err != nil {
				if c.e.DirectTask >= 0 {
					return fmt.Errorf("emit direct to task %d on stream %q: %w", c.e.DirectTask, c.e.Stream, err)
				}
				return fmt.Errorf("emit on stream %q: %w", c.e.Stream, err)
			}
			if c.e.NeedTaskIDs {
				b.mu.Lock()
				b.replies = multilang.AppendTaskIDsFrame(b.replies, ids)
				b.mu.Unlock()
				b.signal()
			}
		}
	}
	return nil
}

func metrics(call func(string, any) error, m *multilang.ShellMsg) error {
	if m.MetricName == "" {
		return errors.New("receive Metrics name is empty")
	}
	if err := call(m.MetricName, m.MetricParams); err != nil {
		return fmt.Errorf("metric %q: %w", m.MetricName, err)
	}
	return nil
}

func (b *Bolt) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// writeLoop writes what is queued, task ids first, then a due heartbeat and
// the tuples, flushing once per batch.
func (b *Bolt) writeLoop() {
	defer b.wg.Done()
	var tuples []multilang.BoltTuple
	var replies []byte
	for {
		b.mu.Lock()
		tuples, b.queue = b.queue, tuples[:0]
		replies, b.replies = b.replies, replies[:0]
		heartbeat := b.heartbeat
		b.heartbeat = false
		b.mu.Unlock()
		if len(tuples) == 0 && len(replies) == 0 && !heartbeat {
			select {
			case <-b.done:
				return
			case <-b.wake:
				continue
			}
		}
		if len(tuples) > 0 {
			select {
			case b.room <- struct{}{}:
			default:
			}
		}
		err := b.write(tuples, replies, heartbeat)
		clear(tuples) // drop the values
		if err != nil {
			b.die(err)
			return
		}
	}
}

func (b *Bolt) write(tuples []multilang.BoltTuple, replies []byte, heartbeat bool) error {
	w := b.p.w
	if len(replies) > 0 {
		if err := w.AppendFramed(replies); err != nil {
			return b.p.writeError(err)
		}
	}
	if heartbeat {
		hb := multilang.HeartbeatTuple(strconv.FormatInt(int64(rand.Uint64()), 10))
		if err := w.AppendBoltTuple(&hb); err != nil {
			return b.p.writeError(err)
		}
	}
	for i := range tuples {
		if err := w.AppendBoltTuple(&tuples[i]); err != nil {
			return b.p.writeError(err) // an unencodable value too, as before
		}
	}
	if err := w.Flush(); err != nil {
		return b.p.writeError(err)
	}
	return nil
}

// heartbeatLoop checks the timeout and asks for a heartbeat every interval.
func (b *Bolt) heartbeatLoop() {
	defer b.wg.Done()
	tick := time.NewTicker(b.s.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-b.done:
			return
		case now := <-tick.C:
			if silent := now.Sub(time.Unix(0, b.lastMsg.Load())); silent > b.s.timeout {
				b.die(fmt.Errorf("%w: nothing received for %s (timeout %s)", ErrHeartbeatTimeout, silent.Round(time.Millisecond), b.s.timeout))
				return
			}
			b.mu.Lock()
			b.heartbeat = true
			b.mu.Unlock()
			b.signal()
		}
	}
}
