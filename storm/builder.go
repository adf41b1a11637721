package storm

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// TopologyBuilder declares a topology's components and their subscriptions and produces the
// StormTopology to submit (Storm's TopologyBuilder). Components are named by their registry name
// in the App; errors are collected and returned by CreateTopology.
type TopologyBuilder struct {
	app   *App
	comps map[string]*componentDecl
	order []string
	errs  []error
}

type componentDecl struct {
	id          string
	name        string
	shell       *stormthrift.ShellComponent // a multilang bolt; name is unused
	shellFields []string
	spout       bool
	parallelism int
	conf        map[string]any
	inputs      []input
	b           *TopologyBuilder
}

type input struct {
	from     GlobalStreamID
	grouping *stormthrift.Grouping
}

// NewTopologyBuilder returns a builder resolving component names in app.
func NewTopologyBuilder(app *App) *TopologyBuilder {
	return &TopologyBuilder{app: app, comps: map[string]*componentDecl{}}
}

func (b *TopologyBuilder) fail(err error) { b.errs = append(b.errs, err) }

func (b *TopologyBuilder) add(id, name string, spout bool, parallelism int) *componentDecl {
	d := &componentDecl{id: id, name: name, spout: spout, parallelism: parallelism, b: b}
	switch prev, dup := b.comps[id]; {
	case dup && prev.spout:
		b.fail(fmt.Errorf("spout has already been declared for id %s", id))
		return d
	case dup:
		b.fail(fmt.Errorf("bolt has already been declared for id %s", id))
		return d
	case id == "":
		b.fail(errors.New("empty component id"))
		return d
	case parallelism < 0:
		b.fail(fmt.Errorf("%s: parallelism must be positive, got %d", id, parallelism))
	}
	b.comps[id] = d
	b.order = append(b.order, id)
	return d
}

// SetSpout declares spout id, created from the spout registered as name, with parallelism
// executors (0 leaves the hint unset, which Storm reads as 1).
func (b *TopologyBuilder) SetSpout(id, name string, parallelism int) *SpoutDeclarer {
	return &SpoutDeclarer{b.add(id, name, true, parallelism)}
}

// SetBolt declares bolt id, created from the bolt registered as name.
func (b *TopologyBuilder) SetBolt(id, name string, parallelism int) *BoltDeclarer {
	return &BoltDeclarer{b.add(id, name, false, parallelism)}
}

// SetShellBolt declares bolt id as a multilang subprocess (Storm's
// ShellComponent): each task runs `command script` in the topology's
// resources directory and speaks Storm's JSON multilang protocol with it
// (storm.py, storm.js, storm.rb, pystorm, ...). outputFields declares its
// default stream. For a Go topology, whose artifact carries no resources,
// give script as an absolute path.
func (b *TopologyBuilder) SetShellBolt(id, command, script string, parallelism int, outputFields ...string) *BoltDeclarer {
	d := b.add(id, "", false, parallelism)
	d.shell = &stormthrift.ShellComponent{ExecutionCommand: command, Script: script}
	d.shellFields = slices.Clone(outputFields)
	if d.shellFields == nil {
		d.shellFields = []string{}
	}
	return &BoltDeclarer{d}
}

// CreateTopology returns the declared topology, or every error found while declaring it.
func (b *TopologyBuilder) CreateTopology() (*stormthrift.StormTopology, error) {
	t := &stormthrift.StormTopology{
		Spouts:      map[string]*stormthrift.SpoutSpec{},
		Bolts:       map[string]*stormthrift.Bolt{},
		StateSpouts: map[string]*stormthrift.StateSpoutSpec{},
	}
	errs := slices.Clone(b.errs)
	for _, id := range b.order {
		d := b.comps[id]
		common, err := d.common()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", id, err))
			continue
		}
		obj := &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{
			FullClassName: d.name, ArgsList: []*stormthrift.JavaObjectArg{}}}
		if d.shell != nil {
			obj = &stormthrift.ComponentObject{Shell: d.shell}
		}
		if d.spout {
			t.Spouts[id] = &stormthrift.SpoutSpec{SpoutObject: obj, Common: common}
		} else {
			t.Bolts[id] = &stormthrift.Bolt{BoltObject: obj, Common: common}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return t, nil
}

// common instantiates the component once to read its declared streams and configuration.
func (d *componentDecl) common() (*stormthrift.ComponentCommon, error) {
	var c Component
	var streams map[string]StreamInfo
	var err error
	switch {
	case d.shell != nil:
		streams = map[string]StreamInfo{DefaultStream: {Fields: d.shellFields}}
	case d.spout:
		c, err = d.b.app.NewSpout(d.name)
	default:
		c, err = d.b.app.NewBolt(d.name)
	}
	if err != nil {
		return nil, err
	}
	if c != nil {
		if streams, err = DeclaredStreams(c); err != nil {
			return nil, err
		}
	}
	common := &stormthrift.ComponentCommon{
		Inputs:  map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{},
		Streams: map[string]*stormthrift.StreamInfo{},
	}
	for _, id := range slices.Sorted(maps.Keys(streams)) {
		s := streams[id]
		common.Streams[id] = &stormthrift.StreamInfo{OutputFields: s.Fields, Direct: s.Direct}
	}
	for _, in := range d.inputs {
		common.Inputs[&stormthrift.GlobalStreamId{ComponentId: in.from.Component, StreamId: in.from.Stream}] = in.grouping
	}
	if d.parallelism > 0 {
		p := int32(d.parallelism)
		common.ParallelismHint = &p
	}
	var compConf map[string]any
	if cc, ok := c.(ComponentConfigurer); ok {
		compConf = maps.Clone(cc.ComponentConfiguration())
	}
	if len(d.conf) > 0 {
		if compConf == nil {
			compConf = map[string]any{}
		}
		maps.Copy(compConf, d.conf)
	}
	if compConf != nil {
		js, err := conf.EncodeJSON(compConf)
		if err != nil {
			return nil, fmt.Errorf("component configuration: %w", err)
		}
		s := string(js)
		common.JSONConf = &s
	}
	return common, nil
}

func (d *componentDecl) addConf(key string, v any) {
	if key == conf.TopologyKryoRegister {
		d.b.fail(fmt.Errorf("%s: cannot set serializations for a component using fluent API", d.id))
		return
	}
	if d.conf == nil {
		d.conf = map[string]any{}
	}
	d.conf[key] = v
}

// SpoutDeclarer configures a declared spout.
type SpoutDeclarer struct{ d *componentDecl }

// AddConfiguration sets a component configuration key (merged into its json_conf).
func (s *SpoutDeclarer) AddConfiguration(key string, v any) *SpoutDeclarer {
	s.d.addConf(key, v)
	return s
}

// SetNumTasks sets topology.tasks for the component.
func (s *SpoutDeclarer) SetNumTasks(n int) *SpoutDeclarer {
	return s.AddConfiguration(conf.TopologyTasks, int64(n))
}

// SetMaxSpoutPending sets topology.max.spout.pending for the spout.
func (s *SpoutDeclarer) SetMaxSpoutPending(n int) *SpoutDeclarer {
	return s.AddConfiguration(conf.TopologyMaxSpoutPending, int64(n))
}

// SetMaxTaskParallelism sets topology.max.task.parallelism for the component.
func (s *SpoutDeclarer) SetMaxTaskParallelism(n int) *SpoutDeclarer {
	return s.AddConfiguration(conf.TopologyMaxTaskParallelism, int64(n))
}

// SetDebug sets topology.debug for the component.
func (s *SpoutDeclarer) SetDebug(on bool) *SpoutDeclarer {
	return s.AddConfiguration(conf.TopologyDebug, on)
}

// BoltDeclarer configures a declared bolt and its subscriptions. Methods without a stream
// argument subscribe to the default stream.
type BoltDeclarer struct{ d *componentDecl }

// AddConfiguration sets a component configuration key (merged into its json_conf).
func (b *BoltDeclarer) AddConfiguration(key string, v any) *BoltDeclarer {
	b.d.addConf(key, v)
	return b
}

// SetNumTasks sets topology.tasks for the component.
func (b *BoltDeclarer) SetNumTasks(n int) *BoltDeclarer {
	return b.AddConfiguration(conf.TopologyTasks, int64(n))
}

// SetMaxTaskParallelism sets topology.max.task.parallelism for the component.
func (b *BoltDeclarer) SetMaxTaskParallelism(n int) *BoltDeclarer {
	return b.AddConfiguration(conf.TopologyMaxTaskParallelism, int64(n))
}

// SetDebug sets topology.debug for the component.
func (b *BoltDeclarer) SetDebug(on bool) *BoltDeclarer {
	return b.AddConfiguration(conf.TopologyDebug, on)
}

// Grouping subscribes to component's stream with a Thrift grouping. Subscribing to the same stream
// again replaces the earlier grouping, as in Storm.
func (b *BoltDeclarer) Grouping(component, stream string, g *stormthrift.Grouping) *BoltDeclarer {
	from := GlobalStreamID{Component: component, Stream: stream}
	for i := range b.d.inputs {
		if b.d.inputs[i].from == from {
			b.d.inputs[i].grouping = g
			return b
		}
	}
	b.d.inputs = append(b.d.inputs, input{from, g})
	return b
}

func null() *stormthrift.NullStruct { return &stormthrift.NullStruct{} }

// ShuffleGrouping distributes tuples evenly over the bolt's tasks.
func (b *BoltDeclarer) ShuffleGrouping(component string) *BoltDeclarer {
	return b.ShuffleGroupingStream(component, DefaultStream)
}

// ShuffleGroupingStream is ShuffleGrouping on a stream.
func (b *BoltDeclarer) ShuffleGroupingStream(component, stream string) *BoltDeclarer {
	return b.Grouping(component, stream, &stormthrift.Grouping{Shuffle: null()})
}

// LocalOrShuffleGrouping prefers the bolt's tasks in the emitting worker.
func (b *BoltDeclarer) LocalOrShuffleGrouping(component string) *BoltDeclarer {
	return b.LocalOrShuffleGroupingStream(component, DefaultStream)
}

// LocalOrShuffleGroupingStream is LocalOrShuffleGrouping on a stream.
func (b *BoltDeclarer) LocalOrShuffleGroupingStream(component, stream string) *BoltDeclarer {
	return b.Grouping(component, stream, &stormthrift.Grouping{LocalOrShuffle: null()})
}

// FieldsGrouping sends tuples with equal values of fields to the same task.
func (b *BoltDeclarer) FieldsGrouping(component string, fields ...string) *BoltDeclarer {
	return b.FieldsGroupingStream(component, DefaultStream, fields...)
}

// FieldsGroupingStream is FieldsGrouping on a stream.
func (b *BoltDeclarer) FieldsGroupingStream(component, stream string, fields ...string) *BoltDeclarer {
	if len(fields) == 0 {
		b.d.b.fail(fmt.Errorf("%s: fields grouping on %s/%s without fields (use GlobalGrouping)", b.d.id, component, stream))
	}
	return b.Grouping(component, stream, &stormthrift.Grouping{Fields: slices.Clone(fields)})
}

// GlobalGrouping sends every tuple to the bolt's lowest task.
func (b *BoltDeclarer) GlobalGrouping(component string) *BoltDeclarer {
	return b.GlobalGroupingStream(component, DefaultStream)
}

// GlobalGroupingStream is GlobalGrouping on a stream (a fields grouping with no fields, as in
// Storm).
func (b *BoltDeclarer) GlobalGroupingStream(component, stream string) *BoltDeclarer {
	return b.Grouping(component, stream, &stormthrift.Grouping{Fields: []string{}})
}

// AllGrouping sends every tuple to every task of the bolt.
func (b *BoltDeclarer) AllGrouping(component string) *BoltDeclarer {
	return b.AllGroupingStream(component, DefaultStream)
}

// AllGroupingStream is AllGrouping on a stream.
func (b *BoltDeclarer) AllGroupingStream(component, stream string) *BoltDeclarer {
	return b.Grouping(component, stream, &stormthrift.Grouping{All: null()})
}

// NoneGrouping sends each tuple to a random task.
func (b *BoltDeclarer) NoneGrouping(component string) *BoltDeclarer {
	return b.NoneGroupingStream(component, DefaultStream)
}

// NoneGroupingStream is NoneGrouping on a stream.
func (b *BoltDeclarer) NoneGroupingStream(component, stream string) *BoltDeclarer {
	return b.Grouping(component, stream, &stormthrift.Grouping{None: null()})
}

// DirectGrouping subscribes to a direct stream: the emitter picks the task.
func (b *BoltDeclarer) DirectGrouping(component string) *BoltDeclarer {
	return b.DirectGroupingStream(component, DefaultStream)
}

// DirectGroupingStream is DirectGrouping on a stream.
func (b *BoltDeclarer) DirectGroupingStream(component, stream string) *BoltDeclarer {
	return b.Grouping(component, stream, &stormthrift.Grouping{Direct: null()})
}

// CustomGrouping subscribes with the custom grouping registered in the App as name.
func (b *BoltDeclarer) CustomGrouping(component, name string) *BoltDeclarer {
	return b.CustomGroupingStream(component, DefaultStream, name)
}

// CustomGroupingStream is CustomGrouping on a stream.
func (b *BoltDeclarer) CustomGroupingStream(component, stream, name string) *BoltDeclarer {
	if _, err := b.d.b.app.NewGrouping(name); err != nil {
		b.d.b.fail(fmt.Errorf("%s: %w", b.d.id, err))
	}
	return b.Grouping(component, stream, &stormthrift.Grouping{CustomObject: &stormthrift.JavaObject{
		FullClassName: name, ArgsList: []*stormthrift.JavaObjectArg{}}})
}
