package javacompat

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"
)

// TestSupervisorBlobDownload downloads a submitted topology's code the way
// a 1.0.0 supervisor does (Utils.downloadResourcesAsSupervisor over
// NimbusBlobStore, which requires the byte count to equal data_size) and
// reads stormcode.ser and stormconf.ser as a worker does.
func TestSupervisorBlobDownload(t *testing.T) {
	c := startCluster(t)
	c.java(t, []string{"submit", "blobs", "word"})[0].must(t)
	id := c.topologyID(t, "blobs")
	dir := t.TempDir()
	var got struct {
		Files map[string]struct {
			Exists      bool   `json:"exists"`
			Size        int64  `json:"size"`
			DataSize    int64  `json:"data_size"`
			Version     int64  `json:"version"`
			Replication int    `json:"replication"`
			ACL         string `json:"acl"`
		} `json:"files"`
		Keys       []string `json:"keys"`
		Components map[string]struct {
			Kind            string         `json:"kind"`
			ParallelismHint *int           `json:"parallelism_hint"`
			JSONConf        map[string]any `json:"json_conf"`
			Inputs          int            `json:"inputs"`
		} `json:"components"`
		Conf map[string]any `json:"conf"`
	}
	c.java(t, []string{"download", id, dir})[0].must(t).decode(t, &got)

	for _, name := range []string{"stormjar.jar", "stormcode.ser", "stormconf.ser"} {
		f, ok := got.Files[name]
		if !ok || !f.Exists || f.Size <= 0 || f.Size != f.DataSize || f.Version <= 0 || f.Replication != 1 {
			t.Errorf("%s: %+v; want downloaded, size = data_size, a version, replication 1", name, f)
		}
		if f.ACL != "[AccessControl(type:OTHER, access:7)]" {
			t.Errorf("%s: ACL %s, want world-everything", name, f.ACL)
		}
	}
	if jar := readFile(t, filepath.Join(dir, "stormjar.jar")); !bytes.Equal(jar, readFile(t, c.jar)) {
		t.Errorf("downloaded stormjar.jar (%d bytes) differs from the submitted jar (%d bytes)",
			len(jar), len(readFile(t, c.jar)))
	}
	for _, k := range []string{id + "-stormjar.jar", id + "-stormcode.ser", id + "-stormconf.ser"} {
		if !slices.Contains(got.Keys, k) {
			t.Errorf("NimbusBlobStore.listKeys %q lacks %s", got.Keys, k)
		}
	}

	// stormcode.ser is the normalized user topology: topology.tasks in
	// every component's json_conf, no system components.
	want := map[string]struct {
		kind  string
		tasks float64
	}{"words": {"spout", 2}, "count": {"bolt", 3}}
	if len(got.Components) != len(want) {
		t.Errorf("components %v, want only words and count", got.Components)
	}
	for name, w := range want {
		comp, ok := got.Components[name]
		if !ok {
			t.Errorf("component %s missing from stormcode.ser", name)
			continue
		}
		if comp.Kind != w.kind || comp.JSONConf["topology.tasks"] != w.tasks ||
			comp.ParallelismHint == nil || float64(*comp.ParallelismHint) != w.tasks {
			t.Errorf("component %s: %+v, want %s with topology.tasks %v", name, comp, w.kind, w.tasks)
		}
	}
	if got.Components["count"].Inputs != 1 {
		t.Errorf("count bolt has %d inputs, want 1", got.Components["count"].Inputs)
	}

	// stormconf.ser is nimbus conf + topology conf, JSON in gzip.
	for k, v := range map[string]any{
		"storm.id":         id,
		"topology.name":    "blobs",
		"topology.workers": float64(2),
		"gale.test.kind":   "word",
	} {
		if got.Conf[k] != v {
			t.Errorf("stormconf.ser %s = %v (%T), want %v", k, got.Conf[k], got.Conf[k], v)
		}
	}
	for _, k := range []string{"topology.submitter.user", "storm.zookeeper.servers", "nimbus.thrift.port", "topology.kryo.register"} {
		if _, ok := got.Conf[k]; !ok {
			t.Errorf("stormconf.ser lacks %s", k)
		}
	}
	for _, k := range []string{"storm.zookeeper.topology.auth.scheme", "storm.zookeeper.topology.auth.payload"} {
		if _, ok := got.Conf[k]; ok {
			t.Errorf("stormconf.ser keeps %s, which Nimbus drops when it runs without ZK auth", k)
		}
	}
}
