package compat

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/galeproject/gale/stormthrift"
)

// The values testdata/java/StormBytes.java writes, as Gale structs.

func stormLocalState() map[string]thrift.TStruct {
	return map[string]thrift.TStruct{
		LSSupervisorID: &stormthrift.LSSupervisorId{SupervisorID: "sup-java-1"},
		LSWorkerHeartbeat: &stormthrift.LSWorkerHeartbeat{TimeSecs: 1700000000, TopologyID: "wc-1-1700000000", Port: 6700,
			Executors: []*stormthrift.ExecutorInfo{{TaskStart: 1, TaskEnd: 1}, {TaskStart: -1, TaskEnd: -1}}},
		LSLocalAssignments: &stormthrift.LSSupervisorAssignments{Assignments: map[int32]*stormthrift.LocalAssignment{
			6700: {TopologyID: "wc-1-1700000000", Executors: []*stormthrift.ExecutorInfo{{TaskStart: 1, TaskEnd: 1}}},
		}},
	}
}

func stormPayloads() map[string]thrift.TStruct {
	return map[string]thrift.TStruct{
		"stormbase.ser": &stormthrift.StormBase{Name: "wordcount", Status: stormthrift.TopologyStatus_ACTIVE, NumWorkers: 3,
			ComponentExecutors: map[string]int32{"spout": 5}, LaunchTimeSecs: ptr(int32(1700000000)), Owner: ptr("alice")},
		"supervisorinfo.ser": &stormthrift.SupervisorInfo{TimeSecs: 1700000000, Hostname: "host-a", AssignmentID: ptr("sup-1"),
			UsedPorts: []int64{6700}, Meta: []int64{6700, 6701}, UptimeSecs: ptr(int64(42)), Version: ptr("1.0.0"),
			ResourcesMap: map[string]float64{"supervisor.memory.capacity.mb": 3072.0}},
		"assignment.ser": &stormthrift.Assignment{MasterCodeDir: "/storm-local/nimbus/stormdist/wc-1-1700000000",
			NodeHost: map[string]string{"sup-1": "host-a"},
			ExecutorNodePort: []stormthrift.ExecutorNodePort{
				{Executor: []int64{1, 1}, Node: &stormthrift.NodeInfo{Node: "sup-1", Port: []int64{6700}}}},
			ExecutorStartTimeSecs: []stormthrift.ExecutorStartTime{{Executor: []int64{1, 1}, StartTimeSecs: 1700000001}},
			WorkerResources:       []stormthrift.SlotResources{},
		},
		"errorinfo.ser": &stormthrift.ErrorInfo{Error: "java.lang.RuntimeException: boom", ErrorTimeSecs: 1700000002,
			Host: ptr("host-a"), Port: ptr(int32(6700))},
	}
}

func stormConf() map[string]any {
	return map[string]any{
		"topology.workers": int64(3), "topology.stats.sample.rate": 0.05, "supervisor.memory.capacity.mb": 3072.0,
		"topology.name": "word/count", "storm.zookeeper.servers": []any{"zk1", "zk2"}, "topology.kryo.register": nil,
	}
}

func emptyLike(v thrift.TStruct) thrift.TStruct {
	return reflect.New(reflect.TypeOf(v).Elem()).Interface().(thrift.TStruct)
}

// TestReadStormBytes decodes files Storm 1.0.0 wrote and re-encodes the
// thrift byte for byte.
func TestReadStormBytes(t *testing.T) {
	dir := filepath.Join("testdata", "storm")
	t.Run("LocalState", func(t *testing.T) {
		ls, err := OpenLocalState(filepath.Join(dir, "localstate"))
		if err != nil {
			t.Fatal(err)
		}
		for key, want := range stormLocalState() {
			got := emptyLike(want)
			if ok, err := ls.Get(key, got); !ok || err != nil {
				t.Fatalf("Get(%q) = %v, %v", key, ok, err)
			}
			assertSameStruct(t, want, got)
		}
	})
	for name, want := range stormPayloads() {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			got := emptyLike(want)
			if err := Deserialize(b, got); err != nil {
				t.Fatal(err)
			}
			assertSameStruct(t, want, got)
			javaThrift, err := gunzipBytes(b)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := MarshalThrift(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ours, javaThrift) {
				t.Fatalf("re-encoding differs from Storm's bytes:\nstorm %x\ngale  %x", javaThrift, ours)
			}
		})
	}
	t.Run("stormconf.ser", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(dir, "stormconf.ser"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := GunzipJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, stormConf()) {
			t.Fatalf("got %#v", got)
		}
	})
}

// stormClasspath finds storm-core 1.0.0 and slf4j-api in the local Maven
// repository; the Java cross test skips without them.
func stormClasspath(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("java not installed")
	}
	home, _ := os.UserHomeDir()
	repo := filepath.Join(home, ".m2", "repository")
	jars := []string{
		filepath.Join(repo, "org/apache/storm/storm-core/1.0.0/storm-core-1.0.0.jar"),
		filepath.Join(repo, "org/slf4j/slf4j-api/1.7.7/slf4j-api-1.7.7.jar"),
	}
	for _, j := range jars {
		if _, err := os.Stat(j); err != nil {
			t.Skipf("%s not present", j)
		}
	}
	return strings.Join(jars, string(os.PathListSeparator))
}

// TestStormReadsGaleBytes writes the same values with Gale and has Storm
// 1.0.0 read them: its output must equal what it prints for its own files.
func TestStormReadsGaleBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JVM")
	}
	cp := stormClasspath(t)
	dir := t.TempDir()
	ls, err := OpenLocalState(filepath.Join(dir, "localstate"))
	if err != nil {
		t.Fatal(err)
	}
	for key, v := range stormLocalState() {
		if err := ls.Put(key, v, true); err != nil {
			t.Fatal(err)
		}
	}
	for name, v := range stormPayloads() {
		b, err := Serialize(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := GzipJSON(stormConf())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "stormconf.ser"), b, 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	src, err := filepath.Abs(filepath.Join("testdata", "java", "StormBytes.java"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "java", "-cp", cp, src, "read", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("java: %v\n%s", err, stderr.String())
	}
	want, err := os.ReadFile(filepath.Join("testdata", "storm", "read.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != string(want) {
		t.Fatalf("Storm read Gale's files as:\n%s\nwant:\n%s", out, want)
	}
}
