package worker

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/components"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/topology"
	"github.com/galeproject/gale/worker/pending"
	"github.com/galeproject/gale/worker/stats"
	"github.com/galeproject/gale/worker/tuple"
)

// componentError is a component that could not be created; it is reported under its component.
type componentError struct {
	component string
	err       error
}

func (e *componentError) Error() string { return e.err.Error() }
func (e *componentError) Unwrap() error { return e.err }

// buildExecutors creates the executors of this slot (plus the system executor), their queues,
// routes and component instances.
func (w *worker) buildExecutors() error {
	t := w.topo
	ids := append([]topology.ExecutorID{{Start: topology.SystemTaskID, End: topology.SystemTaskID}}, w.own...)
	maxTask := int32(0)
	local := map[int32]bool{}
	for _, id := range ids {
		for _, task := range id.Tasks() {
			local[task] = true
			maxTask = max(maxTask, task)
		}
	}
	w.localTasks = sortedTasks(local)
	w.byTask = make([]*executor, maxTask+1)

	recvCap := int(t.conf.IntOr(conf.TopologyExecutorReceiveBufferSize, 1024))
	high := t.conf.FloatOr(conf.BackpressureDisruptorHighWatermark, 0.9)
	low := t.conf.FloatOr(conf.BackpressureDisruptorLowWatermark, 0.4)
	rate := stats.Rate(t.conf.FloatOr(conf.TopologyStatsSampleRate, 0.05))
	interval := secs(t.conf.IntOr(conf.TopologyErrorThrottleIntervalSecs, 10))
	maxErrors := t.conf.IntOr(conf.TopologyMaxErrorReportPerInterval, 5)

	for i, id := range ids {
		compID := w.componentOf(id.Start)
		ci := t.comps[compID]
		if ci == nil {
			return fmt.Errorf("worker: executor %s: unknown task %d", id, id.Start)
		}
		for _, task := range id.Tasks() {
			if w.componentOf(task) != compID {
				return fmt.Errorf("worker: executor %s spans components %s and %s", id, compID, w.componentOf(task))
			}
		}
		x := &executor{
			w:     w,
			id:    id,
			idx:   i,
			comp:  ci,
			conf:  ci.conf,
			log:   w.log.With("component", compID, "executor", id.String()),
			rng:   rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
			codec: tuple.NewGaleCodec(),
			calls: make(chan func()),
			errs:  errorThrottle{interval: interval, max: maxErrors},
		}
		x.inbox = newQueue[envelope](queueOptions{
			Capacity: recvCap, Hard: 64 * recvCap, High: high, Low: low, OnCongested: w.onCongested,
		})
		if ci.kind == kindSpout {
			x.stats = stats.NewSpout(rate)
			limit := pending.Limit(ci.conf.IntOr(conf.TopologyMaxSpoutPending, 0), len(id.Tasks()))
			x.pending = pending.New(pending.Options{MaxPending: limit})
		} else {
			x.stats = stats.NewBolt(rate)
			x.started = map[*tuple.Tuple]int64{}
		}
		x.rec = stats.NewRecorder(x.stats)
		x.sampleEvery = int64(rate)
		x.debugOn = ci.conf.BoolOr(conf.TopologyDebug, false)
		w.execs = append(w.execs, x)
		for _, task := range id.Tasks() {
			if task >= 0 {
				w.byTask[task] = x
			}
		}
	}

	cyc := cyclicEdges(t)
	outbound := map[int32]bool{}
	for _, x := range w.execs {
		if err := x.buildRoutes(); err != nil {
			return err
		}
		for _, r := range x.routes {
			for _, tg := range r.targets {
				for _, task := range t.compTasks[tg.component] {
					if !local[task] {
						outbound[task] = true
					}
				}
			}
		}
		x.out.local = make([][]envelope, len(w.execs))
		x.out.noWait = make([]bool, len(w.execs))
		for i, y := range w.execs {
			x.out.noWait[i] = cyc[x.comp.id][y.comp.id]
		}
		x.out.remote = map[*remote]*remoteBatch{}
	}
	w.outbound = sortedTasks(outbound)

	for _, x := range w.execs {
		for _, task := range x.id.Tasks() {
			tk, err := w.newTask(x, task)
			if err != nil {
				return err
			}
			x.tasks = append(x.tasks, tk)
		}
	}
	return nil
}

func (w *worker) newTask(x *executor, id int32) (*task, error) {
	t := w.topo
	tk := &task{id: id, x: x}
	tk.ctx = storm.NewTopologyContext(storm.TopologyContextConfig{
		StormID:         t.stormID,
		TaskID:          id,
		ComponentID:     x.comp.id,
		TaskToComponent: t.taskComp,
		StreamFields:    t.userFields,
		Sources:         t.userSources,
		WorkerPort:      w.cfg.Port,
		WorkerTasks:     w.localTasks,
		ResourcesDir:    w.resourcesDir(),
	})
	if x.comp.kind != kindSpout && x.comp.kind != kindBolt {
		return tk, nil // the acker and the system bolts are the executor's own
	}
	spout, bolt, err := w.newComponent(x, id)
	if err != nil {
		return nil, &componentError{component: x.comp.id, err: fmt.Errorf("worker: component %s task %d: %w", x.comp.id, id, err)}
	}
	tk.spout, tk.bolt = spout, bolt
	return tk, nil
}

// newComponent creates the component instance of one task (task.clj get-task-object), as
// components.Resolve classifies its ComponentObject:
//
//	Go component  → Config.Components (by JavaObject.full_class_name; arguments are not passed)
//	shell         → a multilang subprocess (package shellhost), see shell.go
//	built-in      → Storm's test components natively, see builtin.go
//	anything else → *NeedsJVMError
func (w *worker) newComponent(x *executor, task int32) (storm.Spout, storm.Bolt, error) {
	ci := x.comp
	isSpout := ci.kind == kindSpout
	spec, err := components.Resolve(ci.object, isSpout)
	if err != nil {
		var nj *components.NeedsJVMError
		if errors.As(err, &nj) {
			return nil, nil, &NeedsJVMError{ComponentID: ci.id, Class: nj.Class, Reason: nj.Reason}
		}
		return nil, nil, fmt.Errorf("%w: %w", ErrUnsupportedComponent, err)
	}
	switch s := spec.(type) {
	case *components.GoComponent:
		if w.cfg.Components == nil {
			return nil, nil, &NeedsJVMError{ComponentID: ci.id, Class: s.Name, Reason: "no Go components are registered in this worker"}
		}
		var nr *storm.NotRegisteredError
		if isSpout {
			sp, err := w.cfg.Components.NewSpout(s.Name)
			if errors.As(err, &nr) {
				return nil, nil, &NeedsJVMError{ComponentID: ci.id, Class: s.Name, Reason: "no Go spout is registered under that name"}
			}
			return sp, nil, err
		}
		b, err := w.cfg.Components.NewBolt(s.Name)
		if errors.As(err, &nr) {
			return nil, nil, &NeedsJVMError{ComponentID: ci.id, Class: s.Name, Reason: "no Go bolt is registered under that name"}
		}
		return nil, b, err
	case *components.Shell:
		if isSpout {
			return newShellSpout(x, s), nil, nil
		}
		return nil, newShellBolt(x, s), nil
	case *components.Builtin:
		if isSpout {
			return newBuiltinSpout(x, s), nil, nil
		}
		logic, err := s.Bolt()
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrUnsupportedComponent, err)
		}
		return nil, &builtinBolt{x: x, logic: logic}, nil
	}
	return nil, nil, fmt.Errorf("%w: unknown component spec %T", ErrUnsupportedComponent, spec)
}

// customGrouping resolves custom_object groupings through the component factory.
func (w *worker) customGrouping(name string) (storm.CustomStreamGrouping, error) {
	if w.cfg.Components == nil {
		return nil, &NeedsJVMError{Class: name, Reason: "no Go components are registered in this worker"}
	}
	return w.cfg.Components.NewGrouping(name)
}

func (w *worker) resourcesDir() string { return filepath.Join(w.cfg.CodeDir, ResourcesDir) }
