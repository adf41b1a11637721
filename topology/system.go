package topology

import (
	"fmt"
	"math"
	"strconv"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// System builds the system topology from a normalized user topology
// (common.clj system-topology!), the topology every worker runs and
// getTopology returns:
//
//  1. validate-basic (component/stream ids, spouts without inputs, tasks
//     versus parallelism), on the input;
//  2. __acker bolt, ack streams on user bolts, __ack_init stream, tick
//     frequency and acker inputs on spouts;
//  3. __eventlog stream on every component so far, __eventlogger bolt;
//  4. one bolt per topology.metrics.consumer.register entry;
//  5. __system bolt (parallelism 0, no tasks);
//  6. __metrics and __system streams on every component;
//  7. validate-structure (subscriptions point at existing streams and fields).
//
// Errors are *InvalidError with Storm's messages. The input is not modified.
//
// Component objects of the system bolts: Storm stores Java-serialized
// instances; we store ComponentObject.java_object with the real class name
// (AckerClass, EventLoggerBoltClass, MetricsConsumerClass, SystemBoltClass)
// and no arguments, except metrics consumers whose args are
// [string class, string JSON of the register entry's "argument"].
func System(normalized *stormthrift.StormTopology, topoConf conf.Conf) (*stormthrift.StormTopology, error) {
	if normalized == nil {
		return nil, invalid("Topology is null")
	}
	ret := copyTopology(normalized)
	if err := validateBasic(normalized, ret); err != nil {
		return nil, err
	}
	if err := addAcker(topoConf, ret); err != nil {
		return nil, err
	}
	if err := addEventLogger(topoConf, ret); err != nil {
		return nil, err
	}
	if err := addMetricsConsumers(topoConf, ret); err != nil {
		return nil, err
	}
	system, err := newCommon(0, map[string]any{keyTopologyTasks: int64(0)}, map[string]*stormthrift.StreamInfo{
		SystemTickStreamID:         outputFields("rate_secs"),
		MetricsTickStreamID:        outputFields("interval"),
		CredentialsChangedStreamID: outputFields("creds"),
	})
	if err != nil {
		return nil, err
	}
	ret.Bolts[SystemComponentID] = &stormthrift.Bolt{BoltObject: javaObject(SystemBoltClass), Common: system}
	for _, c := range commons(ret) {
		c.Streams[MetricsStreamID] = outputFields("task-info", "data-points")
		c.Streams[SystemStreamID] = outputFields("event")
	}
	if err := validateStructure(ret); err != nil {
		return nil, err
	}
	if _, err := taskCounts(ret); err != nil {
		return nil, err
	}
	return ret, nil
}

// systemExecutors is the executor count of __acker / __eventlogger: the given
// key, or topology.workers when that key is unset (default 1).
func systemExecutors(topoConf map[string]any, key string) (int64, error) {
	n, ok, err := confInt(topoConf, key, "Topology conf")
	if err != nil || ok {
		return n, err
	}
	n, ok, err = confInt(topoConf, keyTopologyWorkers, "Topology conf")
	if err != nil {
		return 0, err
	}
	if !ok {
		n = 1
	}
	return n, nil
}

func hint32(what string, n int64) (int32, error) {
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, invalid(fmt.Sprintf("%s: parallelism %d is out of range", what, n))
	}
	return int32(n), nil
}

func addAcker(topoConf map[string]any, ret *stormthrift.StormTopology) error {
	n, err := systemExecutors(topoConf, keyTopologyAckerExecutors)
	if err != nil {
		return err
	}
	p, err := hint32(AckerComponentID, n)
	if err != nil {
		return err
	}
	timeout := topoConf[keyTopologyMessageTimeoutSecs]
	acker, err := newCommon(p, map[string]any{keyTopologyTasks: n, keyTopologyTickTupleFreqSecs: timeout},
		map[string]*stormthrift.StreamInfo{
			AckerAckStreamID:          directFields("id"),
			AckerFailStreamID:         directFields("id"),
			AckerResetTimeoutStreamID: directFields("id"),
		})
	if err != nil {
		return err
	}
	for _, id := range sortedKeys(ret.Spouts) {
		putInput(acker, id, AckerInitStreamID, fieldsGroup("id"))
	}
	for _, id := range sortedKeys(ret.Bolts) {
		putInput(acker, id, AckerAckStreamID, fieldsGroup("id"))
		putInput(acker, id, AckerFailStreamID, fieldsGroup("id"))
		putInput(acker, id, AckerResetTimeoutStreamID, fieldsGroup("id"))
	}
	for _, b := range ret.Bolts {
		b.Common.Streams[AckerAckStreamID] = outputFields("id", "ack-val")
		b.Common.Streams[AckerFailStreamID] = outputFields("id")
		b.Common.Streams[AckerResetTimeoutStreamID] = outputFields("id")
	}
	for _, id := range sortedKeys(ret.Spouts) {
		c := ret.Spouts[id].Common
		spoutConf, err := parseComponentConf(id, c.JSONConf)
		if err != nil {
			return err
		}
		spoutConf[keyTopologyTickTupleFreqSecs] = timeout
		js, err := encodeJSON(spoutConf)
		if err != nil {
			return err
		}
		c.JSONConf = &js
		c.Streams[AckerInitStreamID] = outputFields("id", "init-val", "spout-task")
		putInput(c, AckerComponentID, AckerAckStreamID, directGroup())
		putInput(c, AckerComponentID, AckerFailStreamID, directGroup())
		putInput(c, AckerComponentID, AckerResetTimeoutStreamID, directGroup())
	}
	ret.Bolts[AckerComponentID] = &stormthrift.Bolt{BoltObject: javaObject(AckerClass), Common: acker}
	return nil
}

func addEventLogger(topoConf map[string]any, ret *stormthrift.StormTopology) error {
	n, err := systemExecutors(topoConf, keyTopologyEventLoggerExecs)
	if err != nil {
		return err
	}
	p, err := hint32(EventLoggerComponentID, n)
	if err != nil {
		return err
	}
	logger, err := newCommon(p, map[string]any{
		keyTopologyTasks:             n,
		keyTopologyTickTupleFreqSecs: topoConf[keyTopologyMessageTimeoutSecs],
	}, nil)
	if err != nil {
		return err
	}
	for _, id := range sortedKeys(ret.Spouts) {
		putInput(logger, id, EventLoggerStreamID, fieldsGroup("component-id"))
	}
	for _, id := range sortedKeys(ret.Bolts) {
		putInput(logger, id, EventLoggerStreamID, fieldsGroup("component-id"))
	}
	for _, c := range commons(ret) {
		c.Streams[EventLoggerStreamID] = outputFields("component-id", "message-id", "ts", "values")
	}
	ret.Bolts[EventLoggerComponentID] = &stormthrift.Bolt{BoltObject: javaObject(EventLoggerBoltClass), Common: logger}
	return nil
}

// metricsConsumer is one topology.metrics.consumer.register entry.
type metricsConsumer struct {
	id, class string
	argument  any
	p         int64
}

// MetricsConsumerIDs returns the component ids System gives the entries of
// topology.metrics.consumer.register, in register order.
func MetricsConsumerIDs(topoConf conf.Conf) ([]string, error) {
	cs, err := metricsConsumers(topoConf)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.id
	}
	return ids, nil
}

func metricsConsumers(topoConf map[string]any) ([]metricsConsumer, error) {
	raw, ok := topoConf[keyTopologyMetricsConsumerReg]
	if !ok || raw == nil {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, invalid(keyTopologyMetricsConsumerReg + " must be a list of maps")
	}
	seen := map[string]int{}
	out := make([]metricsConsumer, 0, len(list))
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, invalid(keyTopologyMetricsConsumerReg + " must be a list of maps")
		}
		class, ok := m["class"].(string)
		if !ok {
			return nil, invalid(keyTopologyMetricsConsumerReg + ` entries need a string "class"`)
		}
		p, set, err := confInt(m, "parallelism.hint", keyTopologyMetricsConsumerReg)
		if err != nil {
			return nil, err
		}
		if !set {
			p = 1
		}
		// number-duplicates: the 2nd registration of a class is "class#2".
		seen[class]++
		name := class
		if seen[class] >= 2 {
			name = class + "#" + strconv.Itoa(seen[class])
		}
		out = append(out, metricsConsumer{id: MetricsComponentIDPrefix + name, class: class, argument: m["argument"], p: p})
	}
	return out, nil
}

func addMetricsConsumers(topoConf map[string]any, ret *stormthrift.StormTopology) error {
	cs, err := metricsConsumers(topoConf)
	if err != nil {
		return err
	}
	sources := append([]string{SystemComponentID}, sortedKeys(commons(ret))...)
	for _, mc := range cs {
		p, err := hint32(mc.id, mc.p)
		if err != nil {
			return err
		}
		c, err := newCommon(p, map[string]any{keyTopologyTasks: mc.p}, nil)
		if err != nil {
			return err
		}
		for _, src := range sources {
			putInput(c, src, MetricsStreamID, &stormthrift.Grouping{Shuffle: &stormthrift.NullStruct{}})
		}
		class := mc.class
		arg, err := encodeJSON(mc.argument)
		if err != nil {
			return err
		}
		ret.Bolts[mc.id] = &stormthrift.Bolt{
			BoltObject: &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{
				FullClassName: MetricsConsumerClass,
				ArgsList:      []*stormthrift.JavaObjectArg{{StringArg: &class}, {StringArg: &arg}},
			}},
			Common: c,
		}
	}
	return nil
}

func newCommon(p int32, compConf map[string]any, streams map[string]*stormthrift.StreamInfo) (*stormthrift.ComponentCommon, error) {
	js, err := encodeJSON(compConf)
	if err != nil {
		return nil, err
	}
	if streams == nil {
		streams = map[string]*stormthrift.StreamInfo{}
	}
	return &stormthrift.ComponentCommon{
		Inputs:          map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{},
		Streams:         streams,
		ParallelismHint: &p,
		JSONConf:        &js,
	}, nil
}

func javaObject(class string) *stormthrift.ComponentObject {
	return &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{
		FullClassName: class,
		ArgsList:      []*stormthrift.JavaObjectArg{},
	}}
}

func outputFields(fields ...string) *stormthrift.StreamInfo {
	return &stormthrift.StreamInfo{OutputFields: fields}
}

func directFields(fields ...string) *stormthrift.StreamInfo {
	return &stormthrift.StreamInfo{OutputFields: fields, Direct: true}
}

func fieldsGroup(fields ...string) *stormthrift.Grouping {
	return &stormthrift.Grouping{Fields: fields}
}

func directGroup() *stormthrift.Grouping {
	return &stormthrift.Grouping{Direct: &stormthrift.NullStruct{}}
}

// putInput sets c's subscription to component/stream, replacing an equal key
// (Inputs is keyed by pointer).
func putInput(c *stormthrift.ComponentCommon, component, stream string, g *stormthrift.Grouping) {
	for k := range c.Inputs {
		if k.ComponentId == component && k.StreamId == stream {
			delete(c.Inputs, k)
		}
	}
	c.Inputs[&stormthrift.GlobalStreamId{ComponentId: component, StreamId: stream}] = g
}
