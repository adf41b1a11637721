package worker

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/galeproject/gale/worker/grouping"
	"github.com/galeproject/gale/worker/transport"
	"github.com/galeproject/gale/worker/tuple"
)

// route is one output stream of an executor's component: its declaration and, per subscribing
// component, the grouper that picks target tasks. Groupers belong to the executor goroutine.
type route struct {
	stream  string
	decl    streamDecl
	targets []target
}

type target struct {
	component string
	g         grouping.Grouper
	direct    bool
}

// EmitError is a rejected emit: an undeclared stream, a wrong number of values, or a direct emit
// to a task that does not subscribe directly. The emit is dropped, the error reported, and the
// tuple trees it belonged to are failed so that nothing is lost silently.
type EmitError struct {
	Component, Stream string
	Err               error
}

func (e *EmitError) Error() string {
	return fmt.Sprintf("emit by %s on stream %q: %v", e.Component, e.Stream, e.Err)
}

func (e *EmitError) Unwrap() error { return e.Err }

// buildRoutes makes the groupers of every declared stream of the executor's component.
func (x *executor) buildRoutes() error {
	w := x.w
	x.routes = make(map[string]*route, len(x.comp.streams))
	for stream, decl := range x.comp.streams {
		r := &route{stream: stream, decl: decl}
		for _, sub := range x.comp.subscribers[stream] {
			targets := w.topo.compTasks[sub.component]
			if len(targets) == 0 {
				continue
			}
			g, err := grouping.Build(sub.spec, grouping.Env{
				Stream:     grouping.StreamID{Component: x.comp.id, Stream: stream},
				OutFields:  decl.fields.Names(),
				Targets:    targets,
				LocalTasks: w.localTasks,
				Rand:       rand.New(rand.NewPCG(x.rng.Uint64(), x.rng.Uint64())),
				Custom:     w.customGrouping,
			})
			if err != nil {
				return fmt.Errorf("worker: grouping of %s on %s/%s: %w", sub.component, x.comp.id, stream, err)
			}
			r.targets = append(r.targets, target{component: sub.component, g: g, direct: sub.spec.Kind == grouping.KindDirect})
		}
		x.routes[stream] = r
		x.routeList = append(x.routeList, r)
	}
	return nil
}

// route returns the route of stream, nil when the component does not declare it. Components
// declare few streams: a scan of them (stream names compare by pointer first) beats hashing the
// name on every emit.
func (x *executor) route(stream string) *route {
	if len(x.routeList) > 8 {
		return x.routes[stream]
	}
	for _, r := range x.routeList {
		if r.stream == stream {
			return r
		}
	}
	return nil
}

// choose checks an emit and picks its target tasks into x.dst.
func (x *executor) choose(src int32, stream string, values []any, directTask int32, direct bool) (*route, []int32, error) {
	r := x.route(stream)
	if r == nil {
		return nil, nil, &EmitError{x.comp.id, stream, errors.New("the component does not declare this stream")}
	}
	if n := r.decl.fields.Len(); len(values) != n {
		return nil, nil, &EmitError{x.comp.id, stream,
			fmt.Errorf("tuple created with wrong number of fields: expected %d fields %v but got %d", n, r.decl.fields.Names(), len(values))}
	}
	dst := x.dst[:0]
	if direct {
		comp := x.w.topo.taskComp[directTask]
		var tg *target
		for i := range r.targets {
			if r.targets[i].component == comp {
				tg = &r.targets[i]
				break
			}
		}
		switch {
		case tg == nil && comp == "":
			return nil, nil, &EmitError{x.comp.id, stream, fmt.Errorf("emitDirect to task %d, which does not exist", directTask)}
		case tg == nil:
			return nil, nil, &EmitError{x.comp.id, stream,
				fmt.Errorf("emitDirect to task %d of component %q, which does not subscribe to this stream", directTask, comp)}
		case !tg.direct:
			return nil, nil, &EmitError{x.comp.id, stream, fmt.Errorf("task %d of %q: %w", directTask, comp, grouping.ErrNotDirect)}
		}
		dst = append(dst, directTask)
	} else {
		if r.decl.direct {
			return nil, nil, &EmitError{x.comp.id, stream, grouping.ErrDirectStream}
		}
		for i := range r.targets {
			if r.targets[i].direct {
				return nil, nil, &EmitError{x.comp.id, stream, grouping.ErrDirectStream}
			}
			dst = r.targets[i].g.Choose(dst, src, values)
		}
	}
	x.dst = dst
	return r, dst, nil
}

// outbox holds the executor's emits until the next flush: a batch per local target executor and
// per remote worker.
type outbox struct {
	local  [][]envelope // by executor index
	noWait []bool       // by executor index: the edge is inside a cycle of the topology
	dirty  []int
	remote map[*remote]*remoteBatch
	rdirty []*remote
	n      int
	// dropped counts tuples to tasks no worker is known for (assignment changing).
	dropped int64
}

type remoteBatch struct {
	arena []byte
	msgs  []transport.Message
}

// localTuple is a tuple for a local executor with room for the one anchor most tuples have: one
// allocation instead of two.
type localTuple struct {
	tuple.Tuple
	anchor [1]tuple.Anchor
}

// send queues one tuple for task dst.
func (x *executor) send(r *route, dst, src int32, values []any, id tuple.MessageID) {
	w := x.w
	o := &x.out
	if ex := w.localExec(dst); ex != nil {
		lt := &localTuple{Tuple: tuple.Tuple{SourceTask: src, SourceComponent: x.comp.id, Stream: r.stream, Values: values, Fields: r.decl.fields}}
		tp := &lt.Tuple
		switch len(id) { // send keeps no reference to id: callers may build it on the stack
		case 0:
		case 1:
			lt.anchor[0] = id[0]
			tp.ID = lt.anchor[:]
		default:
			tp.ID = slices.Clone(id)
		}
		if len(o.local[ex.idx]) == 0 {
			o.dirty = append(o.dirty, ex.idx)
		}
		o.local[ex.idx] = append(o.local[ex.idx], envelope{task: dst, tuple: tp})
		o.n++
		return
	}
	rem := w.remoteFor(dst)
	if rem == nil {
		o.dropped++
		return
	}
	b := o.remote[rem]
	if b == nil {
		b = &remoteBatch{}
		o.remote[rem] = b
	}
	start := len(b.arena)
	scratch := tuple.Tuple{SourceTask: src, Stream: r.stream, Values: values, ID: id}
	arena, err := x.codec.AppendEncode(b.arena, &scratch)
	if err != nil {
		b.arena = arena[:start]
		x.reportError(&EmitError{x.comp.id, r.stream, fmt.Errorf("tuple for remote task %d: %w", dst, err)})
		return
	}
	b.arena = arena
	if len(b.msgs) == 0 {
		o.rdirty = append(o.rdirty, rem)
	}
	b.msgs = append(b.msgs, transport.Message{Task: dst, Payload: arena[start:len(arena):len(arena)]})
	o.n++
}

// flushWait hands every batch to its queue, waiting for room where the edge allows it. It fails
// only when the worker stops.
func (x *executor) flushWait() error {
	o := &x.out
	for _, i := range o.dirty {
		batch := o.local[i]
		if o.noWait[i] {
			if n := x.w.execs[i].inbox.PutNoWait(batch); n > 0 {
				x.log.Debug("inbox over its hard bound; tuples dropped", "target", x.w.execs[i].id, "dropped", n)
			}
		} else if err := x.w.execs[i].inbox.Put(batch, x.w.stop); err != nil {
			return err
		}
		clear(batch)
		o.local[i] = batch[:0]
	}
	o.dirty = o.dirty[:0]
	for _, rem := range o.rdirty {
		b := o.remote[rem]
		err := rem.client.SendBatch(x.w.stopCtx, b.msgs)
		closed := errors.Is(err, transport.ErrClosed)
		if err != nil && !closed {
			if x.w.stopCtx.Err() != nil {
				return err
			}
			x.reportError(fmt.Errorf("send to %s: %w", rem.addr, err))
		}
		x.resetRemote(rem, b, closed)
	}
	o.rdirty = o.rdirty[:0]
	o.n = 0
	return nil
}

// flushTry hands over what fits without waiting. It returns true when everything went out, or a
// channel that is closed when one of the full queues has room again.
func (x *executor) flushTry() (bool, <-chan struct{}) {
	o := &x.out
	var wait <-chan struct{}
	keep := o.dirty[:0]
	for _, i := range o.dirty {
		batch := o.local[i]
		if o.noWait[i] {
			x.w.execs[i].inbox.PutNoWait(batch)
		} else if ok, space, err := x.w.execs[i].inbox.TryPut(batch); !ok && err == nil {
			keep = append(keep, i)
			if wait == nil {
				wait = space
			}
			continue
		}
		o.n -= len(batch)
		clear(batch)
		o.local[i] = batch[:0]
	}
	o.dirty = keep
	rkeep := o.rdirty[:0]
	for _, rem := range o.rdirty {
		b := o.remote[rem]
		ok, space, err := rem.client.TrySendBatch(b.msgs)
		if !ok && err == nil {
			rkeep = append(rkeep, rem)
			if wait == nil {
				wait = space
			}
			continue
		}
		closed := errors.Is(err, transport.ErrClosed)
		if err != nil && !closed {
			x.reportError(fmt.Errorf("send to %s: %w", rem.addr, err))
		}
		o.n -= len(b.msgs)
		x.resetRemote(rem, b, closed)
	}
	o.rdirty = rkeep
	return len(o.dirty) == 0 && len(o.rdirty) == 0, wait
}

// resetRemote empties a remote batch after the client took it (the client copied the payloads,
// so the arena is reused), and forgets the remote once its client said it is closed — no extra
// lock per flush to ask.
func (x *executor) resetRemote(rem *remote, b *remoteBatch, closed bool) {
	clear(b.msgs)
	b.msgs = b.msgs[:0]
	if cap(b.arena) > 4<<20 { // give back what a burst took
		b.arena = nil
	}
	b.arena = b.arena[:0]
	if closed {
		delete(x.out.remote, rem)
	}
}
