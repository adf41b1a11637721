package worker

import (
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/galeproject/gale/compat/multilang"
	"github.com/galeproject/gale/components"
	"github.com/galeproject/gale/shellhost"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/worker/tuple"
)

// Multilang components (ShellBolt, ShellSpout, ShellComponent) run as subprocesses through
// package shellhost, wrapped here as storm.Spout and storm.Bolt.
//
// A shell spout is synchronous: NextTuple, Ack and Fail each send one request and the child's
// emits are dispatched on the executor goroutine before the call returns.
//
// A shell bolt is not: the child acks, fails and emits whenever it likes. Its collector is a
// shellhost.Poster: shellhost's reader hands every batch of commands it has read to Post, which
// sends it to the executor goroutine (x.calls) without waiting for it to run; the executor runs it
// between inputs, so the executor's state keeps one owner, and the task ids of the emits go
// straight from there to shellhost's writer. Execute queues the tuple for shellhost's writer
// (TryExecute); while topology.shellbolt.max.pending tuples wait, it keeps running posted batches:
// a child blocked on writing its emits must be able to drain, or the two would wait on each other.
// Execute also runs a batch that is already waiting, so that acks and emits do not wait for the
// end of a long run of inputs.
//
// A subprocess that dies makes the worker die (Storm's worker exits with code 11 then).

func (x *executor) shellConfig(spec *components.Shell, task int32) (shellhost.Config, error) {
	w := x.w
	mctx, err := multilang.NewContext(w.topo.user, w.topo.taskComp, task)
	if err != nil {
		return shellhost.Config{}, err
	}
	// A Go topology's artifact is an executable, not a jar: it has no
	// resources/ to extract, so its shell components (absolute commands)
	// start in an empty one.
	if err := os.MkdirAll(w.resourcesDir(), 0o755); err != nil {
		return shellhost.Config{}, fmt.Errorf("shell component working directory: %w", err)
	}
	return shellhost.Config{
		Command: spec.Command,
		Dir:     w.resourcesDir(),
		Env:     spec.Env,
		Conf:    x.conf,
		Context: mctx,
		PidDir:  w.pidDir,
		Logger:  x.log.With("task", task, "shell", spec.Command),
	}, nil
}

// watchShell makes the worker die when the subprocess behind done dies (not when it is closed).
// shellhost has already reported a *shellhost.FatalError through the collector (ShellBolt.die's
// reportError), so the worker fails without reporting it a second time.
func (x *executor) watchShell(done <-chan struct{}, errOf func() error) {
	x.w.g.Go("shell watch "+x.comp.id, func() {
		select {
		case <-done:
			err := errOf()
			if err == nil || errors.Is(err, shellhost.ErrClosed) {
				return
			}
			var fatal *shellhost.FatalError
			if errors.As(err, &fatal) {
				x.log.Error("executor died", "err", err)
				x.w.fail(err)
				return
			}
			x.die(fmt.Errorf("shell component %s died: %w", x.comp.id, err))
		case <-x.w.stop:
		}
	})
}

// shellBolt is a multilang bolt.
type shellBolt struct {
	x    *executor
	spec *components.Shell
	b    *shellhost.Bolt
	out  storm.OutputCollector
	quit chan struct{} // closed by Cleanup: Post gives up (the executor no longer runs calls)
}

func newShellBolt(x *executor, spec *components.Shell) *shellBolt {
	return &shellBolt{x: x, spec: spec}
}

// DeclareOutputFields declares nothing: the streams are in the submitted topology.
func (a *shellBolt) DeclareOutputFields(storm.OutputFieldsDeclarer) {}

func (a *shellBolt) Prepare(_ storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	cfg, err := a.x.shellConfig(a.spec, ctx.ThisTaskID())
	if err != nil {
		return err
	}
	a.out = out
	a.quit = make(chan struct{})
	a.b, err = shellhost.StartBolt(a.x.w.stopCtx, cfg, &shellBoltCollector{a: a, quit: a.quit})
	if err != nil {
		return err
	}
	a.x.watchShell(a.b.Done(), a.b.Err)
	return nil
}

func (a *shellBolt) Execute(t *tuple.Tuple) {
	select { // a batch of the child's commands is waiting: run it first
	case f := <-a.x.calls:
		f()
	default:
	}
	in := shellhost.Input{Ref: t, Component: t.SourceComponent, Stream: t.Stream, Task: t.SourceTask, Values: t.Values}
	for {
		if ok, err := a.b.TryExecute(in); ok || err != nil {
			return // a death is watchShell's
		}
		select {
		case <-a.b.Room():
		case f := <-a.x.calls:
			f()
		case <-a.b.Done():
			return
		case <-a.x.w.stop:
			return
		}
	}
}

func (a *shellBolt) Cleanup() {
	if a.b == nil {
		return
	}
	close(a.quit)
	_ = a.b.Close()
}

// shellBoltCollector is a shellhost.Poster: shellhost calls its other methods only inside the
// functions it posts, on the executor goroutine.
type shellBoltCollector struct {
	a       *shellBolt
	quit    <-chan struct{}
	anchors []*tuple.Tuple // scratch of Emit
}

// Post hands f to the executor goroutine, which runs it between inputs (runBolt) or while Execute
// waits; once the executor took it, f runs. It fails when the worker stops or the bolt is cleaned
// up (the executor may clean up without the worker stopping, after another task failed to prepare).
func (c *shellBoltCollector) Post(f func()) error {
	select {
	case c.a.x.calls <- f:
		return nil
	case <-c.a.x.w.stop:
		return errStopping
	case <-c.quit:
		return shellhost.ErrClosed
	}
}

func (c *shellBoltCollector) Emit(e shellhost.Emission) ([]int32, error) {
	anchors := c.anchors[:0]
	for _, r := range e.Anchors {
		if t, ok := r.(*tuple.Tuple); ok {
			anchors = append(anchors, t)
		}
	}
	c.anchors = anchors
	defer clear(anchors)
	if e.DirectTask >= 0 {
		c.a.out.EmitDirect(e.DirectTask, streamOr(e.Stream), e.Values, anchors...)
		return nil, nil
	}
	// The executor's target slice: shellhost reads it before its next call.
	return c.a.out.EmitStream(streamOr(e.Stream), e.Values, anchors...), nil
}

func (c *shellBoltCollector) Ack(ref any) error {
	t, ok := ref.(*tuple.Tuple)
	if !ok {
		return fmt.Errorf("ack of an unknown tuple %v", ref)
	}
	c.a.out.Ack(t)
	return nil
}

func (c *shellBoltCollector) Fail(ref any) error {
	t, ok := ref.(*tuple.Tuple)
	if !ok {
		return fmt.Errorf("fail of an unknown tuple %v", ref)
	}
	c.a.out.Fail(t)
	return nil
}

func (c *shellBoltCollector) ReportError(msg string) { c.a.out.ReportError(errors.New(msg)) }

// Metrics: Go workers register no shell metrics; the command is accepted and dropped.
func (c *shellBoltCollector) Metrics(string, any) error { return nil }

func streamOr(s string) string {
	if s == "" {
		return tuple.DefaultStream
	}
	return s
}

// shellSpout is a multilang spout.
type shellSpout struct {
	x    *executor
	spec *components.Shell
	sp   *shellhost.Spout
	out  storm.SpoutOutputCollector
}

func newShellSpout(x *executor, spec *components.Shell) *shellSpout {
	return &shellSpout{x: x, spec: spec}
}

func (a *shellSpout) DeclareOutputFields(storm.OutputFieldsDeclarer) {}

func (a *shellSpout) Open(_ storm.Conf, ctx *storm.TopologyContext, out storm.SpoutOutputCollector) error {
	cfg, err := a.x.shellConfig(a.spec, ctx.ThisTaskID())
	if err != nil {
		return err
	}
	a.out = out
	a.sp, err = shellhost.StartSpout(a.x.w.stopCtx, cfg, shellSpoutCollector{a})
	if err != nil {
		return err
	}
	a.x.watchShell(a.sp.Done(), a.sp.Err)
	return nil
}

// Activate and Deactivate are not multilang commands in Storm 1.0.0.
func (a *shellSpout) Activate()   {}
func (a *shellSpout) Deactivate() {}

func (a *shellSpout) NextTuple()     { _ = a.sp.Next(a.x.w.stopCtx) } // a death is watchShell's
func (a *shellSpout) Ack(msgID any)  { _ = a.sp.Ack(a.x.w.stopCtx, msgID) }
func (a *shellSpout) Fail(msgID any) { _ = a.sp.Fail(a.x.w.stopCtx, msgID) }

func (a *shellSpout) Close() {
	if a.sp != nil {
		_ = a.sp.Close()
	}
}

// shellSpoutCollector is called on the executor goroutine (inside Next, Ack and Fail).
type shellSpoutCollector struct{ a *shellSpout }

func (c shellSpoutCollector) Emit(e shellhost.Emission) ([]int32, error) {
	if e.DirectTask >= 0 {
		c.a.out.EmitDirect(e.DirectTask, streamOr(e.Stream), e.Values, e.MessageID)
		return nil, nil
	}
	return slices.Clone(c.a.out.EmitStream(streamOr(e.Stream), e.Values, e.MessageID)), nil
}

func (c shellSpoutCollector) ReportError(msg string) { c.a.out.ReportError(errors.New(msg)) }

func (c shellSpoutCollector) Metrics(string, any) error { return nil }
