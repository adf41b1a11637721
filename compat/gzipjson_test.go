package compat

import (
	"errors"
	"reflect"
	"testing"

	"github.com/galeproject/gale/compat/conf"
)

func TestGzipJSONRoundTrip(t *testing.T) {
	in := conf.Conf{
		conf.TopologyWorkers:            int64(3),
		conf.TopologyStatsSampleRate:    0.05,
		conf.StormZookeeperServers:      []any{"zk1", "zk2"},
		conf.TopologyKryoRegister:       map[string]any{"com.example.Foo": nil},
		conf.TopologyName:               "word/count",
		conf.TopologyDebug:              false,
		"supervisor.memory.capacity.mb": 3072.0,
	}
	b, err := GzipJSON(in)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := gunzipBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"storm.zookeeper.servers":["zk1","zk2"],"supervisor.memory.capacity.mb":3072.0,` +
		`"topology.debug":false,"topology.kryo.register":{"com.example.Foo":null},"topology.name":"word\/count",` +
		`"topology.stats.sample.rate":0.05,"topology.workers":3}`
	if string(raw) != want {
		t.Fatalf("json = %s\nwant   %s", raw, want)
	}
	got, err := GunzipJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, map[string]any(in)) {
		t.Fatalf("round trip = %#v", got)
	}
	// A plain map works too.
	if _, err := GzipJSON(map[string]any{"a": 1}); err != nil {
		t.Fatal(err)
	}
}

func TestGunzipJSONRejects(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		wantErr error
	}{
		{"not gzip", []byte(`{"a":1}`), ErrNotGzip},
		{"array", gz(t, []byte(`[1]`)), nil},
		{"garbage", gz(t, []byte(`{"a":`)), nil},
		{"trailing", gz(t, []byte(`{"a":1} {}`)), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GunzipJSON(tc.in)
			if err == nil || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}
