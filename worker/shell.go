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
// A shell bolt is not: the child acks, fails and emits whenever it likes, and shellhost calls
// the collector from its reader goroutine. Those calls are posted to the executor goroutine
// (executor.post), which runs them between inputs, so the executor's state keeps one owner.
// Execute hands the tuple to a feeder goroutine (shellhost.Bolt.Execute blocks while
// topology.shellbolt.max.pending tuples wait for the child) and keeps running posted calls
// meanwhile: a child blocked on writing its emits must be able to drain, or the two would wait
// on each other.
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
	feed chan shellhost.Input
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
	a.b, err = shellhost.StartBolt(a.x.w.stopCtx, cfg, &shellBoltCollector{a: a})
	if err != nil {
		return err
	}
	a.x.watchShell(a.b.Done(), a.b.Err)
	a.feed = make(chan shellhost.Input)
	b, feed, stopCtx := a.b, a.feed, a.x.w.stopCtx
	a.x.w.g.Go("shell feed "+a.x.comp.id, func() {
		for in := range feed {
			if err := b.Execute(stopCtx, in); err != nil {
				return // dead (watchShell reacts) or stopping
			}
		}
	})
	return nil
}

func (a *shellBolt) Execute(t *tuple.Tuple) {
	in := shellhost.Input{Ref: t, Component: t.SourceComponent, Stream: t.Stream, Task: t.SourceTask, Values: t.Values}
	for {
		select {
		case a.feed <- in:
			return
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
	close(a.feed)
	_ = a.b.Close()
}

// shellBoltCollector is called by shellhost's reader goroutine; everything runs on the executor
// goroutine through post.
type shellBoltCollector struct{ a *shellBolt }

func (c *shellBoltCollector) Emit(e shellhost.Emission) ([]int32, error) {
	var ids []int32
	err := c.a.x.post(func() {
		anchors := make([]*tuple.Tuple, 0, len(e.Anchors))
		for _, r := range e.Anchors {
			if t, ok := r.(*tuple.Tuple); ok {
				anchors = append(anchors, t)
			}
		}
		if e.DirectTask >= 0 {
			c.a.out.EmitDirect(e.DirectTask, streamOr(e.Stream), e.Values, anchors...)
			return
		}
		ids = slices.Clone(c.a.out.EmitStream(streamOr(e.Stream), e.Values, anchors...))
	})
	return ids, err
}

func (c *shellBoltCollector) Ack(ref any) error {
	t, ok := ref.(*tuple.Tuple)
	if !ok {
		return fmt.Errorf("ack of an unknown tuple %v", ref)
	}
	return c.a.x.post(func() { c.a.out.Ack(t) })
}

func (c *shellBoltCollector) Fail(ref any) error {
	t, ok := ref.(*tuple.Tuple)
	if !ok {
		return fmt.Errorf("fail of an unknown tuple %v", ref)
	}
	return c.a.x.post(func() { c.a.out.Fail(t) })
}

func (c *shellBoltCollector) ReportError(msg string) {
	_ = c.a.x.post(func() { c.a.out.ReportError(errors.New(msg)) })
}

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
