package topology

import (
	"testing"

	"github.com/galeproject/gale/stormthrift"
)

// Fixture builders for tests: a tiny TopologyBuilder.

type fixture struct{ t *stormthrift.StormTopology }

func newFixture() *fixture {
	return &fixture{t: &stormthrift.StormTopology{
		Spouts:      map[string]*stormthrift.SpoutSpec{},
		Bolts:       map[string]*stormthrift.Bolt{},
		StateSpouts: map[string]*stormthrift.StateSpoutSpec{},
	}}
}

func common(p int32, conf *string, streams map[string][]string) *stormthrift.ComponentCommon {
	c := &stormthrift.ComponentCommon{
		Inputs:  map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{},
		Streams: map[string]*stormthrift.StreamInfo{},
	}
	if p != 0 {
		c.ParallelismHint = &p
	}
	c.JSONConf = conf
	for s, f := range streams {
		c.Streams[s] = &stormthrift.StreamInfo{OutputFields: f}
	}
	return c
}

func shell() *stormthrift.ComponentObject {
	return &stormthrift.ComponentObject{Shell: &stormthrift.ShellComponent{ExecutionCommand: "python", Script: "x.py"}}
}

func (f *fixture) spout(id string, p int32, conf *string, streams map[string][]string) *fixture {
	f.t.Spouts[id] = &stormthrift.SpoutSpec{SpoutObject: shell(), Common: common(p, conf, streams)}
	return f
}

func (f *fixture) bolt(id string, p int32, conf *string, streams map[string][]string) *fixture {
	f.t.Bolts[id] = &stormthrift.Bolt{BoltObject: shell(), Common: common(p, conf, streams)}
	return f
}

// sub subscribes component to src/stream; fields nil = shuffle.
func (f *fixture) sub(component, src, stream string, fields []string) *fixture {
	c := commons(f.t)[component]
	g := &stormthrift.Grouping{Shuffle: &stormthrift.NullStruct{}}
	if fields != nil {
		g = &stormthrift.Grouping{Fields: fields}
	}
	c.Inputs[&stormthrift.GlobalStreamId{ComponentId: src, StreamId: stream}] = g
	return f
}

func str(s string) *string { return &s }

// wordCount is storm-starter's WordCountTopology shape (§10.4).
func wordCount() *stormthrift.StormTopology {
	return newFixture().
		spout("spout", 5, nil, map[string][]string{"default": {"word"}}).
		bolt("split", 8, nil, map[string][]string{"default": {"word"}}).
		bolt("count", 12, nil, map[string][]string{"default": {"word", "count"}}).
		sub("split", "spout", "default", nil).
		sub("count", "split", "default", []string{"word"}).t
}

// defaultConf holds the defaults.yaml values System reads.
func defaultConf() map[string]any {
	return map[string]any{
		"topology.workers":                   int64(1),
		"topology.acker.executors":           nil,
		"topology.eventlogger.executors":     int64(0),
		"topology.max.task.parallelism":      nil,
		"topology.message.timeout.secs":      int64(30),
		"topology.tick.tuple.freq.secs":      nil,
		"topology.metrics.consumer.register": nil,
	}
}

func with(c map[string]any, kv ...any) map[string]any {
	for i := 0; i+1 < len(kv); i += 2 {
		c[kv[i].(string)] = kv[i+1]
	}
	return c
}

func mustSystem(t *testing.T, user *stormthrift.StormTopology, conf map[string]any) *stormthrift.StormTopology {
	t.Helper()
	n, err := Normalize(user, conf)
	if err != nil {
		t.Fatalf("Normalize: %v", err)
	}
	s, err := System(n, conf)
	if err != nil {
		t.Fatalf("System: %v", err)
	}
	return s
}

func jsonConf(t *testing.T, c *stormthrift.ComponentCommon) map[string]any {
	t.Helper()
	m, err := parseComponentConf("test", c.JSONConf)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
