package shellhost

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/galeproject/gale/compat/multilang"
)

// ErrUnknownCommand is wrapped by the fatal error of a spout subprocess
// that sent a command a spout does not take.
var ErrUnknownCommand = errors.New("unknown command received")

// SpoutCollector is what a spout subprocess drives; the worker implements
// it. Its methods are called from the goroutine calling Next, Ack or Fail
// (ReportError also from a timer when the child times out). An error from
// any of them is fatal to the subprocess.
type SpoutCollector interface {
	// Emit sends a tuple (Emission.MessageID set for reliable emits) and
	// returns the tasks it went to (for a non-direct emit).
	Emit(e Emission) ([]int32, error)
	ReportError(msg string)
	Metrics(name string, params any) error
}

// Spout is a running spout subprocess.
type Spout struct {
	life
	out SpoutCollector
	s   settings

	msgs chan readResult // from the reader goroutine
	mu   sync.Mutex      // one request at a time
}

type readResult struct {
	msg *multilang.ShellMsg
	err error
}

// StartSpout launches the subprocess, performs the handshake and starts
// reading it. ctx bounds the start only.
func StartSpout(ctx context.Context, cfg Config, out SpoutCollector) (*Spout, error) {
	s, err := resolve(&cfg)
	if err != nil {
		return nil, err
	}
	p, err := start(ctx, &cfg, s)
	if err != nil {
		return nil, err
	}
	sp := &Spout{life: newLife(p, "ShellSpout", out.ReportError, s.killGrace), out: out, s: s, msgs: make(chan readResult)}
	sp.wg.Add(1)
	go sp.readLoop()
	return sp, nil
}

// Next asks the child for tuples (ISpout.nextTuple) and returns after its
// sync.
func (sp *Spout) Next(ctx context.Context) error {
	return sp.query(ctx, multilang.SpoutRequest{Command: multilang.SpoutNext, ID: ""})
}

// Ack tells the child that the tuple tree of msgID completed.
func (sp *Spout) Ack(ctx context.Context, msgID any) error {
	return sp.query(ctx, multilang.SpoutRequest{Command: multilang.SpoutAck, ID: msgID})
}

// Fail tells the child that the tuple tree of msgID failed.
func (sp *Spout) Fail(ctx context.Context, msgID any) error {
	return sp.query(ctx, multilang.SpoutRequest{Command: multilang.SpoutFail, ID: msgID})
}

// die makes err fatal and returns the error callers see.
func (sp *Spout) die(err error) error { return sp.fail(err) }

func (sp *Spout) readLoop() {
	defer sp.wg.Done()
	for {
		r := readResult{msg: new(multilang.ShellMsg)}
		if err := sp.p.r.ReadShellMsg(r.msg); err != nil {
			r.msg, r.err = nil, sp.p.readError(err)
		}
		select {
		case sp.msgs <- r:
		case <-sp.done:
			return
		}
		if r.err != nil {
			return
		}
	}
}

// query sends one request and handles the child's commands until sync.
// Silence past the timeout while the request is outstanding is fatal.
func (sp *Spout) query(ctx context.Context, req multilang.SpoutRequest) error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if err := sp.Err(); err != nil {
		return err
	}
	timer := time.AfterFunc(sp.s.timeout, func() {
		sp.die(fmt.Errorf("%w: no answer to %q for %s", ErrHeartbeatTimeout, req.Command, sp.s.timeout))
	})
	defer timer.Stop()
	if err := sp.p.w.Write(req); err != nil {
		return sp.die(sp.p.writeError(err))
	}
	for {
		select {
		case r := <-sp.msgs:
			if r.err != nil {
				return sp.die(r.err)
			}
			timer.Reset(sp.s.timeout)
			if r.msg.Command == multilang.CommandSync {
				return nil
			}
			if err := sp.handle(r.msg); err != nil {
				return sp.die(err)
			}
		case <-sp.done:
			return sp.err
		case <-ctx.Done():
			// The child is mid-answer: the protocol cannot resume.
			return sp.die(fmt.Errorf("%q request abandoned: %w", req.Command, ctx.Err()))
		}
	}
}

func (sp *Spout) handle(m *multilang.ShellMsg) error {
	switch m.Command {
	case multilang.CommandLog:
		sp.p.logShell(m.Level, m.Msg)
	case multilang.CommandError:
		sp.out.ReportError("Shell Process Exception: " + m.Msg)
	case multilang.CommandEmit:
		e := Emission{Stream: m.Stream, MessageID: m.ID, Values: m.Tuple, DirectTask: -1}
		if m.Task != 0 {
			if m.Task < math.MinInt32 || m.Task > math.MaxInt32 {
				return fmt.Errorf("emit to direct task %d: out of range", m.Task)
			}
			e.DirectTask = int32(m.Task)
			if _, err := sp.out.Emit(e); err != nil {
				return fmt.Errorf("emit direct to task %d on stream %q: %w", m.Task, m.Stream, err)
			}
			return nil
		}
		e.NeedTaskIDs = m.NeedTaskIDs
		ids, err := sp.out.Emit(e)
		if err != nil {
			return fmt.Errorf("emit on stream %q: %w", m.Stream, err)
		}
		if !m.NeedTaskIDs {
			return nil
		}
		if err := sp.p.w.WriteRaw(multilang.EncodeTaskIDs(ids)); err != nil {
			return sp.p.writeError(err)
		}
	case multilang.CommandMetrics:
		return metrics(sp.out.Metrics, m)
	default:
		return fmt.Errorf("%w: %q", ErrUnknownCommand, m.Command)
	}
	return nil
}
