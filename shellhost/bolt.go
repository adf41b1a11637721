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
// Its methods are called from the host's reader goroutine, one at a time,
// concurrently with Execute: they must not wait for the goroutine that
// calls Execute (which may itself wait for room in the pending queue), nor
// call Close. An error from any of them is fatal to the subprocess, as an
// exception from Storm's collector is.
type BoltCollector interface {
	// Emit sends a tuple and returns the tasks it went to (for a
	// non-direct emit).
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
type Bolt struct {
	life
	out BoltCollector
	s   settings

	tuples  chan multilang.BoltTuple
	taskIDs struct {
		sync.Mutex
		q [][]int32
	}
	wake      chan struct{} // task ids queued or heartbeat due
	heartbeat atomic.Bool   // a heartbeat tuple is due
	lastMsg   atomic.Int64  // unix nanos of the last message from the child

	inputs sync.Map // tuple id (string) → Ref
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
		life: newLife(p, "ShellBolt", out.ReportError, s.killGrace),
		out:  out, s: s,
		tuples: make(chan multilang.BoltTuple, s.maxPending),
		wake:   make(chan struct{}, 1),
	}
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
	if err := b.Err(); err != nil {
		return err
	}
	id := b.newID(in.Ref)
	t := multilang.BoltTuple{ID: id, Comp: in.Component, Stream: in.Stream, Task: int64(in.Task), Tuple: in.Values}
	select {
	case b.tuples <- t:
		return nil
	case <-b.done:
		b.inputs.Delete(id)
		return b.err
	case <-ctx.Done():
		b.inputs.Delete(id)
		return ctx.Err()
	}
}

// newID registers ref under a fresh id: the decimal form of a random long,
// as ShellBolt makes them.
func (b *Bolt) newID(ref any) string {
	for {
		id := strconv.FormatInt(int64(rand.Uint64()), 10)
		if _, loaded := b.inputs.LoadOrStore(id, ref); !loaded {
			return id
		}
	}
}

// die makes err fatal: reported to the collector, subprocess killed.
func (b *Bolt) die(err error) { b.fail(err) }

func (b *Bolt) readLoop() {
	defer b.wg.Done()
	for {
		v, err := b.p.r.Read()
		if err != nil {
			b.die(b.p.readError(err))
			return
		}
		msg, err := multilang.ParseShellMsg(v)
		if err != nil {
			b.die(err)
			return
		}
		b.lastMsg.Store(time.Now().UnixNano())
		if err := b.handle(msg); err != nil {
			b.die(err)
			return
		}
	}
}

func (b *Bolt) handle(m *multilang.ShellMsg) error {
	switch m.Command {
	case multilang.CommandAck, multilang.CommandFail:
		id, _ := m.ID.(string)
		ref, ok := b.inputs.LoadAndDelete(id)
		if !ok {
			return fmt.Errorf("%sed a non-existent or already acked/failed id: %v", m.Command, m.ID)
		}
		var err error
		if m.Command == multilang.CommandAck {
			err = b.out.Ack(ref)
		} else {
			err = b.out.Fail(ref)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", m.Command, err)
		}
	case multilang.CommandError:
		b.out.ReportError("Shell Process Exception: " + m.Msg)
	case multilang.CommandLog:
		text := b.p.logShell(m.Level, m.Msg)
		if m.Level == multilang.LogError {
			b.out.ReportError(text)
		}
	case multilang.CommandEmit:
		return b.emit(m)
	case multilang.CommandMetrics:
		return metrics(b.out.Metrics, m)
	case multilang.CommandSync:
	default:
		b.p.log.Warn("ignoring unknown multilang command from a bolt subprocess", "command", m.Command)
	}
	return nil
}

func (b *Bolt) emit(m *multilang.ShellMsg) error {
	e := Emission{Stream: m.Stream, Values: m.Tuple, DirectTask: -1}
	for _, a := range m.Anchors {
		ref, ok := b.inputs.Load(a)
		if !ok {
			return fmt.Errorf("anchored onto %s after ack/fail", a)
		}
		e.Anchors = append(e.Anchors, ref)
	}
	if m.Task != 0 {
		if m.Task < math.MinInt32 || m.Task > math.MaxInt32 {
			return fmt.Errorf("emit to direct task %d: out of range", m.Task)
		}
		e.DirectTask = int32(m.Task)
		if _, err := b.out.Emit(e); err != nil {
			return fmt.Errorf("emit direct to task %d on stream %q: %w", m.Task, m.Stream, err)
		}
		return nil
	}
	e.NeedTaskIDs = m.NeedTaskIDs
	ids, err := b.out.Emit(e)
	if err != nil {
		return fmt.Errorf("emit on stream %q: %w", m.Stream, err)
	}
	if !m.NeedTaskIDs {
		return nil
	}
	b.taskIDs.Lock()
	b.taskIDs.q = append(b.taskIDs.q, ids)
	b.taskIDs.Unlock()
	b.signal()
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

func (b *Bolt) popTaskIDs() ([]int32, bool) {
	b.taskIDs.Lock()
	defer b.taskIDs.Unlock()
	if len(b.taskIDs.q) == 0 {
		return nil, false
	}
	ids := b.taskIDs.q[0]
	b.taskIDs.q[0] = nil
	b.taskIDs.q = b.taskIDs.q[1:]
	return ids, true
}

// writeLoop writes task ids first, then heartbeats and tuples.
func (b *Bolt) writeLoop() {
	defer b.wg.Done()
	for {
		var err error
		if ids, ok := b.popTaskIDs(); ok {
			err = b.p.w.WriteRaw(multilang.EncodeTaskIDs(ids))
		} else if b.heartbeat.CompareAndSwap(true, false) {
			err = b.p.w.Write(multilang.HeartbeatTuple(strconv.FormatInt(int64(rand.Uint64()), 10)))
		} else {
			select {
			case <-b.done:
				return
			case <-b.wake:
				continue
			case t := <-b.tuples:
				err = b.p.w.Write(t)
			}
		}
		if err != nil {
			b.die(b.p.writeError(err))
			return
		}
	}
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
			b.heartbeat.Store(true)
			b.signal()
		}
	}
}
