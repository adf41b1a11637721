package nimbus

import (
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/nimbus/scheduler"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// topoView is get-common-topo-info: what the info calls need about one
// topology.
type topoView struct {
	id    string
	td    *topoData
	base  *stormthrift.StormBase
	asg   *stormthrift.Assignment // nil before the first assignment
	slots map[topology.ExecutorID]scheduler.Slot
	beats map[topology.ExecutorID]*execBeat
}

func (n *Nimbus) topoView(ctx context.Context, id string) (*topoView, error) {
	td, err := n.topo(ctx, id)
	if err != nil {
		return nil, err
	}
	base, err := n.state.StormBase(ctx, id)
	if err != nil {
		return nil, internalError("read storm base %s: %v", id, err)
	}
	if base == nil {
		return nil, notAlive(id)
	}
	v := &topoView{id: id, td: td, base: base, slots: map[topology.ExecutorID]scheduler.Slot{}, beats: map[topology.ExecutorID]*execBeat{}}
	a, _, err := n.state.Assignment(ctx, id)
	if err != nil {
		return nil, internalError("read assignment %s: %v", id, err)
	}
	if a != nil {
		v.asg = a
		v.slots, _ = assignmentSlots(a)
		v.beats, err = n.readExecutorBeats(ctx, id, v.slots)
		if err != nil {
			return nil, internalError("read heartbeats %s: %v", id, err)
		}
	}
	return v, nil
}

// host is node_host[node], falling back to the node id.
func (v *topoView) host(node string) string {
	if v.asg != nil {
		if h, ok := v.asg.NodeHost[node]; ok {
			return h
		}
	}
	return node
}

func (v *topoView) execs() []topology.ExecutorID {
	return slices.SortedFunc(maps.Keys(v.slots), cmpExec)
}

func (n *Nimbus) uptime(launch int32) int32 {
	return int32(n.nowSecs() - int64(launch))
}

// GetClusterInfo lists supervisors, nimbuses and topologies.
func (n *Nimbus) GetClusterInfo(ctx context.Context) (*stormthrift.ClusterSummary, error) {
	now := n.nowSecs()
	sum := &stormthrift.ClusterSummary{
		Supervisors:      []*stormthrift.SupervisorSummary{},
		Topologies:       []*stormthrift.TopologySummary{},
		Nimbuses:         []*stormthrift.NimbusSummary{},
		NimbusUptimeSecs: int32(now - n.started.Unix()),
	}
	sids, err := n.state.SupervisorIDs(ctx)
	if err != nil {
		return nil, internalError("list supervisors: %v", err)
	}
	slices.Sort(sids)
	for _, sid := range sids {
		info, err := n.state.SupervisorInfo(ctx, sid)
		if err != nil || info == nil {
			continue
		}
		ports := map[int64]bool{}
		for _, p := range info.GetMeta() {
			ports[p] = true
		}
		s := &stormthrift.SupervisorSummary{
			Host:           info.GetHostname(),
			UptimeSecs:     int32(info.GetUptimeSecs()),
			NumWorkers:     int32(len(ports)),
			NumUsedWorkers: int32(len(info.GetUsedPorts())),
			SupervisorID:   sid,
			TotalResources: map[string]float64{},
		}
		maps.Copy(s.TotalResources, info.GetResourcesMap())
		if info.IsSetVersion() {
			s.Version = info.GetVersion()
		}
		sum.Supervisors = append(sum.Supervisors, s)
	}

	leader, _ := n.latch.Leader(ctx)
	nimbuses, err := n.state.NimbusSummaries(ctx)
	if err != nil {
		return nil, internalError("list nimbuses: %v", err)
	}
	self := false
	for _, ns := range nimbuses {
		if ns == nil {
			continue
		}
		hp := ns.GetHost() + ":" + strconv.Itoa(int(ns.GetPort()))
		ns.UptimeSecs = int32(now - int64(ns.GetUptimeSecs()))
		ns.IsLeader = hp == leader
		if hp == n.hostPort {
			self = true
		}
		sum.Nimbuses = append(sum.Nimbuses, ns)
	}
	if !self {
		ns := n.summary()
		ns.UptimeSecs = int32(now - n.started.Unix())
		ns.IsLeader = n.hostPort == leader
		sum.Nimbuses = append(sum.Nimbuses, ns)
	}

	ids, err := n.state.StormIDs(ctx)
	if err != nil {
		return nil, internalError("list storms: %v", err)
	}
	slices.Sort(ids)
	for _, id := range ids {
		base, err := n.state.StormBase(ctx, id)
		if err != nil || base == nil {
			continue
		}
		ts := &stormthrift.TopologySummary{
			ID:         id,
			Name:       base.GetName(),
			UptimeSecs: n.uptime(base.GetLaunchTimeSecs()),
			Status:     base.GetStatus().String(),
		}
		if a, _, err := n.state.Assignment(ctx, id); err == nil && a != nil {
			slots, _ := assignmentSlots(a)
			used := map[scheduler.Slot]bool{}
			for e, s := range slots {
				ts.NumTasks += e.End - e.Start + 1
				used[s] = true
			}
			ts.NumExecutors = int32(len(slots))
			ts.NumWorkers = int32(len(used))
		}
		if base.IsSetOwner() {
			ts.Owner = ptr(base.GetOwner())
		}
		ts.ReplicationCount = ptr(n.replication(ctx, codeKey(id)))
		sum.Topologies = append(sum.Topologies, ts)
	}
	return sum, nil
}

func (n *Nimbus) replication(ctx context.Context, key string) int32 {
	r, err := n.blobs.Replication(ctx, key)
	if err != nil {
		return 0
	}
	return int32(r)
}

// GetTopologyInfo is getTopologyInfoWithOpts with all errors.
func (n *Nimbus) GetTopologyInfo(ctx context.Context, id string) (*stormthrift.TopologyInfo, error) {
	return n.GetTopologyInfoWithOpts(ctx, id, &stormthrift.GetInfoOptions{NumErrChoice: ptr(stormthrift.NumErrorsChoice_ALL)})
}

// GetTopologyInfoWithOpts describes a topology's executors (with their
// latest stats) and errors.
func (n *Nimbus) GetTopologyInfoWithOpts(ctx context.Context, id string, opts *stormthrift.GetInfoOptions) (*stormthrift.TopologyInfo, error) {
	v, err := n.topoView(ctx, id)
	if err != nil {
		return nil, err
	}
	choice := stormthrift.NumErrorsChoice_ALL
	if opts != nil && opts.IsSetNumErrChoice() {
		choice = opts.GetNumErrChoice()
	}
	info := &stormthrift.TopologyInfo{
		ID:         id,
		Name:       v.td.conf.StringOr(conf.TopologyName, v.base.GetName()),
		UptimeSecs: n.uptime(v.base.GetLaunchTimeSecs()),
		Executors:  []*stormthrift.ExecutorSummary{},
		Status:     v.base.GetStatus().String(),
		Errors:     map[string][]*stormthrift.ErrorInfo{},
	}
	for _, comp := range v.td.comps {
		var errs []*stormthrift.ErrorInfo
		switch choice {
		case stormthrift.NumErrorsChoice_NONE:
		case stormthrift.NumErrorsChoice_ONE:
			e, err := n.state.LastError(ctx, id, comp)
			if err != nil {
				return nil, internalError("read last error %s/%s: %v", id, comp, err)
			}
			if e != nil {
				errs = append(errs, e)
			}
		default:
			errs, err = n.state.Errors(ctx, id, comp)
			if err != nil {
				return nil, internalError("read errors %s/%s: %v", id, comp, err)
			}
		}
		if errs == nil {
			errs = []*stormthrift.ErrorInfo{}
		}
		info.Errors[comp] = errs
	}
	for _, e := range v.execs() {
		s := v.slots[e]
		es := &stormthrift.ExecutorSummary{
			ExecutorInfo: &stormthrift.ExecutorInfo{TaskStart: e.Start, TaskEnd: e.End},
			ComponentID:  v.td.executorComponent(e),
			Host:         v.host(s.Node),
			Port:         int32(s.Port),
		}
		if b := v.beats[e]; b != nil {
			es.UptimeSecs = b.uptime
			es.Stats = b.stats
		}
		info.Executors = append(info.Executors, es)
	}
	if v.base.IsSetOwner() {
		info.Owner = ptr(v.base.GetOwner())
	}
	if v.base.ComponentDebug != nil {
		info.ComponentDebug = map[string]*stormthrift.DebugOptions{}
		for k, d := range v.base.ComponentDebug {
			info.ComponentDebug[k] = fullDebug(d)
		}
	}
	info.ReplicationCount = ptr(n.replication(ctx, codeKey(id)))
	return info, nil
}

// fullDebug is thriftify-debugoptions: enable defaults to false and
// samplingpct to 10.
func fullDebug(d *stormthrift.DebugOptions) *stormthrift.DebugOptions {
	out := &stormthrift.DebugOptions{Enable: ptr(false), Samplingpct: ptr(10.0)}
	if d != nil && d.IsSetEnable() {
		out.Enable = ptr(d.GetEnable())
	}
	if d != nil && d.IsSetSamplingpct() {
		out.Samplingpct = ptr(d.GetSamplingpct())
	}
	return out
}

// GetTopologyConf returns the topology's total conf as JSON.
func (n *Nimbus) GetTopologyConf(ctx context.Context, id string) (string, error) {
	td, err := n.topo(ctx, id)
	if err != nil {
		return "", err
	}
	b, err := conf.ToJSON(td.conf)
	if err != nil {
		return "", internalError("encode conf of %s: %v", id, err)
	}
	return string(b), nil
}

// GetTopology returns the system topology (with __acker etc.).
func (n *Nimbus) GetTopology(ctx context.Context, id string) (*stormthrift.StormTopology, error) {
	td, err := n.topo(ctx, id)
	if err != nil {
		return nil, err
	}
	return td.system, nil
}

// GetUserTopology returns the topology as submitted (normalized).
func (n *Nimbus) GetUserTopology(ctx context.Context, id string) (*stormthrift.StormTopology, error) {
	td, err := n.topo(ctx, id)
	if err != nil {
		return nil, err
	}
	return td.user, nil
}

// GetNimbusConf returns the daemon conf as JSON.
func (n *Nimbus) GetNimbusConf(ctx context.Context) (string, error) {
	b, err := conf.ToJSON(n.conf)
	if err != nil {
		return "", internalError("encode nimbus conf: %v", err)
	}
	return string(b), nil
}

// GetTopologyHistory lists the assigned and killed topologies user may see
// ("" sees all). Group membership is not resolved (no group mapping).
func (n *Nimbus) GetTopologyHistory(ctx context.Context, user string) (*stormthrift.TopologyHistoryInfo, error) {
	admins := stringList(n.conf[conf.NimbusAdmins])
	ids, err := n.state.AssignmentIDs(ctx)
	if err != nil {
		return nil, internalError("list assignments: %v", err)
	}
	slices.Sort(ids)
	var out []string
	for _, id := range ids {
		if user == "" || slices.Contains(admins, user) {
			out = append(out, id)
			continue
		}
		td, err := n.topo(ctx, id)
		if err != nil {
			continue
		}
		if slices.Contains(logsUsers(td.conf), user) {
			out = append(out, id)
		}
	}
	out = append(out, n.history.visible(user, admins)...)
	return &stormthrift.TopologyHistoryInfo{TopoIds: distinct(out)}, nil
}
