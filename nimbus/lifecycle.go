package nimbus

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// Topology lifecycle: Storm's state-transitions table (nimbus.clj).
//
//	            activate      inactivate   rebalance        kill           startup         remove / do-rebalance
//	ACTIVE      (no-op)       INACTIVE     REBALANCING(*)   KILLED(*)      -               -
//	INACTIVE    ACTIVE        (no-op)      REBALANCING(*)   KILLED(*)      -               -
//	KILLED      -             -            -                KILLED(*)      re-delay remove remove: delete the topology
//	REBALANCING -             -            -                KILLED(*)      re-delay        do-rebalance: apply, reschedule, prev_status
//
// (*) schedules the delayed event (remove / do-rebalance) after wait_secs,
// default topology.message.timeout.secs. "-" is "No transition for event",
// an error for client calls and a log line for delayed/system events.

type event string

const (
	evActivate    event = "activate"
	evInactivate  event = "inactivate"
	evRebalance   event = "rebalance"
	evKill        event = "kill"
	evStartup     event = "startup"
	evRemove      event = "remove"
	evDoRebalance event = "do-rebalance"
)

// eventArgs carries the arguments of kill and rebalance.
type eventArgs struct {
	waitSecs   *int32
	numWorkers *int32
	executors  map[string]int32
}

// KillTopology kills with the default wait.
func (n *Nimbus) KillTopology(ctx context.Context, name string) error {
	return n.KillTopologyWithOpts(ctx, name, &stormthrift.KillOptions{})
}

// KillTopologyWithOpts sets the topology KILLED and removes it after the
// wait (killTopologyWithOpts).
func (n *Nimbus) KillTopologyWithOpts(ctx context.Context, name string, opts *stormthrift.KillOptions) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	id, _, err := n.stormIDByName(ctx, name)
	if err != nil {
		return internalError("look up %s: %v", name, err)
	}
	if id == "" {
		return notAlive(name + " is not alive")
	}
	td, err := n.topo(ctx, id)
	if err != nil {
		return err
	}
	var args eventArgs
	if opts != nil && opts.IsSetWaitSecs() {
		args.waitSecs = ptr(opts.GetWaitSecs())
	}
	if err := n.transition(ctx, id, evKill, args, true); err != nil {
		return err
	}
	n.history.add(id, n.nowSecs(), logsUsers(td.conf), logsGroups(td.conf), n.log)
	n.log.Info("killed topology", "topology", name, "storm_id", id)
	return nil
}

// Activate is inactive -> active.
func (n *Nimbus) Activate(ctx context.Context, name string) error {
	return n.transitionByName(ctx, name, evActivate, eventArgs{})
}

// Deactivate is active -> inactive.
func (n *Nimbus) Deactivate(ctx context.Context, name string) error {
	return n.transitionByName(ctx, name, evInactivate, eventArgs{})
}

// Rebalance sets REBALANCING and, after the wait, applies the new worker
// and executor counts and reschedules the topology from scratch.
func (n *Nimbus) Rebalance(ctx context.Context, name string, opts *stormthrift.RebalanceOptions) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	var args eventArgs
	if opts != nil {
		if opts.IsSetWaitSecs() {
			args.waitSecs = ptr(opts.GetWaitSecs())
		}
		if opts.IsSetNumWorkers() {
			args.numWorkers = ptr(opts.GetNumWorkers())
		}
		args.executors = opts.GetNumExecutors()
	}
	for _, k := range args.executors {
		if k <= 0 {
			return invalidTopology("Number of executors must be greater than 0")
		}
	}
	if args.executors == nil {
		args.executors = map[string]int32{}
	}
	return n.transitionByName(ctx, name, evRebalance, args)
}

func (n *Nimbus) transitionByName(ctx context.Context, name string, ev event, args eventArgs) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	id, _, err := n.stormIDByName(ctx, name)
	if err != nil {
		return internalError("look up %s: %v", name, err)
	}
	if id == "" {
		return notAlive(name)
	}
	if _, err := n.topo(ctx, id); err != nil {
		return err
	}
	return n.transition(ctx, id, ev, args, true)
}

// transition applies ev to the topology's StormBase under the submit lock
// (transition!). A topology that no longer exists is logged and ignored.
func (n *Nimbus) transition(ctx context.Context, id string, ev event, args eventArgs, errorOnNoTransition bool) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	n.submitMu.Lock()
	defer n.submitMu.Unlock()
	log := n.log.With("storm_id", id, "event", string(ev))
	base, err := n.state.StormBase(ctx, id)
	if err != nil {
		return internalError("read storm base %s: %v", id, err)
	}
	if base == nil {
		log.Info("cannot apply event: topology no longer exists")
		return nil
	}
	status := base.GetStatus()
	noTransition := func() error {
		msg := fmt.Sprintf("No transition for event: :%s, status: {:type :%s} storm-id: %s",
			ev, strings.ToLower(status.String()), id)
		if errorOnNoTransition {
			return internalError("%s", msg)
		}
		if ev != evStartup {
			log.Info(msg)
		}
		return nil
	}
	updated := false
	switch {
	case ev == evKill:
		delay, err := n.delaySecs(ctx, id, args.waitSecs)
		if err != nil {
			return err
		}
		n.delays.schedule(id, evRemove, delay)
		base.Status = stormthrift.TopologyStatus_KILLED
		base.TopologyActionOptions = &stormthrift.TopologyActionOptions{
			KillOptions: &stormthrift.KillOptions{WaitSecs: ptr(int32(delay))},
		}
		updated = true
	case ev == evRebalance && (status == stormthrift.TopologyStatus_ACTIVE || status == stormthrift.TopologyStatus_INACTIVE):
		delay, err := n.delaySecs(ctx, id, args.waitSecs)
		if err != nil {
			return err
		}
		n.delays.schedule(id, evDoRebalance, delay)
		ro := &stormthrift.RebalanceOptions{WaitSecs: ptr(int32(delay)), NumWorkers: args.numWorkers}
		if args.executors != nil {
			ro.NumExecutors = maps.Clone(args.executors)
		}
		base.PrevStatus = ptr(status)
		base.Status = stormthrift.TopologyStatus_REBALANCING
		base.TopologyActionOptions = &stormthrift.TopologyActionOptions{RebalanceOptions: ro}
		updated = true
	case ev == evActivate && status == stormthrift.TopologyStatus_INACTIVE:
		base.Status = stormthrift.TopologyStatus_ACTIVE
		updated = true
	case ev == evInactivate && status == stormthrift.TopologyStatus_ACTIVE:
		base.Status = stormthrift.TopologyStatus_INACTIVE
		updated = true
	case ev == evActivate && status == stormthrift.TopologyStatus_ACTIVE,
		ev == evInactivate && status == stormthrift.TopologyStatus_INACTIVE:
		return nil // no-op
	case ev == evStartup && status == stormthrift.TopologyStatus_KILLED:
		n.delays.schedule(id, evRemove, int64(killOptions(base).GetWaitSecs()))
		return nil
	case ev == evStartup && status == stormthrift.TopologyStatus_REBALANCING:
		n.delays.schedule(id, evDoRebalance, int64(rebalanceOptions(base).GetWaitSecs()))
		return nil
	case ev == evRemove && status == stormthrift.TopologyStatus_KILLED:
		return n.removeTopology(ctx, id)
	case ev == evDoRebalance && status == stormthrift.TopologyStatus_REBALANCING:
		return n.doRebalance(ctx, id, base)
	default:
		return noTransition()
	}
	if updated {
		if err := n.state.SetStormBase(ctx, id, base); err != nil {
			return internalError("write storm base %s: %v", id, err)
		}
		log.Info("topology transition", "status", base.GetStatus().String())
	}
	return nil
}

// delaySecs is the wait of kill/rebalance: the option, else the
// topology's topology.message.timeout.secs.
func (n *Nimbus) delaySecs(ctx context.Context, id string, wait *int32) (int64, error) {
	if wait != nil {
		return int64(*wait), nil
	}
	td, err := n.topo(ctx, id)
	if err != nil {
		return 0, err
	}
	return td.conf.IntOr(conf.TopologyMessageTimeoutSecs, 30), nil
}

// doRebalance applies the pending rebalance options, reschedules the
// topology with its old slots treated as free, and restores prev_status.
// Called with submitMu held.
func (n *Nimbus) doRebalance(ctx context.Context, id string, base *stormthrift.StormBase) error {
	ro := rebalanceOptions(base)
	{
		if ro.IsSetNumWorkers() {
			base.NumWorkers = ro.GetNumWorkers()
		}
		if len(ro.GetNumExecutors()) > 0 {
			if base.ComponentExecutors == nil {
				base.ComponentExecutors = map[string]int32{}
			}
			maps.Copy(base.ComponentExecutors, ro.GetNumExecutors())
		}
	}
	base.TopologyActionOptions = nil
	if err := n.state.SetStormBase(ctx, id, base); err != nil {
		return internalError("write storm base %s: %v", id, err)
	}
	if err := n.mkAssignmentsLocked(ctx, id); err != nil {
		n.log.Warn("assignment after rebalance failed", "storm_id", id, "err", err)
	}
	if base.IsSetPrevStatus() {
		base.Status = base.GetPrevStatus()
	} else {
		base.Status = stormthrift.TopologyStatus_ACTIVE
	}
	if err := n.state.SetStormBase(ctx, id, base); err != nil {
		return internalError("write storm base %s: %v", id, err)
	}
	n.log.Info("rebalanced topology", "storm_id", id, "workers", base.GetNumWorkers(), "status", base.GetStatus().String())
	return nil
}

// removeTopology is the :remove transition (remove-storm! plus the blob
// store ZK entries). The blobs, heartbeats, errors and backpressure nodes
// go in the next cleanup pass. Called with submitMu held.
func (n *Nimbus) removeTopology(ctx context.Context, id string) error {
	n.log.Info("removing topology", "storm_id", id)
	if err := n.state.RemoveAssignment(ctx, id); err != nil {
		return internalError("remove assignment %s: %v", id, err)
	}
	for _, p := range []string{"/credentials/" + id, "/logconfigs/" + id, "/profilerconfigs/" + id} {
		if err := store.DeleteAll(ctx, n.store, p); err != nil {
			return internalError("remove %s: %v", p, err)
		}
	}
	if err := n.state.RemoveStormBase(ctx, id); err != nil {
		return internalError("remove storm base %s: %v", id, err)
	}
	for _, k := range topoKeys(id) {
		if err := n.state.RemoveBlobstoreKey(ctx, k); err != nil {
			n.log.Warn("remove blob store key", "key", k, "err", err)
		}
		if err := n.state.RemoveKeyVersion(ctx, k); err != nil {
			n.log.Warn("remove blob key version", "key", k, "err", err)
		}
	}
	n.delays.cancel(id)
	n.triggerAssignments() // runs the cleanup pass too
	return nil
}

// Debug turns event logging on/off for a topology (component "") or one
// component, merged into StormBase.component_debug.
func (n *Nimbus) Debug(ctx context.Context, name, component string, enable bool, samplingPercentage float64) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	id, _, err := n.stormIDByName(ctx, name)
	if err != nil {
		return internalError("look up %s: %v", name, err)
	}
	if id == "" {
		return notAlive(name)
	}
	pct := max(min(samplingPercentage, 100), 0)
	key := component
	if key == "" {
		key = id
	}
	n.submitMu.Lock()
	defer n.submitMu.Unlock()
	base, err := n.state.StormBase(ctx, id)
	if err != nil {
		return internalError("read storm base %s: %v", id, err)
	}
	if base == nil {
		return notAlive(name)
	}
	if base.ComponentDebug == nil {
		base.ComponentDebug = map[string]*stormthrift.DebugOptions{}
	}
	old := base.ComponentDebug[key]
	d := &stormthrift.DebugOptions{Enable: ptr(enable)}
	if enable {
		d.Samplingpct = ptr(pct)
	} else if old != nil && old.IsSetSamplingpct() {
		d.Samplingpct = ptr(old.GetSamplingpct())
	} else {
		d.Samplingpct = ptr(10.0)
	}
	base.ComponentDebug[key] = d
	if err := n.state.SetStormBase(ctx, id, base); err != nil {
		return internalError("write storm base %s: %v", id, err)
	}
	n.log.Info("set debug", "storm_id", id, "component", component, "enable", enable, "pct", pct)
	return nil
}

// stormIDByName finds the topology id of a name by scanning /storms
// (get-storm-id); "" if there is none.
func (n *Nimbus) stormIDByName(ctx context.Context, name string) (string, *stormthrift.StormBase, error) {
	ids, err := n.state.StormIDs(ctx)
	if err != nil {
		return "", nil, err
	}
	for _, id := range ids {
		b, err := n.state.StormBase(ctx, id)
		if err != nil {
			return "", nil, err
		}
		if b != nil && b.GetName() == name {
			return id, b, nil
		}
	}
	return "", nil, nil
}

// startupTransitions resumes the pending actions of KILLED and
// REBALANCING topologies (the :startup event), run on gaining leadership.
func (n *Nimbus) startupTransitions(ctx context.Context) {
	ids, err := n.state.StormIDs(ctx)
	if err != nil {
		n.log.Warn("startup transitions: list storms", "err", err)
		return
	}
	for _, id := range ids {
		if err := n.transition(ctx, id, evStartup, eventArgs{}, false); err != nil {
			n.log.Warn("startup transition failed", "storm_id", id, "err", err)
		}
	}
}

// fireDelayed runs a delayed event (delay-event).
func (n *Nimbus) fireDelayed(ctx context.Context, id string, ev event) {
	if err := n.transition(ctx, id, ev, eventArgs{}, false); err != nil {
		n.log.Warn("delayed transition failed", "storm_id", id, "event", string(ev), "err", err)
	}
}

// killOptions / rebalanceOptions read StormBase.topology_action_options;
// never nil (the generated getters are not nil-safe).
func killOptions(b *stormthrift.StormBase) *stormthrift.KillOptions {
	if b.TopologyActionOptions != nil && b.TopologyActionOptions.KillOptions != nil {
		return b.TopologyActionOptions.KillOptions
	}
	return &stormthrift.KillOptions{}
}

func rebalanceOptions(b *stormthrift.StormBase) *stormthrift.RebalanceOptions {
	if b.TopologyActionOptions != nil && b.TopologyActionOptions.RebalanceOptions != nil {
		return b.TopologyActionOptions.RebalanceOptions
	}
	return &stormthrift.RebalanceOptions{}
}
