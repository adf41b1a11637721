package worker

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
	"github.com/galeproject/gale/worker/grouping"
	"github.com/galeproject/gale/worker/tuple"
)

// Files of a topology's code directory (supervisor stormdist/<id>).
const (
	StormCodeFile = "stormcode.ser" // gzip-thrift normalized user StormTopology
	StormConfFile = "stormconf.ser" // gzip JSON topology conf
	ResourcesDir  = "resources"
)

// compKind says how a component runs.
type compKind uint8

const (
	kindSpout compKind = iota + 1
	kindBolt
	kindAcker
	kindSystem
	kindEventLogger
)

// streamDecl is a declared output stream.
type streamDecl struct {
	fields *tuple.Fields
	direct bool
}

// subscriber is one component subscribing to a stream.
type subscriber struct {
	component string
	spec      grouping.Spec
}

// compInfo is everything the worker knows about one component of the system topology.
type compInfo struct {
	id      string
	kind    compKind
	object  *stormthrift.ComponentObject
	streams map[string]streamDecl
	// subscribers of each output stream, sorted by component id.
	subscribers map[string][]subscriber
	inputs      []grouping.StreamID // sorted
	conf        conf.Conf           // the executor conf: topology conf + allowed component keys
	tasks       []int32
}

// topo is the topology as this worker sees it: immutable after load, shared by all goroutines.
type topo struct {
	stormID      string
	conf         conf.Conf                  // topology conf (daemon conf + stormconf.ser)
	user         *stormthrift.StormTopology // as submitted (normalized): what components see
	system       *stormthrift.StormTopology
	taskComp     map[int32]string
	compTasks    map[string][]int32
	comps        map[string]*compInfo
	streamFields map[string]map[string]*tuple.Fields // every component and stream of the system topology
	// userFields and userSources describe the user topology only, as a Storm component's
	// TopologyContext does (no acker, metrics or system streams).
	userFields  map[string]map[string]*tuple.Fields
	userSources map[string][]storm.GlobalStreamID
	hasAckers   bool
}

// componentConfKeys are the Storm keys a component's json_conf may set for its executors
// (executor.clj normalized-component-conf).
func componentConfKeys() []string {
	return []string{conf.TopologyDebug, conf.TopologyMaxSpoutPending, conf.TopologyMaxTaskParallelism,
		conf.TopologyTransactionalID, conf.TopologyTickTupleFreqSecs, conf.TopologySleepSpoutWaitStrategyTimeMs,
		conf.TopologySpoutWaitStrategy, "topology.bolts.window.length.count", "topology.bolts.window.length.duration.ms",
		"topology.bolts.sliding.interval.count", "topology.bolts.sliding.interval.duration.ms",
		"topology.bolts.tuple.timestamp.field.name", "topology.bolts.tuple.timestamp.max.lag.ms",
		"topology.bolts.message.id.field.name", "topology.state.provider", "topology.state.provider.config",
	}
}

// readCode reads stormconf.ser and stormcode.ser from dir; the topology conf is the daemon conf
// with stormconf.ser merged over it.
func readCode(dir string, daemonConf conf.Conf) (conf.Conf, *stormthrift.StormTopology, error) {
	b, err := os.ReadFile(filepath.Join(dir, StormConfFile))
	if err != nil {
		return nil, nil, fmt.Errorf("worker: read topology conf: %w", err)
	}
	m, err := compat.GunzipJSON(b)
	if err != nil {
		return nil, nil, fmt.Errorf("worker: decode %s: %w", StormConfFile, err)
	}
	topoConf := daemonConf.Merge(conf.Conf(m))
	b, err = os.ReadFile(filepath.Join(dir, StormCodeFile))
	if err != nil {
		return nil, nil, fmt.Errorf("worker: read topology: %w", err)
	}
	t := stormthrift.NewStormTopology()
	if err := compat.Deserialize(b, t); err != nil {
		return nil, nil, fmt.Errorf("worker: decode %s: %w", StormCodeFile, err)
	}
	return topoConf, t, nil
}

// loadTopo builds the system topology (as Nimbus does) and the worker's view of it.
func loadTopo(stormID string, topoConf conf.Conf, user *stormthrift.StormTopology) (*topo, error) {
	system, err := topology.System(user, topoConf)
	if err != nil {
		return nil, fmt.Errorf("worker: system topology: %w", err)
	}
	taskComp, err := topology.TaskComponents(system)
	if err != nil {
		return nil, fmt.Errorf("worker: tasks: %w", err)
	}
	t := &topo{
		stormID:      stormID,
		conf:         topoConf,
		system:       system,
		taskComp:     taskComp,
		compTasks:    topology.ComponentTasks(taskComp),
		comps:        map[string]*compInfo{},
		user:         user,
		streamFields: map[string]map[string]*tuple.Fields{},
		userFields:   map[string]map[string]*tuple.Fields{},
		userSources:  map[string][]storm.GlobalStreamID{},
	}
	t.hasAckers = len(t.compTasks[topology.AckerComponentID]) > 0

	stormKeys := map[string]bool{}
	for _, k := range stormConfigKeys() {
		stormKeys[k] = true
	}
	for _, k := range componentConfKeys() {
		delete(stormKeys, k)
	}
	add := func(id string, kind compKind, obj *stormthrift.ComponentObject, c *stormthrift.ComponentCommon) error {
		ci, err := newCompInfo(id, kind, obj, c, topoConf, stormKeys)
		if err != nil {
			return err
		}
		ci.tasks = t.compTasks[id]
		t.comps[id] = ci
		return nil
	}
	for id, s := range system.Spouts {
		if err := add(id, kindSpout, s.SpoutObject, s.Common); err != nil {
			return nil, err
		}
	}
	for id, b := range system.Bolts {
		kind := kindBolt
		switch id {
		case topology.AckerComponentID:
			kind = kindAcker
		case topology.SystemComponentID:
			kind = kindSystem
		case topology.EventLoggerComponentID:
			kind = kindEventLogger
		}
		if err := add(id, kind, b.BoltObject, b.Common); err != nil {
			return nil, err
		}
	}
	if len(system.StateSpouts) > 0 {
		return nil, fmt.Errorf("worker: state spouts are not supported: %w", ErrUnsupportedComponent)
	}
	t.comps[topology.SystemComponentID].tasks = []int32{topology.SystemTaskID}

	// Subscriptions: invert every component's inputs.
	for id, ci := range t.comps {
		for gid, gr := range commonOf(system, id).Inputs {
			src := t.comps[gid.GetComponentId()]
			if src == nil {
				return nil, fmt.Errorf("worker: %s subscribes to unknown component %s", id, gid.GetComponentId())
			}
			spec, err := grouping.SpecOf(gr)
			if err != nil {
				return nil, fmt.Errorf("worker: %s input %s/%s: %w", id, gid.GetComponentId(), gid.GetStreamId(), err)
			}
			src.subscribers[gid.GetStreamId()] = append(src.subscribers[gid.GetStreamId()], subscriber{component: id, spec: spec})
		}
		t.streamFields[id] = map[string]*tuple.Fields{}
		for s, d := range ci.streams {
			t.streamFields[id][s] = d.fields
		}
		if uc := commonOf(user, id); uc != nil {
			t.userFields[id] = map[string]*tuple.Fields{}
			for s := range uc.Streams {
				t.userFields[id][s] = ci.streams[s].fields
			}
			for _, in := range ci.inputs {
				for gid := range uc.Inputs {
					if gid.GetComponentId() == in.Component && gid.GetStreamId() == in.Stream {
						t.userSources[id] = append(t.userSources[id], in)
					}
				}
			}
		}
	}
	for _, ci := range t.comps {
		for s := range ci.subscribers {
			slices.SortFunc(ci.subscribers[s], func(a, b subscriber) int { return cmp.Compare(a.component, b.component) })
		}
	}
	return t, nil
}

func commonOf(system *stormthrift.StormTopology, id string) *stormthrift.ComponentCommon {
	if s, ok := system.Spouts[id]; ok {
		return s.Common
	}
	if b, ok := system.Bolts[id]; ok {
		return b.Common
	}
	return nil
}

func newCompInfo(id string, kind compKind, obj *stormthrift.ComponentObject, c *stormthrift.ComponentCommon,
	topoConf conf.Conf, stormKeys map[string]bool) (*compInfo, error) {
	if c == nil {
		return nil, fmt.Errorf("worker: component %s has no common", id)
	}
	ci := &compInfo{id: id, kind: kind, object: obj, streams: map[string]streamDecl{}, subscribers: map[string][]subscriber{}}
	for s, info := range c.Streams {
		f, err := tuple.NewFields(info.GetOutputFields()...)
		if err != nil {
			return nil, fmt.Errorf("worker: component %s stream %s: %w", id, s, err)
		}
		ci.streams[s] = streamDecl{fields: f, direct: info.GetDirect()}
	}
	for gid := range c.Inputs {
		ci.inputs = append(ci.inputs, grouping.StreamID{Component: gid.GetComponentId(), Stream: gid.GetStreamId()})
	}
	slices.SortFunc(ci.inputs, func(a, b grouping.StreamID) int {
		return cmp.Or(cmp.Compare(a.Component, b.Component), cmp.Compare(a.Stream, b.Stream))
	})
	ci.conf = topoConf
	if c.JSONConf != nil && *c.JSONConf != "" {
		cc, err := conf.ParseJSON([]byte(*c.JSONConf))
		if err != nil {
			return nil, fmt.Errorf("worker: component %s json_conf: %w", id, err)
		}
		for k := range cc {
			if stormKeys[k] {
				delete(cc, k)
			}
		}
		ci.conf = topoConf.Merge(cc)
	}
	return ci, nil
}

// executorsOf lists the executors of an assignment placed on (node, port), sorted.
func executorsOf(a *stormthrift.Assignment, node string, port int) []topology.ExecutorID {
	var out []topology.ExecutorID
	if a == nil {
		return nil
	}
	for _, e := range a.ExecutorNodePort {
		if len(e.Executor) != 2 || e.Node == nil || e.Node.Node != node || len(e.Node.Port) == 0 || e.Node.Port[0] != int64(port) {
			continue
		}
		out = append(out, topology.ExecutorID{Start: int32(e.Executor[0]), End: int32(e.Executor[1])})
	}
	slices.SortFunc(out, topology.ExecutorID.Compare)
	return out
}

// endpoint is a worker slot.
type endpoint struct {
	node string
	port int
}

// taskEndpoints maps every assigned task to its slot.
func taskEndpoints(a *stormthrift.Assignment) map[int32]endpoint {
	out := map[int32]endpoint{}
	if a == nil {
		return out
	}
	for _, e := range a.ExecutorNodePort {
		if len(e.Executor) != 2 || e.Node == nil || len(e.Node.Port) == 0 {
			continue
		}
		ep := endpoint{node: e.Node.Node, port: int(e.Node.Port[0])}
		for t := e.Executor[0]; t <= e.Executor[1] && t-e.Executor[0] < topology.MaxTasks; t++ {
			out[int32(t)] = ep
		}
	}
	return out
}
