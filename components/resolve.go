package components

import (
	"errors"
	"fmt"
	"strings"

	"github.com/galeproject/gale/compat/javaser"
	"github.com/galeproject/gale/stormthrift"
)

// Java classes this package knows.
const (
	ShellBoltClass             = "org.apache.storm.task.ShellBolt"
	ShellSpoutClass            = "org.apache.storm.spout.ShellSpout"
	TestWordSpoutClass         = "org.apache.storm.testing.TestWordSpout"
	TestWordCounterClass       = "org.apache.storm.testing.TestWordCounter"
	BasicBoltExecutorClass     = "org.apache.storm.topology.BasicBoltExecutor"
	TestGlobalCountClass       = "org.apache.storm.testing.TestGlobalCount"
	TestAggregatesCounterClass = "org.apache.storm.testing.TestAggregatesCounter"
	IdentityBoltClass          = "org.apache.storm.testing.IdentityBolt"
	fieldsClass                = "org.apache.storm.tuple.Fields"
)

// Spec says how to run a component: *Shell, *Builtin or *GoComponent.
type Spec interface{ spec() }

// Shell is a multilang subprocess (package shellhost).
type Shell struct {
	// Command is the program and its arguments, run in the topology's
	// resources directory.
	Command []string
	// Env is added to the worker's environment (ShellBolt.setEnv).
	Env map[string]string
	// Class is the Java class the command came from (e.g.
	// "org.apache.storm.starter.WordCountTopology$SplitSentence"), or ""
	// for a ShellComponent.
	Class string
}

// Builtin is one of the test components storm-core ships, run natively.
type Builtin struct {
	// Class is one of the Test*Class and IdentityBoltClass constants.
	Class string
	// Fields holds the object's serialized fields by name, as plain Go
	// values (see javaser.ToGo); a tuple.Fields value is its []string. For
	// a JavaObject it holds the constructor's effect (TestWordSpout's
	// _isDistributed).
	Fields map[string]any
}

// GoComponent is a component registered with the Go SDK under Name (a
// JavaObject's full_class_name).
type GoComponent struct {
	Name string
	// Args are the JavaObject arguments: int32, int64, string, bool,
	// []byte or float64.
	Args []any
}

func (*Shell) spec()       {}
func (*Builtin) spec()     {}
func (*GoComponent) spec() {}

// NeedsJVMError reports a component that only a JVM can run.
type NeedsJVMError struct {
	// Class is the Java class of the component.
	Class string
	// Reason says why Gale cannot run it natively.
	Reason string
}

func (e *NeedsJVMError) Error() string {
	return fmt.Sprintf("component class %s needs a JVM: %s", e.Class, e.Reason)
}

// ErrBadComponent is wrapped by errors about a ComponentObject that cannot
// be a component at all (unreadable bytes, a bolt where a spout belongs,
// a ShellBolt without a command, ...).
var ErrBadComponent = errors.New("bad component object")

// IsDistributed returns TestWordSpout's _isDistributed (true when absent).
func (b *Builtin) IsDistributed() bool {
	v, ok := b.Fields["_isDistributed"].(bool)
	return !ok || v
}

// Resolve decides how to run obj, the spout_object (isSpout) or
// bolt_object of a component.
func Resolve(obj *stormthrift.ComponentObject, isSpout bool) (Spec, error) {
	switch {
	case obj == nil:
		return nil, fmt.Errorf("%w: nil", ErrBadComponent)
	case obj.IsSetSerializedJava():
		return resolveSerialized(obj.SerializedJava, isSpout)
	case obj.IsSetShell():
		// ShellBolt(ShellComponent) = new ShellBolt(execution_command, script)
		return &Shell{Command: []string{obj.Shell.ExecutionCommand, obj.Shell.Script}, Env: map[string]string{}}, nil
	case obj.IsSetJavaObject():
		return resolveJavaObject(obj.JavaObject, isSpout)
	}
	return nil, fmt.Errorf("%w: no field set", ErrBadComponent)
}

func resolveSerialized(b []byte, isSpout bool) (Spec, error) {
	o, err := javaser.ParseObject(b)
	if err != nil {
		return nil, fmt.Errorf("%w: serialized_java: %w", ErrBadComponent, err)
	}
	if o.Is(BasicBoltExecutorClass) {
		// TopologyBuilder.setBolt(IBasicBolt) wraps the bolt.
		if isSpout {
			return nil, fmt.Errorf("%w: %s used as a spout", ErrBadComponent, BasicBoltExecutorClass)
		}
		inner, _ := o.Field(BasicBoltExecutorClass, "_bolt")
		bolt, ok := inner.(*javaser.Object)
		if !ok {
			return nil, fmt.Errorf("%w: %s without a _bolt", ErrBadComponent, BasicBoltExecutorClass)
		}
		o = bolt
	}
	class := o.ClassName()
	switch {
	case o.Is(ShellBoltClass):
		if isSpout {
			return nil, fmt.Errorf("%w: %s is a ShellBolt, used as a spout", ErrBadComponent, class)
		}
		return shellFields(o, ShellBoltClass)
	case o.Is(ShellSpoutClass):
		if !isSpout {
			return nil, fmt.Errorf("%w: %s is a ShellSpout, used as a bolt", ErrBadComponent, class)
		}
		return shellFields(o, ShellSpoutClass)
	}
	if spout, ok := builtinKind(class); ok {
		if spout != isSpout {
			return nil, fmt.Errorf("%w: %s used as a %s", ErrBadComponent, class, kindName(isSpout))
		}
		fields, err := objectFields(o)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrBadComponent, class, err)
		}
		if class == IdentityBoltClass {
			if _, ok := fields["_fields"].([]string); !ok {
				return nil, fmt.Errorf("%w: IdentityBolt without output fields", ErrBadComponent)
			}
		}
		return &Builtin{Class: class, Fields: fields}, nil
	}
	return nil, &NeedsJVMError{Class: class, Reason: "it is a Java class that is neither a ShellBolt/ShellSpout nor a built-in storm-core test component"}
}

func kindName(spout bool) string {
	if spout {
		return "spout"
	}
	return "bolt"
}

// builtinKind reports whether class is a built-in and whether it is a
// spout.
func builtinKind(class string) (spout, ok bool) {
	switch class {
	case TestWordSpoutClass:
		return true, true
	case TestWordCounterClass, TestGlobalCountClass, TestAggregatesCounterClass, IdentityBoltClass:
		return false, true
	}
	return false, false
}

// shellFields reads _command and env of a ShellBolt or ShellSpout.
func shellFields(o *javaser.Object, base string) (Spec, error) {
	cmdv, ok := o.Field(base, "_command")
	if !ok {
		return nil, fmt.Errorf("%w: %s has no _command field", ErrBadComponent, o.ClassName())
	}
	cmd, err := javaser.Strings(cmdv)
	if err != nil {
		return nil, fmt.Errorf("%w: %s._command: %w", ErrBadComponent, o.ClassName(), err)
	}
	if len(cmd) == 0 || cmd[0] == "" {
		return nil, fmt.Errorf("%w: %s has an empty command", ErrBadComponent, o.ClassName())
	}
	envv, _ := o.Field(base, "env")
	entries, err := javaser.MapEntries(envv) // null reads as empty
	if err != nil {
		return nil, fmt.Errorf("%w: %s.env: %w", ErrBadComponent, o.ClassName(), err)
	}
	env := make(map[string]string, len(entries))
	for _, e := range entries {
		k, ok1 := e.Key.(string)
		v, ok2 := e.Value.(string)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%w: %s.env holds a non-string entry", ErrBadComponent, o.ClassName())
		}
		env[k] = v
	}
	return &Shell{Command: cmd, Env: env, Class: o.ClassName()}, nil
}

// objectFields converts every serialized field of o into Go values.
func objectFields(o *javaser.Object) (map[string]any, error) {
	out := map[string]any{}
	for _, cd := range o.Data {
		if cd.NoFieldValues || len(cd.Values) != len(cd.Class.Fields) {
			continue
		}
		for i, f := range cd.Class.Fields {
			v, err := fieldValue(cd.Values[i])
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", f.Name, err)
			}
			name := f.Name
			if _, dup := out[name]; dup {
				name = cd.Class.Name + "." + name
			}
			out[name] = v
		}
	}
	return out, nil
}

// fieldValue converts a field value: a tuple.Fields to its names, other
// values with javaser.ToGo where possible, else the parsed value itself.
func fieldValue(v any) (any, error) {
	if o, ok := v.(*javaser.Object); ok && o.ClassName() == fieldsClass {
		list, _ := o.Field(fieldsClass, "_fields")
		return javaser.Strings(list)
	}
	if g, err := javaser.ToGo(v); err == nil {
		return g, nil
	}
	return v, nil
}

// isJavaClass reports whether name is in a package whose classes are Java,
// not Go SDK registrations.
func isJavaClass(name string) bool {
	for _, p := range []string{"org.apache.storm.", "backtype.storm.", "java.", "javax.", "clojure."} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func resolveJavaObject(jo *stormthrift.JavaObject, isSpout bool) (Spec, error) {
	args := make([]any, 0, len(jo.ArgsList))
	for i, a := range jo.ArgsList {
		v, err := javaArg(a)
		if err != nil {
			return nil, fmt.Errorf("%w: %s argument %d: %w", ErrBadComponent, jo.FullClassName, i, err)
		}
		args = append(args, v)
	}
	class := jo.FullClassName
	if spout, ok := builtinKind(class); ok {
		if spout != isSpout {
			return nil, fmt.Errorf("%w: %s used as a %s", ErrBadComponent, class, kindName(isSpout))
		}
		switch {
		case class == TestWordSpoutClass && len(args) == 0:
			return &Builtin{Class: class, Fields: map[string]any{"_isDistributed": true}}, nil
		case class == TestWordSpoutClass && len(args) == 1:
			if d, ok := args[0].(bool); ok {
				return &Builtin{Class: class, Fields: map[string]any{"_isDistributed": d}}, nil
			}
		case class != IdentityBoltClass && len(args) == 0:
			return &Builtin{Class: class, Fields: map[string]any{}}, nil
		}
		return nil, fmt.Errorf("%w: %s has no constructor taking %d such arguments", ErrBadComponent, class, len(args))
	}
	if isJavaClass(class) {
		return nil, &NeedsJVMError{Class: class, Reason: "it is a Java class (java_object) that Gale does not implement"}
	}
	if class == "" {
		return nil, fmt.Errorf("%w: java_object without a class name", ErrBadComponent)
	}
	return &GoComponent{Name: class, Args: args}, nil
}

func javaArg(a *stormthrift.JavaObjectArg) (any, error) {
	switch {
	case a == nil:
		return nil, errors.New("nil argument")
	case a.IsSetIntArg():
		return *a.IntArg, nil
	case a.IsSetLongArg():
		return *a.LongArg, nil
	case a.IsSetStringArg():
		return *a.StringArg, nil
	case a.IsSetBoolArg():
		return *a.BoolArg, nil
	case a.IsSetBinaryArg():
		return a.BinaryArg, nil
	case a.IsSetDoubleArg():
		return *a.DoubleArg, nil
	}
	return nil, errors.New("argument with no field set")
}
