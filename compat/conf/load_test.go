package conf

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoad(t *testing.T) {
	root := t.TempDir()
	confDir := filepath.Join(root, "conf")
	home := filepath.Join(root, "home")
	envDir := filepath.Join(root, "env")
	writeFile(t, filepath.Join(confDir, "storm.yaml"), "storm.zookeeper.servers: [\"zk-a\", \"zk-b\"]\nnimbus.thrift.port: 7000\n")
	writeFile(t, filepath.Join(home, ".storm", "storm.yaml"), "nimbus.thrift.port: 7001\n")
	writeFile(t, filepath.Join(envDir, "storm.yaml"), "nimbus.thrift.port: 7002\n")
	cfile := filepath.Join(root, "custom.yaml")
	writeFile(t, cfile, "nimbus.thrift.port: 7003\nsupervisor.cpu.capacity: 200\n")
	empty := filepath.Join(root, "empty.yaml")
	writeFile(t, empty, "# nothing\n")
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	tests := []struct {
		name     string
		opts     LoadOptions
		wantPort int64
		check    func(t *testing.T, c Conf)
		wantErr  string
	}{
		{"defaults only", LoadOptions{Getenv: env(nil)}, 6627, nil, ""},
		{"conf dir", LoadOptions{ConfDir: confDir, Getenv: env(map[string]string{"HOME": home})}, 7000,
			func(t *testing.T, c Conf) {
				if got := c.Strings(StormZookeeperServers); !reflect.DeepEqual(got, []string{"zk-a", "zk-b"}) {
					t.Errorf("servers = %v", got)
				}
			}, ""},
		{"conf dir without storm.yaml", LoadOptions{ConfDir: root, Getenv: env(nil)}, 6627, nil, ""},
		{"STORM_CONF_DIR before ~/.storm", LoadOptions{Getenv: env(map[string]string{"HOME": home, "STORM_CONF_DIR": envDir})}, 7002, nil, ""},
		{"~/.storm", LoadOptions{Getenv: env(map[string]string{"HOME": home, "STORM_CONF_DIR": root})}, 7001, nil, ""},
		{"--config file wins", LoadOptions{ConfFile: cfile, ConfDir: confDir}, 7003,
			func(t *testing.T, c Conf) {
				if v := c[SupervisorCPUCapacity]; v != int64(200) {
					t.Errorf("cpu = %#v", v)
				}
			}, ""},
		{"overrides last", LoadOptions{ConfDir: confDir, StormOptions: "nimbus.thrift.port%3D7004,topology.debug%3Dtrue",
			Overrides: []string{"nimbus.thrift.port=7005", "storm.local.dir=/tmp/x y", `nimbus.seeds=["a","b"]`}}, 7005,
			func(t *testing.T, c Conf) {
				if c[StormLocalDir] != "/tmp/x y" || c[TopologyDebug] != true ||
					!reflect.DeepEqual(c.Strings(NimbusSeeds), []string{"a", "b"}) {
					t.Errorf("conf = %v %v %v", c[StormLocalDir], c[TopologyDebug], c[NimbusSeeds])
				}
			}, ""},
		{"missing --config file", LoadOptions{ConfFile: filepath.Join(root, "nope.yaml")}, 0, nil, "nope.yaml"},
		{"empty --config file", LoadOptions{ConfFile: empty}, 0, nil, "doesn't have any valid storm configs"},
		{"bad override", LoadOptions{ConfDir: root, Overrides: []string{"novalue"}}, 0, nil, "key=value"},
		{"bad storm.options", LoadOptions{ConfDir: root, StormOptions: "a%zz=1"}, 0, nil, "storm.options"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(tc.opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.IntOr(NimbusThriftPort, -1); got != tc.wantPort {
				t.Fatalf("port = %d, want %d", got, tc.wantPort)
			}
			if c[StormZookeeperRoot] != "/storm" {
				t.Errorf("defaults lost: root = %v", c[StormZookeeperRoot])
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

func TestParseYAML(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Conf
		wantErr bool
	}{
		{"empty", "", Conf{}, false},
		{"comment only", "# x\n", Conf{}, false},
		{"scalars", "a: 1\nb: 1.5\nc: x\nd: true\ne: null\nf: 0.0.0.0\ng: -1\n",
			Conf{"a": int64(1), "b": 1.5, "c": "x", "d": true, "e": nil, "f": "0.0.0.0", "g": int64(-1)}, false},
		{"nested map with int keys", "m:\n  1: a\n  k: [1, 2.0]\n",
			Conf{"m": map[string]any{"1": "a", "k": []any{int64(1), 2.0}}}, false},
		{"timestamp as RFC 3339 text", "t: 2001-12-14\n", Conf{"t": "2001-12-14T00:00:00Z"}, false},
		{"list document", "- a\n", nil, true},
		{"scalar document", "x\n", nil, true},
		{"syntax error", "a: [\n", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseYAML([]byte(tc.in))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if !tc.wantErr && !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestParseOverride(t *testing.T) {
	tests := []struct {
		in      string
		key     string
		val     any
		wantErr bool
	}{
		{"topology.workers=3", "topology.workers", int64(3), false},
		{"topology.stats.sample.rate=0.5", "topology.stats.sample.rate", 0.5, false},
		{"topology.debug=true", "topology.debug", true, false},
		{"a=null", "a", nil, false},
		{"a=", "a", "", false},
		{"a=b=c", "a", "b=c", false},
		{`a="quoted"`, "a", "quoted", false},
		{"a=[1, \"x\"]", "a", []any{int64(1), "x"}, false},
		{`a={"k":1}`, "a", map[string]any{"k": int64(1)}, false},
		{"a=hello world", "a", "hello world", false},
		{"a=1 2", "a", "1 2", false},
		{"a=[1,", "a", "[1,", false},
		{"=x", "", "x", false},
		{"nokey", "", nil, true},
	}
	for _, tc := range tests {
		k, v, err := ParseOverride(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParseOverride(%q) err = %v", tc.in, err)
			continue
		}
		if !tc.wantErr && (k != tc.key || !reflect.DeepEqual(v, tc.val)) {
			t.Errorf("ParseOverride(%q) = %q, %#v; want %q, %#v", tc.in, k, v, tc.key, tc.val)
		}
	}
}

func TestStormOptions(t *testing.T) {
	opts := []string{"topology.workers=3", `nimbus.seeds=["a","b"]`, "x=a,b c", "y=100%", `m={"k":[1,2]}`}
	enc := EncodeStormOptions(opts)
	if strings.ContainsAny(enc, " =[]{}\"") {
		t.Errorf("encoded form not escaped: %s", enc)
	}
	if got := strings.Count(enc, ","); got != len(opts)-1 {
		t.Errorf("encoded form has %d commas: %s", got, enc)
	}
	c, err := DecodeStormOptions(enc)
	if err != nil {
		t.Fatal(err)
	}
	want := Conf{"topology.workers": int64(3), "nimbus.seeds": []any{"a", "b"}, "x": "a,b c", "y": "100%",
		"m": map[string]any{"k": []any{int64(1), int64(2)}}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("decoded %#v\nwant %#v", c, want)
	}
}

// TestDecodeStormOptionsJavaSplit pins the split of unescaped values
// (storm.cmd on Windows passes them raw).
func TestDecodeStormOptionsJavaSplit(t *testing.T) {
	tests := []struct {
		in   string
		want Conf
	}{
		{"", Conf{}},
		{"a=1,b=2", Conf{"a": int64(1), "b": int64(2)}},
		{"a=[1,2],b=3", Conf{"a": []any{int64(1), int64(2)}, "b": int64(3)}},
		{`a={"k":[1,2]},b=x`, Conf{"a": map[string]any{"k": []any{int64(1), int64(2)}}, "b": "x"}},
		// Java's regex only protects a comma whose next bracket closes: here
		// the comma before "j" is followed by '[', so the object is split
		// (and the "j" part, having no '=', dropped).
		{`a={"k":1,"j":[1,2]},b=x`, Conf{"a": `{"k":1`, "b": "x"}},
		{"noeq,a=1,,", Conf{"a": int64(1)}},
		{",a=1", Conf{"a": int64(1)}},
		{"a=x+y", Conf{"a": "x y"}},
		{"a=1,b=2]", Conf{"a": "1,b=2]"}}, // the comma is "inside" a bracket pair to Java's regex
	}
	for _, tc := range tests {
		got, err := DecodeStormOptions(tc.in)
		if err != nil {
			t.Errorf("DecodeStormOptions(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("DecodeStormOptions(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func FuzzDecodeStormOptions(f *testing.F) {
	f.Add("a=1,b=[1,2]", "k", "v")
	f.Add("x%3D%5B1%2C2%5D,y=%zz", "topology.workers", "3")
	f.Add("{,},[,]", "a", `{"b":[1,2]}`)
	f.Fuzz(func(t *testing.T, raw, key, val string) {
		_, _ = DecodeStormOptions(raw) // must not panic
		if strings.Contains(key, "=") {
			return
		}
		// Anything storm.py encodes decodes back to what ParseOverride reads.
		opt := key + "=" + val
		c, err := DecodeStormOptions(EncodeStormOptions([]string{opt, "z.last=1"}))
		if err != nil {
			t.Fatalf("decode of encoded %q: %v", opt, err)
		}
		k, v, err := ParseOverride(opt)
		if err != nil {
			t.Fatal(err)
		}
		if key == "z.last" {
			return
		}
		if !reflect.DeepEqual(c[k], v) || c["z.last"] != int64(1) {
			t.Fatalf("round trip of %q: got %#v (%v), want %#v", opt, c[k], c, v)
		}
	})
}
