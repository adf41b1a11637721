package nimbus

import (
	"context"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// defaultWindow is the UI's window when none is given.
const defaultWindow = ":all-time"

// inputs lists the assignment's executors with their beats; host is the
// node id (topology page) or the host name (component page).
func (v *topoView) inputs(useHost bool) []execInput {
	var out []execInput
	for _, e := range v.execs() {
		s := v.slots[e]
		comp := v.td.executorComponent(e)
		in := execInput{exec: e, comp: comp, host: s.Node, port: s.Port}
		if useHost {
			in.host = v.host(s.Node)
		}
		if b := v.beats[e]; b != nil {
			in.uptime = ptr(b.uptime)
			in.stats = b.stats
		}
		switch {
		case boltOf(in.stats) != nil:
			in.bolt = true
		case spoutOf(in.stats) != nil:
			in.bolt = false
		default:
			t, ok := componentType(v.td.system, comp)
			if !ok {
				continue
			}
			in.bolt = t == stormthrift.ComponentType_BOLT
		}
		out = append(out, in)
	}
	return out
}

// GetTopologyPageInfo aggregates the topology's executor stats for the UI
// topology page.
func (n *Nimbus) GetTopologyPageInfo(ctx context.Context, id, window string, includeSys bool) (*stormthrift.TopologyPageInfo, error) {
	if window == "" {
		window = defaultWindow
	}
	v, err := n.topoView(ctx, id)
	if err != nil {
		return nil, err
	}
	lastErr := func(comp string) *stormthrift.ErrorInfo {
		e, err := n.state.LastError(ctx, id, comp)
		if err != nil {
			return nil
		}
		return e
	}
	page := aggTopoPage(id, v.inputs(false), len(v.td.taskComp), len(v.slots), window, includeSys, lastErr)
	page.Name = ptr(v.base.GetName())
	page.Status = ptr(v.base.GetStatus().String())
	page.UptimeSecs = ptr(n.uptime(v.base.GetLaunchTimeSecs()))
	if v.base.IsSetOwner() {
		page.Owner = ptr(v.base.GetOwner())
	}
	b, err := conf.ToJSON(v.td.conf)
	if err != nil {
		return nil, internalError("encode conf of %s: %v", id, err)
	}
	page.TopologyConf = ptr(string(b))
	page.ReplicationCount = ptr(n.replication(ctx, codeKey(id)))
	if d, ok := v.base.GetComponentDebug()[id]; ok {
		page.DebugOptions = fullDebug(d)
	}
	return page, nil
}

// GetComponentPageInfo aggregates one component's executor stats for the
// UI component page.
func (n *Nimbus) GetComponentPageInfo(ctx context.Context, id, component, window string, includeSys bool) (*stormthrift.ComponentPageInfo, error) {
	if window == "" {
		window = defaultWindow
	}
	v, err := n.topoView(ctx, id)
	if err != nil {
		return nil, err
	}
	typ, ok := componentType(v.td.system, component)
	if !ok {
		return nil, notAlive(id + " has no component " + component)
	}
	page := aggCompPage(id, component, typ == stormthrift.ComponentType_BOLT, v.inputs(true), window, includeSys)
	page.TopologyName = ptr(v.base.GetName())
	page.TopologyStatus = ptr(v.base.GetStatus().String())
	errs, err := n.state.Errors(ctx, id, component)
	if err != nil {
		return nil, internalError("read errors %s/%s: %v", id, component, err)
	}
	if errs == nil {
		errs = []*stormthrift.ErrorInfo{}
	}
	page.Errors = errs
	if d, ok := v.base.GetComponentDebug()[component]; ok {
		page.DebugOptions = fullDebug(d)
	}
	if task, ok := eventLoggerTask(component, v.td.compTasks["__eventlogger"]); ok {
		for e, s := range v.slots {
			if e.Start <= task && task <= e.End {
				page.EventlogHost = ptr(v.host(s.Node))
				page.EventlogPort = ptr(int32(s.Port))
				break
			}
		}
	}
	return page, nil
}
