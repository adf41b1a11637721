package components

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/galeproject/gale/stormthrift"
)

// goldens are the components Storm 1.0.0's TopologyBuilder serialized
// (see compat/javaser/testdata/README.md).
const goldens = "../compat/javaser/testdata"

func serialized(t testing.TB, name string) *stormthrift.ComponentObject {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldens, name+".ser"))
	if err != nil {
		t.Fatal(err)
	}
	return &stormthrift.ComponentObject{SerializedJava: b}
}

// facts is what the JVM saw in a golden (its .json file).
type facts struct {
	Class  string         `json:"class"`
	Spout  bool           `json:"spout"`
	Fields map[string]any `json:"fields"`
}

func readFacts(t *testing.T, name string) facts {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldens, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var f facts
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestResolveShellGoldens: every ShellBolt/ShellSpout subclass Storm
// serialized resolves to the command and environment the JVM had.
func TestResolveShellGoldens(t *testing.T) {
	for _, name := range []string{
		"shellbolt_split", "shellbolt_env", "shellbolt_unicode", "shellspout_words", "shellspout_env",
		"richshellbolt", "richshellspout", "fluxshellbolt", "fluxshellspout",
	} {
		t.Run(name, func(t *testing.T) {
			f := readFacts(t, name)
			spec, err := Resolve(serialized(t, name), f.Spout)
			if err != nil {
				t.Fatal(err)
			}
			sh, ok := spec.(*Shell)
			if !ok {
				t.Fatalf("Resolve = %#v, want *Shell", spec)
			}
			base := "org.apache.storm.task.ShellBolt"
			if f.Spout {
				base = "org.apache.storm.spout.ShellSpout"
			}
			var wantCmd []string
			for _, s := range f.Fields[base+"._command"].([]any) {
				wantCmd = append(wantCmd, s.(string))
			}
			wantEnv := map[string]string{}
			for k, v := range f.Fields[base+".env"].(map[string]any) {
				wantEnv[k] = v.(string)
			}
			if !reflect.DeepEqual(sh.Command, wantCmd) || !reflect.DeepEqual(sh.Env, wantEnv) || sh.Class != f.Class {
				t.Errorf("got %+v, want command %q env %v class %s", sh, wantCmd, wantEnv, f.Class)
			}
			// The same bytes in the other role are refused.
			if _, err := Resolve(serialized(t, name), !f.Spout); !errors.Is(err, ErrBadComponent) {
				t.Errorf("wrong role: %v", err)
			}
		})
	}
}

func TestResolveBuiltinGoldens(t *testing.T) {
	tests := []struct {
		name    string
		class   string
		spout   bool
		distrib bool
		output  []string
	}{
		{"testwordspout", TestWordSpoutClass, true, true, []string{"word"}},
		{"testwordspout_false", TestWordSpoutClass, true, false, []string{"word"}},
		{"testwordcounter", TestWordCounterClass, false, true, []string{"word", "count"}},
		{"testglobalcount", TestGlobalCountClass, false, true, []string{"global-count"}},
		{"testaggregatescounter", TestAggregatesCounterClass, false, true, []string{"agg-global"}},
		{"identitybolt", IdentityBoltClass, false, true, []string{"a", "b", "c"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := Resolve(serialized(t, tc.name), tc.spout)
			if err != nil {
				t.Fatal(err)
			}
			b, ok := spec.(*Builtin)
			if !ok || b.Class != tc.class {
				t.Fatalf("Resolve = %#v", spec)
			}
			if tc.spout && b.IsDistributed() != tc.distrib {
				t.Errorf("IsDistributed = %v, want %v (fields %v)", b.IsDistributed(), tc.distrib, b.Fields)
			}
			if !reflect.DeepEqual(b.OutputFields(), tc.output) {
				t.Errorf("OutputFields = %v, want %v", b.OutputFields(), tc.output)
			}
			if !tc.spout {
				if _, err := b.Bolt(); err != nil {
					t.Error(err)
				}
			}
			if _, err := Resolve(serialized(t, tc.name), !tc.spout); !errors.Is(err, ErrBadComponent) {
				t.Errorf("wrong role: %v", err)
			}
		})
	}
}

func TestResolveOther(t *testing.T) {
	str := func(s string) *string { return &s }
	b := func(v bool) *bool { return &v }
	i32 := func(v int32) *int32 { return &v }
	tests := []struct {
		name  string
		obj   *stormthrift.ComponentObject
		spout bool
		want  Spec
		err   any // error target: ErrBadComponent or **NeedsJVMError
	}{
		{name: "shell component", obj: &stormthrift.ComponentObject{Shell: &stormthrift.ShellComponent{ExecutionCommand: "python", Script: "bolt.py"}},
			want: &Shell{Command: []string{"python", "bolt.py"}, Env: map[string]string{}}},
		{name: "go component", obj: &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: "wordcount.Splitter",
			ArgsList: []*stormthrift.JavaObjectArg{{StringArg: str("x")}, {IntArg: i32(3)}}}},
			want: &GoComponent{Name: "wordcount.Splitter", Args: []any{"x", int32(3)}}},
		{name: "java_object TestWordSpout(false)", spout: true, obj: &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{
			FullClassName: TestWordSpoutClass, ArgsList: []*stormthrift.JavaObjectArg{{BoolArg: b(false)}}}},
			want: &Builtin{Class: TestWordSpoutClass, Fields: map[string]any{"_isDistributed": false}}},
		{name: "java_object TestGlobalCount", obj: &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: TestGlobalCountClass}},
			want: &Builtin{Class: TestGlobalCountClass, Fields: map[string]any{}}},
		{name: "java_object IdentityBolt", obj: &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: IdentityBoltClass}}, err: ErrBadComponent},
		{name: "java_object Java class", obj: &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: "org.apache.storm.kafka.KafkaSpout"}}, spout: true, err: new(*NeedsJVMError)},
		{name: "java_object empty arg", obj: &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: "x.Y", ArgsList: []*stormthrift.JavaObjectArg{{}}}}, err: ErrBadComponent},
		{name: "plain Java object", obj: serialized(t, "grammar"), err: new(*NeedsJVMError)},
		{name: "not java serialization", obj: &stormthrift.ComponentObject{SerializedJava: []byte("nope")}, err: ErrBadComponent},
		{name: "empty", obj: &stormthrift.ComponentObject{}, err: ErrBadComponent},
		{name: "nil", obj: nil, err: ErrBadComponent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := Resolve(tc.obj, tc.spout)
			switch target := tc.err.(type) {
			case nil:
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(spec, tc.want) {
					t.Errorf("Resolve = %#v, want %#v", spec, tc.want)
				}
			case error:
				if !errors.Is(err, target) {
					t.Errorf("err = %v, want %v", err, target)
				}
			case **NeedsJVMError:
				if !errors.As(err, target) || (*target).Class == "" {
					t.Errorf("err = %v, want *NeedsJVMError", err)
				}
				t.Log(err)
			}
		})
	}
}

func FuzzResolve(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(goldens, "*.ser"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil && len(b) < 8192 {
			f.Add(b, false)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, spout bool) {
		spec, err := Resolve(&stormthrift.ComponentObject{SerializedJava: b}, spout)
		if err == nil && spec == nil {
			t.Fatal("nil spec without error")
		}
		if sh, ok := spec.(*Shell); ok && (len(sh.Command) == 0 || sh.Command[0] == "") {
			t.Fatalf("shell spec without a command: %+v", sh)
		}
	})
}
