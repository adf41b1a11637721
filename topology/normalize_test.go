package topology

import (
	"errors"
	"testing"

	"github.com/galeproject/gale/stormthrift"
)

func TestNormalizeTasks(t *testing.T) {
	tests := []struct {
		name     string
		hint     int32 // 0 = unset
		compConf *string
		topoConf map[string]any
		want     int64
	}{
		{"hint", 4, nil, nil, 4},
		{"no hint", 0, nil, nil, 1},
		{"topology tasks", 4, nil, map[string]any{"topology.tasks": int64(7)}, 7},
		{"component tasks win", 4, str(`{"topology.tasks":9}`), map[string]any{"topology.tasks": int64(7)}, 9},
		{"component null shadows topology", 4, str(`{"topology.tasks":null}`), map[string]any{"topology.tasks": int64(7)}, 4},
		{"max parallelism caps", 8, nil, map[string]any{"topology.max.task.parallelism": int64(3)}, 3},
		{"max parallelism above", 2, nil, map[string]any{"topology.max.task.parallelism": int64(3)}, 2},
		{"component max parallelism", 8, str(`{"topology.max.task.parallelism":5}`), nil, 5},
		{"integral float", 0, str(`{"topology.tasks":6.0}`), nil, 6},
		{"zero hint", -1, nil, nil, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := newFixture().bolt("b", tt.hint, tt.compConf, nil).t
			if tt.hint == -1 {
				zero := int32(-1)
				user.Bolts["b"].Common.ParallelismHint = &zero
			}
			conf := tt.topoConf
			if conf == nil {
				conf = map[string]any{}
			}
			got, err := Normalize(user, conf)
			if err != nil {
				t.Fatal(err)
			}
			m := jsonConf(t, got.Bolts["b"].Common)
			if m["topology.tasks"] != tt.want {
				t.Errorf("topology.tasks = %#v, want %d", m["topology.tasks"], tt.want)
			}
		})
	}
}

func TestNormalizeKeepsConfAndInput(t *testing.T) {
	user := newFixture().spout("s", 2, str(`{"a":1,"b":[1,2.5,"x"],"topology.kryo.register":{"C":null}}`), nil).t
	got, err := Normalize(user, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"a":1,"b":[1,2.5,"x"],"topology.kryo.register":{"C":null},"topology.tasks":2}`
	if js := *got.Spouts["s"].Common.JSONConf; js != want {
		t.Errorf("json_conf = %s, want %s", js, want)
	}
	if js := *user.Spouts["s"].Common.JSONConf; js != `{"a":1,"b":[1,2.5,"x"],"topology.kryo.register":{"C":null}}` {
		t.Errorf("input modified: %s", js)
	}
	if got.Spouts["s"].Common == user.Spouts["s"].Common {
		t.Error("Normalize shares ComponentCommon with its input")
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		name string
		conf *string
		topo map[string]any
	}{
		{"bad json", str(`{"a":`), nil},
		{"not an object", str(`[1]`), nil},
		{"tasks not a number", str(`{"topology.tasks":"x"}`), nil},
		{"topology tasks not a number", nil, map[string]any{"topology.tasks": "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := newFixture().bolt("b", 1, tt.conf, nil).t
			topo := tt.topo
			if topo == nil {
				topo = map[string]any{}
			}
			_, err := Normalize(user, topo)
			var ie *InvalidError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want *InvalidError", err)
			}
		})
	}
	if _, err := Normalize(nil, nil); err == nil {
		t.Error("Normalize(nil) succeeded")
	}
	_ = stormthrift.NewStormTopology
}
