package shellhost

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/galeproject/gale/components"
	"github.com/galeproject/gale/stormthrift"
)

// TestSerializedShellBolt runs a component from the bytes Storm 1.0.0's
// TopologyBuilder wrote for a Clojure-DSL RichShellBolt (command ["ruby",
// "count.rb"]): javaser reads the object, components resolves the command,
// and the host runs it on Storm's storm.rb.
func TestSerializedShellBolt(t *testing.T) {
	ruby := rubyLang
	interpreter(t, ruby)
	b, err := os.ReadFile("../compat/javaser/testdata/richshellbolt.ser")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := components.Resolve(&stormthrift.ComponentObject{SerializedJava: b}, false)
	if err != nil {
		t.Fatal(err)
	}
	sh, ok := spec.(*components.Shell)
	if !ok || !reflect.DeepEqual(sh.Command, []string{"ruby", "count.rb"}) {
		t.Fatalf("spec %#v", spec)
	}
	dir := resources(t, ruby, "count.rb")
	cfg := testConfig(t, sh.Command, dir)
	cfg.Env = sh.Env
	rec := &recorder{}
	bolt, err := StartBolt(context.Background(), cfg, rec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bolt.Close() })
	for i, s := range []string{"a b a", "b"} {
		if err := bolt.Execute(context.Background(), Input{Ref: i, Component: "spout", Stream: "default", Values: []any{s}}); err != nil {
			t.Fatal(err)
		}
	}
	checkFor(t, 10*time.Second, func() error {
		if _, acks, _, _, _ := rec.snapshot(); len(acks) != 2 {
			return fmt.Errorf("acks %v", acks)
		}
		return nil
	})
	emits, _, _, _, _ := rec.snapshot()
	var got [][]any
	for _, e := range emits {
		got = append(got, e.Values)
	}
	want := [][]any{{"a", int64(1)}, {"b", int64(1)}, {"a", int64(2)}, {"b", int64(2)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("emits %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "count.rb")); err != nil {
		t.Fatal(err)
	}
}
