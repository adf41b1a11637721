package stormjava

import (
	"archive/zip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestProbe resolves storm-core, compiles a probe against it and runs it on
// this machine's JVM with Command's flags, checking that storm.options
// reach Utils.readStormConfig and that logging stays off standard output.
func TestProbe(t *testing.T) {
	cp := Classpath(t)
	if !strings.Contains(cp, "storm-core-"+StormVersion+".jar") {
		t.Fatalf("classpath lacks storm-core: %s", cp)
	}
	classes := Compile(t, "testdata/probe", cp)
	if again := Compile(t, "testdata/probe", cp); again != classes {
		t.Errorf("second Compile = %s, want cached %s", again, classes)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := CommandWithProps(ctx, classes+string(os.PathListSeparator)+cp,
		[]string{`storm.options=nimbus.seeds=%5B%22127.0.0.1%22%5D,nimbus.thrift.port=7777`}, "Probe", "a", "b c")
	out := Run(t, cmd)
	var got struct {
		Java  string   `json:"java"`
		Seeds []string `json:"seeds"`
		Port  int      `json:"port"`
		Dir   string   `json:"dir"`
		Args  []string `json:"args"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("stdout is not one JSON object (logging on stdout?): %v\n%s", err, out)
	}
	t.Logf("probe on Java %s: %s", got.Java, out)
	if !slices.Equal(got.Seeds, []string{"127.0.0.1"}) || got.Port != 7777 {
		t.Errorf("storm.options not applied: seeds %v port %d", got.Seeds, got.Port)
	}
	if got.Dir != "/probe" || !slices.Equal(got.Args, []string{"a", "b c"}) {
		t.Errorf("got dir %q args %q", got.Dir, got.Args)
	}
}

func TestJar(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "p"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p", "X.class"), []byte("cafebabe"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := zip.OpenReader(Jar(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
	}
	if want := []string{"META-INF/MANIFEST.MF", "p/X.class"}; !slices.Equal(names, want) {
		t.Errorf("jar entries %q, want %q", names, want)
	}
}
