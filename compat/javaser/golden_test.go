package javaser

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/galeproject/gale/internal/stormjava"
	"github.com/galeproject/gale/stormthrift"
)

var update = flag.Bool("update", false, "regenerate testdata/*.ser and *.json with Java (storm-core 1.0.0)")

// golden is one component serialized by Storm's TopologyBuilder and what
// the JVM saw in it (testdata/<name>.json, written by GenGoldens).
type golden struct {
	Class  string         `json:"class"`
	Spout  bool           `json:"spout"`
	Fields map[string]any `json:"fields"`
}

func goldenNames(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	sort.Strings(names)
	return names
}

// TestComponentGoldens parses every serialized component in testdata and
// checks the class and the fields against what the JVM read by reflection.
func TestComponentGoldens(t *testing.T) {
	names := goldenNames(t, "testdata")
	if len(names) < 14 {
		t.Fatalf("only %d goldens in testdata", len(names))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) { checkGolden(t, "testdata", name) })
	}
}

func checkGolden(t *testing.T, dir, name string) {
	t.Helper()
	var want golden
	readJSON(t, filepath.Join(dir, name+".json"), &want)
	b, err := os.ReadFile(filepath.Join(dir, name+".ser"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseObject(b)
	if err != nil {
		t.Fatalf("parse %s.ser: %v", name, err)
	}
	if o.ClassName() == "org.apache.storm.topology.BasicBoltExecutor" {
		// TopologyBuilder wraps an IBasicBolt; the facts are the bolt's.
		inner, _ := o.Field(o.ClassName(), "_bolt")
		bolt, ok := inner.(*Object)
		if !ok {
			t.Fatalf("BasicBoltExecutor without a _bolt object: %T", inner)
		}
		o = bolt
	}
	if o.ClassName() != want.Class {
		t.Errorf("class %s, want %s", o.ClassName(), want.Class)
	}
	got := map[string]any{}
	for key := range want.Fields {
		i := strings.LastIndex(key, ".")
		v, ok := o.Field(key[:i], key[i+1:])
		if !ok {
			t.Errorf("field %s not found", key)
			continue
		}
		jv, err := jsonable(v)
		if err != nil {
			t.Errorf("field %s: %v", key, err)
			continue
		}
		got[key] = jv
	}
	if g, w := normJSON(t, got), normJSON(t, want.Fields); !reflect.DeepEqual(g, w) {
		t.Errorf("fields\n got %v\nwant %v", g, w)
	}
}

// jsonable turns a parsed field value into what GenGoldens.jsonable makes
// of the live Java value.
func jsonable(v any) (any, error) {
	if o, ok := v.(*Object); ok {
		switch o.ClassName() {
		case "org.apache.storm.tuple.Fields":
			f, _ := o.Field("org.apache.storm.tuple.Fields", "_fields")
			return Strings(f)
		case "org.apache.storm.generated.StreamInfo":
			// Thrift structs write themselves in TCompactProtocol from
			// writeObject, without default field values.
			r := NewAnnotationReader(o.ClassData(o.ClassName()).Annotations)
			var raw []byte
			for !r.Done() {
				p, err := r.Bytes(1)
				if err != nil {
					return nil, err
				}
				raw = append(raw, p...)
			}
			si := stormthrift.NewStreamInfo()
			proto := thrift.NewTCompactProtocolConf(thrift.NewStreamTransportR(bytes.NewReader(raw)), nil)
			if err := si.Read(context.Background(), proto); err != nil {
				return nil, err
			}
			return map[string]any{"direct": si.Direct, "output_fields": si.OutputFields}, nil
		}
		if entries, err := MapEntries(o); err == nil {
			m := map[string]any{}
			for _, e := range entries {
				k, ok := e.Key.(string)
				if !ok {
					return nil, fmt.Errorf("map key %s", describe(e.Key))
				}
				jv, err := jsonable(e.Value)
				if err != nil {
					return nil, err
				}
				m[k] = jv
			}
			return m, nil
		}
	}
	return ToGo(v)
}

func readJSON(t *testing.T, path string, into any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// normJSON round-trips v through JSON so that Go and Java values compare.
func normJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGoldensLive regenerates the goldens with this machine's JVM and
// storm-core 1.0.0 and checks that the live bytes mean the same as the
// committed ones (bytes may differ between JDKs; the JVM's facts and our
// parse of them must not). With -update it rewrites testdata.
func TestGoldensLive(t *testing.T) {
	if testing.Short() && !*update {
		t.Skip("short mode")
	}
	out := generate(t)
	names := goldenNames(t, out)
	if len(names) < 14 {
		t.Fatalf("generator wrote %d goldens", len(names))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, out, name)
			var live, committed golden
			readJSON(t, filepath.Join(out, name+".json"), &live)
			if _, err := os.Stat(filepath.Join("testdata", name+".json")); err != nil && !*update {
				t.Fatalf("no committed golden for %s (run with -update)", name)
			} else if err == nil {
				readJSON(t, filepath.Join("testdata", name+".json"), &committed)
				if !reflect.DeepEqual(normJSON(t, live), normJSON(t, committed)) && !*update {
					t.Errorf("live facts differ from committed:\n live %+v\n committed %+v", live, committed)
				}
			}
		})
	}
	checkGrammar(t, out)
	if *update {
		files, _ := filepath.Glob(filepath.Join(out, "*"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("testdata", filepath.Base(f)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("updated %d files in testdata", len(files))
	}
}

// generate compiles GenGoldens (with Storm 1.0.0's Flux shell wrappers,
// taken from the Storm source mirror when it is there: they are not on
// Maven Central) and runs it into a temporary directory.
func generate(t *testing.T) string {
	t.Helper()
	cp := stormjava.Classpath(t)
	src := t.TempDir()
	if err := os.CopyFS(src, os.DirFS("testdata/java")); err != nil {
		t.Fatal(err)
	}
	addFluxSources(t, filepath.Join(src, "flux"))
	classes := stormjava.Compile(t, src, cp)
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stormjava.Run(t, stormjava.Command(ctx, classes+string(os.PathListSeparator)+cp, "gale.javaser.GenGoldens", out))
	return out
}

func addFluxSources(t *testing.T, dir string) {
	gitDir := os.Getenv("GALE_STORM_GIT")
	if gitDir == "" {
		gitDir = "/work/.mirror/apache+storm/repo"
	}
	if _, err := os.Stat(gitDir); err != nil {
		t.Logf("no Storm git mirror at %s: generating without the Flux wrappers", gitDir)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"bolts/FluxShellBolt", "spouts/FluxShellSpout"} {
		path := "v1.0.0:external/flux/flux-wrappers/src/main/java/org/apache/storm/flux/wrappers/" + f + ".java"
		b, err := exec.Command("git", "--git-dir="+gitDir, "show", path).Output()
		if err != nil {
			t.Logf("git show %s: %v: generating without the Flux wrappers", path, err)
			return
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)+".java"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
