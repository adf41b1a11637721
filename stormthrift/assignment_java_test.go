package stormthrift_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/internal/stormjava"
	"github.com/galeproject/gale/stormthrift"
)

// The goldens testdata/assignment_*.bin are the TBinary bytes Storm 1.0.0's
// own classes write for an Assignment (java/AssignmentGolden.java); the
// .json beside each lists the values with every map in wire order. They
// change only with -update, which regenerates them with Java.
var update = flag.Bool("update", false, "rewrite testdata/assignment_* with Storm's Java classes")

// assignmentDesc mirrors the JSON AssignmentGolden writes.
type assignmentDesc struct {
	MasterCodeDir    string       `json:"master_code_dir"`
	NodeHost         [][2]string  `json:"node_host"`
	ExecutorNodePort []execSlot   `json:"executor_node_port"`
	StartTimes       []execStart  `json:"executor_start_time_secs"`
	WorkerResources  []slotMemCPU `json:"worker_resources"`
}

type execSlot struct {
	Executor []int64 `json:"executor"`
	Node     string  `json:"node"`
	Ports    []int64 `json:"ports"`
}

type execStart struct {
	Executor      []int64 `json:"executor"`
	StartTimeSecs int64   `json:"start_time_secs"`
}

type slotMemCPU struct {
	Node       string   `json:"node"`
	Ports      []int64  `json:"ports"`
	MemOnHeap  *float64 `json:"mem_on_heap"`
	MemOffHeap *float64 `json:"mem_off_heap"`
	CPU        *float64 `json:"cpu"`
}

func goldenFiles(t *testing.T) []string {
	t.Helper()
	bins, err := filepath.Glob(filepath.Join("testdata", "assignment_*.bin"))
	if err != nil || len(bins) == 0 {
		t.Fatalf("no goldens in testdata (%v); run go test -run AssignmentJava -update", err)
	}
	return bins
}

func readDesc(t *testing.T, bin string) assignmentDesc {
	t.Helper()
	b, err := os.ReadFile(strings.TrimSuffix(bin, ".bin") + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var d assignmentDesc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	return d
}

func decode(b []byte) (*stormthrift.Assignment, error) {
	a := stormthrift.NewAssignment()
	return a, thrift.NewTDeserializer().Read(context.Background(), a, b)
}

func encode(t testing.TB, a *stormthrift.Assignment) []byte {
	t.Helper()
	b, err := thrift.NewTSerializer().Write(context.Background(), a)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

// describe lists a Go Assignment like AssignmentGolden does; node_host
// comes out sorted since the Go struct exposes it as a map.
func describe(a *stormthrift.Assignment) assignmentDesc {
	d := assignmentDesc{MasterCodeDir: a.MasterCodeDir, NodeHost: [][2]string{}, ExecutorNodePort: []execSlot{},
		StartTimes: []execStart{}, WorkerResources: []slotMemCPU{}}
	for k, v := range a.NodeHost {
		d.NodeHost = append(d.NodeHost, [2]string{k, v})
	}
	slices.SortFunc(d.NodeHost, func(x, y [2]string) int { return cmp.Compare(x[0], y[0]) })
	for _, e := range a.ExecutorNodePort {
		d.ExecutorNodePort = append(d.ExecutorNodePort, execSlot{Executor: e.Executor, Node: e.Node.Node, Ports: e.Node.Port})
	}
	for _, e := range a.ExecutorStartTimeSecs {
		d.StartTimes = append(d.StartTimes, execStart{Executor: e.Executor, StartTimeSecs: e.StartTimeSecs})
	}
	for _, e := range a.WorkerResources {
		d.WorkerResources = append(d.WorkerResources, slotMemCPU{Node: e.Node.Node, Ports: e.Node.Port,
			MemOnHeap: e.Resources.MemOnHeap, MemOffHeap: e.Resources.MemOffHeap, CPU: e.Resources.CPU})
	}
	return d
}

// build makes a fresh Go Assignment (no decoded order) holding d's values.
func build(d assignmentDesc) *stormthrift.Assignment {
	a := &stormthrift.Assignment{MasterCodeDir: d.MasterCodeDir, NodeHost: map[string]string{}}
	for _, kv := range d.NodeHost {
		a.NodeHost[kv[0]] = kv[1]
	}
	for _, e := range d.ExecutorNodePort {
		a.ExecutorNodePort = append(a.ExecutorNodePort, stormthrift.ExecutorNodePort{
			Executor: e.Executor, Node: &stormthrift.NodeInfo{Node: e.Node, Port: e.Ports}})
	}
	for _, e := range d.StartTimes {
		a.ExecutorStartTimeSecs = append(a.ExecutorStartTimeSecs, stormthrift.ExecutorStartTime{
			Executor: e.Executor, StartTimeSecs: e.StartTimeSecs})
	}
	for _, e := range d.WorkerResources {
		a.WorkerResources = append(a.WorkerResources, stormthrift.SlotResources{
			Node:      &stormthrift.NodeInfo{Node: e.Node, Port: e.Ports},
			Resources: &stormthrift.WorkerResources{MemOnHeap: e.MemOnHeap, MemOffHeap: e.MemOffHeap, CPU: e.CPU}})
	}
	return a
}

// normalized sorts every entry list (and port set) so that descriptions
// can be compared regardless of map order.
func normalized(d assignmentDesc) assignmentDesc {
	d.NodeHost = slices.Clone(d.NodeHost)
	slices.SortFunc(d.NodeHost, func(x, y [2]string) int { return cmp.Compare(x[0], y[0]) })
	d.ExecutorNodePort = slices.Clone(d.ExecutorNodePort)
	for i := range d.ExecutorNodePort {
		d.ExecutorNodePort[i].Ports = slices.Sorted(slices.Values(d.ExecutorNodePort[i].Ports))
	}
	slices.SortFunc(d.ExecutorNodePort, func(x, y execSlot) int { return slices.Compare(x.Executor, y.Executor) })
	d.StartTimes = slices.Clone(d.StartTimes)
	slices.SortFunc(d.StartTimes, func(x, y execStart) int { return slices.Compare(x.Executor, y.Executor) })
	d.WorkerResources = slices.Clone(d.WorkerResources)
	for i := range d.WorkerResources {
		d.WorkerResources[i].Ports = slices.Sorted(slices.Values(d.WorkerResources[i].Ports))
	}
	slices.SortFunc(d.WorkerResources, func(x, y slotMemCPU) int {
		return cmp.Or(cmp.Compare(x.Node, y.Node), slices.Compare(x.Ports, y.Ports))
	})
	return d
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// javaGolden compiles testdata/java once per test binary (cached on disk)
// and returns the classpath to run AssignmentGolden with.
func javaGolden(t *testing.T) string {
	t.Helper()
	cp := stormjava.Classpath(t)
	return stormjava.Compile(t, filepath.Join("testdata", "java"), cp) + string(os.PathListSeparator) + cp
}

// TestAssignmentJavaGoldensCurrent regenerates the goldens with Storm's
// Java classes and requires them to equal the committed files (with
// -update it rewrites them instead), so the goldens cannot rot.
func TestAssignmentJavaGoldensCurrent(t *testing.T) {
	if *update {
		t.Setenv(stormjava.RequireEnv, "1")
	}
	cp := javaGolden(t)
	dir := t.TempDir()
	if *update {
		dir = "testdata"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stormjava.Run(t, stormjava.Command(ctx, cp, "AssignmentGolden", "write", dir))
	if *update {
		t.Logf("rewrote testdata/assignment_*")
		return
	}
	fresh, err := filepath.Glob(filepath.Join(dir, "assignment_*"))
	if err != nil {
		t.Fatal(err)
	}
	committed, _ := filepath.Glob(filepath.Join("testdata", "assignment_*"))
	if len(fresh) != len(committed) {
		t.Errorf("Java writes %d golden files, testdata has %d; run with -update", len(fresh), len(committed))
	}
	for _, f := range fresh {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("testdata", filepath.Base(f)))
		if err != nil {
			t.Errorf("golden %s missing: %v (run with -update)", filepath.Base(f), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("testdata/%s differs from what Storm's Java classes write now; run with -update", filepath.Base(f))
		}
	}
}

// TestAssignmentGoldens decodes every golden, checks the values, and
// requires the Go encoder to give back the exact Java bytes — map entry
// order included, since the wire order is Java's (or Clojure's) iteration
// order.
func TestAssignmentGoldens(t *testing.T) {
	for _, bin := range goldenFiles(t) {
		t.Run(strings.TrimSuffix(filepath.Base(bin), ".bin"), func(t *testing.T) {
			want := readDesc(t, bin)
			raw, err := os.ReadFile(bin)
			if err != nil {
				t.Fatal(err)
			}
			a, err := decode(raw)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			got := describe(a)
			wantSorted := want
			wantSorted.NodeHost = normalized(want).NodeHost
			if !reflect.DeepEqual(got, wantSorted) {
				t.Errorf("decoded values differ\n got %s\nwant %s", jsonOf(got), jsonOf(wantSorted))
			}
			if re := encode(t, a); !bytes.Equal(re, raw) {
				t.Errorf("re-encoded bytes differ from Java's\n got %x\nwant %x", re, raw)
			}
			// Java's order in a fresh Go struct: byte-identical when no
			// map has two entries (the order question does not arise).
			if len(want.NodeHost) <= 1 && len(want.ExecutorNodePort) <= 1 {
				if b := encode(t, build(want)); !bytes.Equal(b, raw) {
					t.Errorf("fresh Go encoding differs from Java's\n got %x\nwant %x", b, raw)
				}
			}
		})
	}
}

// TestAssignmentGoEncodedDecodesInJava encodes each golden's values from a
// fresh Go struct (Go's own entry order) and has Storm's classes decode
// them.
func TestAssignmentGoEncodedDecodesInJava(t *testing.T) {
	cp := javaGolden(t)
	dir := t.TempDir()
	want := map[string]assignmentDesc{}
	var files []string
	for _, bin := range goldenFiles(t) {
		d := readDesc(t, bin)
		name := "go_" + filepath.Base(bin)
		want[name] = d
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, encode(t, build(d)), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out := stormjava.Run(t, stormjava.Command(ctx, cp, "AssignmentGolden", append([]string{"read"}, files...)...))
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r struct {
			File       string         `json:"file"`
			Assignment assignmentDesc `json:"assignment"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("bad line from Java: %v: %q", err, line)
		}
		w, ok := want[r.File]
		if !ok {
			t.Errorf("Java reported unknown file %q", r.File)
			continue
		}
		seen++
		if got, w := normalized(r.Assignment), normalized(w); !reflect.DeepEqual(got, w) {
			t.Errorf("%s: Java decoded\n %s\nwant\n %s", r.File, jsonOf(got), jsonOf(w))
		}
	}
	if seen != len(want) {
		t.Errorf("Java decoded %d of %d files", seen, len(want))
	}
}

// FuzzAssignment: any input either fails to decode or decodes to a value
// whose encoding is a fixed point of decode+encode.
func FuzzAssignment(f *testing.F) {
	bins, _ := filepath.Glob(filepath.Join("testdata", "assignment_*.bin"))
	for _, bin := range bins {
		if b, err := os.ReadFile(bin); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte{})
	f.Add([]byte{0x0b, 0, 1, 0x7f, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := decode(b)
		if err != nil {
			return
		}
		once := encode(t, a)
		a2, err := decode(once)
		if err != nil {
			t.Fatalf("re-decode of own encoding: %v", err)
		}
		if twice := encode(t, a2); !bytes.Equal(once, twice) {
			t.Fatalf("encoding not stable\n once %x\ntwice %x", once, twice)
		}
	})
}
