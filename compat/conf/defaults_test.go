package conf

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"strconv"
	"testing"
)

const stormMirror = "/work/.mirror/apache+storm/repo"

// stormFile returns a file of Storm v1.0.0 from the local mirror, skipping
// the test when the mirror is absent.
func stormFile(t *testing.T, path string) []byte {
	t.Helper()
	if _, err := os.Stat(stormMirror); err != nil {
		t.Skipf("Storm mirror %s not present", stormMirror)
	}
	out, err := exec.Command("git", "--git-dir="+stormMirror, "show", "v1.0.0:"+path).Output()
	if err != nil {
		t.Skipf("git show %s: %v", path, err)
	}
	return out
}

// TestDefaultsMatchStorm checks every key and value of the embedded defaults
// against Storm 1.0.0's conf/defaults.yaml.
func TestDefaultsMatchStorm(t *testing.T) {
	storm, err := ParseYAML(stormFile(t, "conf/defaults.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ours := Defaults()
	for k, want := range storm {
		got, ok := ours[k]
		if !ok {
			t.Errorf("missing default %q (= %#v)", k, want)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("default %q = %#v (%T), Storm has %#v (%T)", k, got, got, want, want)
		}
	}
	for k := range ours {
		if _, ok := storm[k]; !ok {
			t.Errorf("extra default %q not in Storm", k)
		}
	}
}

func TestDefaultsTypes(t *testing.T) {
	d := Defaults()
	tests := []struct {
		key  string
		want any
	}{
		{NimbusThriftPort, int64(6627)},
		{StormZookeeperServers, []any{"localhost"}},
		{StormZookeeperRoot, "/storm"},
		{SupervisorSlotsPorts, []any{int64(6700), int64(6701), int64(6702), int64(6703)}},
		{SupervisorMemoryCapacityMb, 3072.0},
		{TopologyStatsSampleRate, 0.05},
		{TopologyAckerExecutors, nil},
		{TopologyEnableMessageTimeouts, true},
		{UIHost, "0.0.0.0"},
		{NimbusSeeds, []any{"localhost"}},
		{DRPCHTTPSPort, int64(-1)},
		{StormLocalDir, "storm-local"},
	}
	for _, tc := range tests {
		got, ok := d[tc.key]
		if !ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Defaults()[%q] = %#v, %v; want %#v", tc.key, got, ok, tc.want)
		}
	}
	// Fresh copy each call.
	d[StormZookeeperServers].([]any)[0] = "changed"
	if Defaults()[StormZookeeperServers].([]any)[0] != "localhost" {
		t.Error("Defaults shares state between calls")
	}
}

// keyConstants parses keys.go and returns constant name → key.
func keyConstants(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "keys.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					continue
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				out[n.Name] = v
			}
		}
	}
	return out
}

func TestKeysCoverDefaults(t *testing.T) {
	have := map[string]bool{}
	for _, k := range keyConstants(t) {
		if have[k] {
			t.Errorf("key %q has two constants", k)
		}
		have[k] = true
	}
	for k := range Defaults() {
		if !have[k] {
			t.Errorf("no constant for default key %q", k)
		}
	}
	for _, k := range []string{"storm.id", "topology.name", "topology.submitter.user", "topology.submitter.principal",
		"topology.users", "topology.tasks", "topology.kryo.register", "topology.kryo.decorators",
		"storm.zookeeper.topology.auth.scheme", "storm.zookeeper.topology.auth.payload", "storm.zookeeper.superACL",
		"nimbus.seeds", "nimbus.host", "storm.local.hostname", "dev.zookeeper.path"} {
		if !have[k] {
			t.Errorf("no constant for %q", k)
		}
	}
}

// TestKeysCoverConfigJava checks every key constant of Storm's Config.java.
func TestKeysCoverConfigJava(t *testing.T) {
	src := stormFile(t, "storm-core/src/jvm/org/apache/storm/Config.java")
	re := regexp.MustCompile(`public\s+(?:static\s+final|final\s+static)\s+String\s+([A-Z_0-9]+)\s*=\s*"([^"]*)"`)
	have := map[string]bool{}
	for _, k := range keyConstants(t) {
		have[k] = true
	}
	matches := re.FindAllSubmatch(src, -1)
	if len(matches) < 250 {
		t.Fatalf("only %d keys found in Config.java", len(matches))
	}
	for _, m := range matches {
		if !have[string(m[2])] {
			t.Errorf("no constant for Config.%s = %q", m[1], m[2])
		}
	}
}
