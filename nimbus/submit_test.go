package nimbus

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

func TestSubmitValidation(t *testing.T) {
	h := startNimbus(t, harnessOpts{conf: conf.Conf{"nimbus.executors.perTopology": int64(50)}})
	ctx := context.Background()
	c := h.client()
	jar := upload(t, c, []byte("jar"))
	unfinished, err := c.BeginFileUpload(ctx)
	if err != nil {
		t.Fatal(err)
	}

	badComponent := wordCount()
	badComponent.Bolts["__mine"] = badComponent.Bolts["count"]
	delete(badComponent.Bolts, "count")
	missingSource := wordCount()
	missingSource.Bolts["count"].Common.Inputs[&stormthrift.GlobalStreamId{ComponentId: "ghost", StreamId: "default"}] =
		&stormthrift.Grouping{Shuffle: &stormthrift.NullStruct{}}
	tooBig := wordCount()
	tooBig.Bolts["count"].Common.ParallelismHint = ptr(int32(100))

	tests := []struct {
		name, topo, jar, conf string
		t                     *stormthrift.StormTopology
		kind, frag            string
	}{
		{name: "slash in name", topo: "a/b", kind: "InvalidTopology", frag: "Topology name cannot contain"},
		{name: "colon in name", topo: "a:b", kind: "InvalidTopology", frag: "Topology name cannot contain"},
		{name: "blank name", topo: "  ", kind: "InvalidTopology", frag: ""},
		{name: "conf not json", conf: `{"topology.workers": `, kind: "InvalidTopology", frag: "JSON"},
		{name: "conf not an object", conf: `[1, 2]`, kind: "InvalidTopology", frag: ""},
		{name: "workers not an integer", conf: `{"topology.workers": "three"}`, kind: "InvalidTopology", frag: "Field TOPOLOGY_WORKERS must be an Integer within type range."},
		{name: "workers zero", conf: `{"topology.workers": 0}`, kind: "InvalidTopology", frag: "Field TOPOLOGY_WORKERS must be a Positive Number"},
		{name: "message timeout null", conf: `{"topology.message.timeout.secs": null}`, kind: "InvalidTopology", frag: "cannot be null"},
		{name: "system component id", t: badComponent, kind: "InvalidTopology", frag: "__mine is not a valid component id"},
		{name: "missing source", t: missingSource, kind: "InvalidTopology", frag: "ghost"},
		{name: "too many executors", t: tooBig, kind: "InvalidTopology", frag: "Topology requests more than 50 executors."},
		{name: "jar never uploaded", jar: filepath.Join(h.dir, "nimbus", "inbox", "stormjar-x.jar"), kind: "InvalidTopology", frag: "was not issued"},
		{name: "jar path trick", jar: "/etc/passwd", kind: "InvalidTopology", frag: "was not issued"},
		{name: "jar upload unfinished", jar: unfinished, kind: "InvalidTopology", frag: "was not issued"},
		{name: "no jar", jar: "-", kind: "InvalidTopology", frag: "No uploaded jar"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name, loc, js, topo := "ok", jar, `{}`, wordCount()
			if tc.topo != "" {
				name = tc.topo
			}
			if tc.jar == "-" {
				loc = ""
			} else if tc.jar != "" {
				loc = tc.jar
			}
			if tc.conf != "" {
				js = tc.conf
			}
			if tc.t != nil {
				topo = tc.t
			}
			wantErr(t, c.SubmitTopology(ctx, name, loc, js, topo), tc.kind, tc.frag)
		})
	}
	cs, err := c.GetClusterInfo(ctx)
	if err != nil || len(cs.GetTopologies()) != 0 {
		t.Fatalf("topologies after failed submissions: %v %v", cs.GetTopologies(), err)
	}
	if keys, _ := h.n.blobs.Keys(); len(keys) != 0 {
		t.Fatalf("blobs after failed submissions: %v", keys)
	}
}

func TestSubmitStoresStormFormats(t *testing.T) {
	h := startNimbus(t, harnessOpts{conf: conf.Conf{
		"storm.zookeeper.superACL": "sasl:nimbus",
		"topology.kryo.register":   []any{"nimbus.Class"},
	}})
	ctx := context.Background()
	c := h.client()
	jarBytes := make([]byte, 700_000) // several upload chunks
	for i := range jarBytes {
		jarBytes[i] = byte(i * 7)
	}
	topo := wordCount()
	topo.Bolts["split"].Common.JSONConf = ptr(`{"topology.kryo.register": [{"comp.Class": "comp.Ser"}], "topology.kryo.decorators": ["d1"]}`)
	js := `{"topology.workers": 2, "topology.users": ["alice"], "topology.kryo.decorators": ["d2", "d1"],
	        "storm.zookeeper.topology.auth.scheme": "digest", "storm.zookeeper.topology.auth.payload": "a:b",
	        "topology.message.timeout.secs": 45}`
	if err := c.SubmitTopology(ctx, "fmt", upload(t, c, jarBytes), js, topo); err != nil {
		t.Fatal(err)
	}
	id, _, _ := h.n.stormIDByName(ctx, "fmt")

	// stormjar.jar: the uploaded bytes.
	got, err := h.n.blobs.Read(jarKey(id))
	if err != nil || string(got) != string(jarBytes) {
		t.Fatalf("jar blob: %d bytes, %v", len(got), err)
	}
	// stormconf.ser: gzip JSON of nimbus conf + normalized topology conf.
	cb, err := h.n.blobs.Read(confKey(id))
	if err != nil {
		t.Fatal(err)
	}
	m, err := compat.GunzipJSON(cb)
	if err != nil {
		t.Fatal(err)
	}
	sc := conf.Conf(m)
	for k, want := range map[string]any{
		"storm.id": id, "topology.name": "fmt", "topology.workers": int64(2), "topology.message.timeout.secs": int64(45),
		"topology.submitter.principal": "", "topology.submitter.user": systemUser(),
		"storm.zookeeper.superACL": "sasl:nimbus", "nimbus.thrift.port": int64(6627), "storm.local.dir": h.dir,
		"topology.acker.executors": nil, "topology.eventlogger.executors": int64(0), "topology.max.task.parallelism": nil,
	} {
		if v, ok := sc[k]; !ok || v != want {
			t.Errorf("stored conf %s = %#v (present %v), want %#v", k, v, ok, want)
		}
	}
	for _, k := range []string{"storm.zookeeper.topology.auth.scheme", "storm.zookeeper.topology.auth.payload"} {
		if _, ok := sc[k]; ok {
			t.Errorf("stored conf keeps %s without ZK auth on the server", k)
		}
	}
	if u := sc.Strings("topology.users"); len(u) != 2 || u[0] != "alice" || u[1] != systemUser() {
		t.Errorf("topology.users = %v", u)
	}
	if d := sc.Strings("topology.kryo.decorators"); len(d) != 2 || d[0] != "d1" || d[1] != "d2" {
		t.Errorf("topology.kryo.decorators = %v", d)
	}
	reg := sc.Map("topology.kryo.register")
	// The topology conf has no registrations, so nimbus's list is merged
	// after the components' (normalize-conf's (or topo nimbus)).
	if _, ok := reg["nimbus.Class"]; len(reg) != 2 || reg["comp.Class"] != "comp.Ser" || !ok || reg["nimbus.Class"] != nil {
		t.Errorf("topology.kryo.register = %v", reg)
	}
	// getTopologyConf returns the same JSON.
	tc, err := c.GetTopologyConf(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := conf.ParseJSON([]byte(tc))
	if err != nil || pc["storm.id"] != id {
		t.Fatalf("getTopologyConf: %v %v", pc["storm.id"], err)
	}
	// stormcode.ser: gzip-thrift user topology with topology.tasks everywhere.
	tb, err := h.n.blobs.Read(codeKey(id))
	if err != nil {
		t.Fatal(err)
	}
	var user stormthrift.StormTopology
	if err := compat.Deserialize(tb, &user); err != nil {
		t.Fatal(err)
	}
	if len(user.Bolts) != 2 || len(user.Spouts) != 1 {
		t.Fatalf("stored user topology: %v", &user)
	}
	for id, b := range user.Bolts {
		cc, err := conf.ParseJSON([]byte(b.Common.GetJSONConf()))
		if err != nil || cc["topology.tasks"] == nil {
			t.Fatalf("bolt %s json_conf %q: %v", id, b.Common.GetJSONConf(), err)
		}
	}
	ut, err := c.GetUserTopology(ctx, id)
	if err != nil || len(ut.GetBolts()) != 2 {
		t.Fatalf("getUserTopology: %v", err)
	}
	st, err := c.GetTopology(ctx, id)
	if err != nil || st.GetBolts()["__acker"] == nil || st.GetBolts()["__system"] == nil {
		t.Fatalf("getTopology lacks system components: %v", err)
	}
	// Blob store state: one replica each, credentials and heartbeats dirs.
	for _, k := range topoKeys(id) {
		if r, err := c.GetBlobReplication(ctx, k); err != nil || r != 1 {
			t.Errorf("replication of %s = %d %v", k, r, err)
		}
	}
	for _, p := range []string{"/credentials/" + id, "/workerbeats/" + id, "/backpressure/" + id} {
		if ok, _, err := h.st.Exists(ctx, p); !ok || err != nil {
			t.Errorf("%s missing (%v)", p, err)
		}
	}
	// Nimbus conf over Thrift is JSON with integers.
	nc, err := c.GetNimbusConf(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ncc, err := conf.ParseJSON([]byte(nc))
	if err != nil || ncc["nimbus.thrift.port"] != int64(6627) {
		t.Fatalf("getNimbusConf: %v %v", ncc["nimbus.thrift.port"], err)
	}
}

func TestUploadRefused(t *testing.T) {
	h := startNimbus(t, harnessOpts{})
	ctx := context.Background()
	c := h.client()
	victim := filepath.Join(t.TempDir(), "victim.jar")
	if err := os.WriteFile(victim, []byte("original"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := upload(t, c, []byte("done"))
	for _, loc := range []string{victim, "../" + filepath.Base(victim), filepath.Join(h.dir, "nimbus", "inbox", "stormjar-x.jar"), "", done} {
		wantErr(t, c.UploadChunk(ctx, loc, []byte("evil")), "Internal", "File for that location does not exist")
		if loc != done {
			wantErr(t, c.FinishFileUpload(ctx, loc), "Internal", "File for that location does not exist")
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "original" {
		t.Fatalf("victim changed: %q", b)
	}
	p, err := h.n.inbox.Path(done)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "done" {
		t.Fatalf("finished upload changed: %q", b)
	}
}
