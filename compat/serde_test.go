package compat

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/galeproject/gale/stormthrift"
	"github.com/klauspost/compress/gzip"
)

func ptr[T any](v T) *T { return &v }

// fixtures returns one populated value of each ZooKeeper payload type plus a
// constructor for an empty value of the same type.
func fixtures() []struct {
	name  string
	value thrift.TStruct
	empty func() thrift.TStruct
} {
	return []struct {
		name  string
		value thrift.TStruct
		empty func() thrift.TStruct
	}{
		{"StormBase", &stormthrift.StormBase{
			Name: "wordcount", Status: stormthrift.TopologyStatus_ACTIVE, NumWorkers: 3,
			ComponentExecutors: map[string]int32{"spout": 5, "split": 8, "__acker": 3},
			LaunchTimeSecs:     ptr(int32(1700000000)), Owner: ptr("alice"),
			ComponentDebug: map[string]*stormthrift.DebugOptions{},
		}, func() thrift.TStruct { return &stormthrift.StormBase{} }},
		{"Assignment", &stormthrift.Assignment{
			MasterCodeDir: "/storm-local/nimbus/stormdist/wc-1-1",
			NodeHost:      map[string]string{"sup-1": "host-a", "sup-2": "host-b"},
			ExecutorNodePort: []stormthrift.ExecutorNodePort{
				{Executor: []int64{1, 1}, Node: &stormthrift.NodeInfo{Node: "sup-1", Port: []int64{6700}}},
				{Executor: []int64{2, 3}, Node: &stormthrift.NodeInfo{Node: "sup-2", Port: []int64{6701}}},
			},
			ExecutorStartTimeSecs: []stormthrift.ExecutorStartTime{{Executor: []int64{1, 1}, StartTimeSecs: 1700000001}},
		}, func() thrift.TStruct { return &stormthrift.Assignment{} }},
		{"SupervisorInfo", &stormthrift.SupervisorInfo{
			TimeSecs: 1700000000, Hostname: "host-a", AssignmentID: ptr("sup-1"),
			UsedPorts: []int64{6700}, Meta: []int64{6700, 6701, 6702, 6703},
			SchedulerMeta: map[string]string{}, UptimeSecs: ptr(int64(42)), Version: ptr("1.0.0"),
			ResourcesMap: map[string]float64{"supervisor.memory.capacity.mb": 3072.0, "supervisor.cpu.capacity": 400.0},
		}, func() thrift.TStruct { return &stormthrift.SupervisorInfo{} }},
		{"ClusterWorkerHeartbeat", &stormthrift.ClusterWorkerHeartbeat{
			StormID: "wc-1-1700000000",
			ExecutorStats: map[*stormthrift.ExecutorInfo]*stormthrift.ExecutorStats{
				{TaskStart: 1, TaskEnd: 1}: {
					Emitted:     map[string]map[string]int64{"600": {"default": 20}},
					Transferred: map[string]map[string]int64{"600": {"default": 20}},
					Specific: &stormthrift.ExecutorSpecificStats{Spout: &stormthrift.SpoutStats{
						Acked:         map[string]map[string]int64{"600": {"default": 20}},
						Failed:        map[string]map[string]int64{},
						CompleteMsAvg: map[string]map[string]float64{"600": {"default": 1.5}},
					}},
					Rate: 0.05,
				},
			},
			TimeSecs: 1700000010, UptimeSecs: 10,
		}, func() thrift.TStruct { return &stormthrift.ClusterWorkerHeartbeat{} }},
		{"LSWorkerHeartbeat", &stormthrift.LSWorkerHeartbeat{
			TimeSecs: 1700000000, TopologyID: "wc-1-1", Port: 6700,
			Executors: []*stormthrift.ExecutorInfo{{TaskStart: -1, TaskEnd: -1}, {TaskStart: 1, TaskEnd: 2}},
		}, func() thrift.TStruct { return &stormthrift.LSWorkerHeartbeat{} }},
	}
}

func TestSerializeRoundTrip(t *testing.T) {
	for _, tc := range fixtures() {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Serialize(tc.value)
			if err != nil {
				t.Fatal(err)
			}
			// java.util.zip.GZIPOutputStream header: magic, deflate, no flags, mtime 0, xfl 0, OS 0.
			if want := "1f8b0800000000000000"; hex.EncodeToString(b[:10]) != want {
				t.Errorf("gzip header = %x, want %s", b[:10], want)
			}
			got := tc.empty()
			if err := Deserialize(b, got); err != nil {
				t.Fatal(err)
			}
			assertSameStruct(t, tc.value, got)

			plain, err := MarshalThrift(tc.value)
			if err != nil {
				t.Fatal(err)
			}
			got2 := tc.empty()
			if err := UnmarshalThrift(plain, got2); err != nil {
				t.Fatal(err)
			}
			assertSameStruct(t, tc.value, got2)
		})
	}
}

// assertSameStruct compares two thrift values; pointer-keyed maps defeat
// reflect.DeepEqual, so those compare by encoding (single-entry maps only).
func assertSameStruct(t *testing.T, want, got thrift.TStruct) {
	t.Helper()
	if _, ok := want.(*stormthrift.ClusterWorkerHeartbeat); ok {
		wb, _ := MarshalThrift(want)
		gb, _ := MarshalThrift(got)
		if !bytes.Equal(wb, gb) {
			t.Fatalf("round trip differs:\nwant %x\n got %x", wb, gb)
		}
		return
	}
	if !exportedEqual(reflect.ValueOf(want), reflect.ValueOf(got)) {
		t.Fatalf("round trip differs:\nwant %+v\n got %+v", want, got)
	}
}

// TestMarshalThriftGolden pins the TBinary encoding byte for byte: field
// header (type, id), strict sizes, STOP.
func TestMarshalThriftGolden(t *testing.T) {
	tests := []struct {
		name string
		in   thrift.TStruct
		want string
	}{
		{"LSSupervisorId", &stormthrift.LSSupervisorId{SupervisorID: "abc"},
			"0b0001" + "00000003" + "616263" + "00"},
		{"ExecutorInfo", &stormthrift.ExecutorInfo{TaskStart: 1, TaskEnd: 2},
			"080001" + "00000001" + "080002" + "00000002" + "00"},
		{"LSWorkerHeartbeat", &stormthrift.LSWorkerHeartbeat{TimeSecs: 5, TopologyID: "t", Port: 6700,
			Executors: []*stormthrift.ExecutorInfo{{TaskStart: 1, TaskEnd: 1}}},
			"080001" + "00000005" + "0b0002" + "00000001" + "74" +
				"0f0003" + "0c" + "00000001" + "080001" + "00000001" + "080002" + "00000001" + "00" +
				"080004" + "00001a2c" + "00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := MarshalThrift(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(b); got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeserializeRejects(t *testing.T) {
	valid, err := Serialize(&stormthrift.LSSupervisorId{SupervisorID: "abc"})
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := MarshalThrift(&stormthrift.LSSupervisorId{SupervisorID: "abc"})
	tests := []struct {
		name    string
		in      []byte
		wantErr error
	}{
		{"empty", nil, ErrNotGzip},
		{"dir marker", DirNodeData(), ErrNotGzip},
		{"plain thrift", plain, ErrNotGzip},
		{"truncated gzip", valid[:len(valid)-6], nil},
		{"gzip magic only", []byte{0x1f, 0x8b}, nil},
		{"empty struct stream", gz(t, nil), nil},
		{"missing required field", gz(t, []byte{0}), nil},
		// string claims 2 GiB.
		{"huge string", gz(t, []byte{0x0b, 0, 1, 0x7f, 0xff, 0xff, 0xff, 'a'}), nil},
		// list claims 2^31-1 elements of i64 with 1 byte present.
		{"huge list", gz(t, []byte{0x0f, 0, 1, 0x0a, 0x7f, 0xff, 0xff, 0xff, 0}), nil},
		{"negative size", gz(t, []byte{0x0b, 0, 1, 0xff, 0xff, 0xff, 0xff}), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got stormthrift.LSSupervisorId
			err := Deserialize(tc.in, &got)
			if err == nil {
				t.Fatalf("Deserialize(%x) = nil error, value %+v", tc.in, got)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestDeserializeHugeContainersDoNotAllocate(t *testing.T) {
	// A map header claiming 2^31-1 entries must fail fast, not allocate.
	in := gz(t, []byte{0x0d, 0, 4, 0x0b, 0x08, 0x7f, 0xff, 0xff, 0xff})
	allocs := testing.AllocsPerRun(5, func() {
		var sb stormthrift.StormBase
		if err := Deserialize(in, &sb); err == nil {
			t.Fatal("no error")
		}
	})
	if allocs > 200 {
		t.Fatalf("%v allocations", allocs)
	}
}

func TestGzipBombRejected(t *testing.T) {
	if testing.Short() {
		t.Skip("decompresses 64 MiB")
	}
	bomb := gz(t, make([]byte, MaxDecodedSize+1))
	var sb stormthrift.StormBase
	if err := Deserialize(bomb, &sb); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestTrailingBytesIgnored(t *testing.T) {
	plain, _ := MarshalThrift(&stormthrift.LSSupervisorId{SupervisorID: "abc"})
	var got stormthrift.LSSupervisorId
	if err := Deserialize(gz(t, append(plain, 1, 2, 3)), &got); err != nil {
		t.Fatal(err)
	}
	if got.SupervisorID != "abc" {
		t.Fatalf("got %q", got.SupervisorID)
	}
}

func TestConcatenatedGzipMembers(t *testing.T) {
	plain, _ := MarshalThrift(&stormthrift.LSSupervisorId{SupervisorID: "abc"})
	in := append(gz(t, plain[:4]), gz(t, plain[4:])...)
	var got stormthrift.LSSupervisorId
	if err := Deserialize(in, &got); err != nil || got.SupervisorID != "abc" {
		t.Fatalf("got %q, %v", got.SupervisorID, err)
	}
}

func TestJavaClassName(t *testing.T) {
	tests := []struct {
		in   thrift.TStruct
		want string
	}{
		{&stormthrift.LSWorkerHeartbeat{}, "org.apache.storm.generated.LSWorkerHeartbeat"},
		{&stormthrift.LSSupervisorId{}, "org.apache.storm.generated.LSSupervisorId"},
		{&stormthrift.LSSupervisorAssignments{}, "org.apache.storm.generated.LSSupervisorAssignments"},
		{&stormthrift.LSApprovedWorkers{}, "org.apache.storm.generated.LSApprovedWorkers"},
		{&stormthrift.LSTopoHistoryList{}, "org.apache.storm.generated.LSTopoHistoryList"},
		{&stormthrift.LocalAssignment{}, "org.apache.storm.generated.LocalAssignment"},
		{&stormthrift.Assignment{}, "org.apache.storm.generated.Assignment"},
		{&stormthrift.ListBlobsResult_{}, "org.apache.storm.generated.ListBlobsResult"},
	}
	for _, tc := range tests {
		if got := JavaClassName(tc.in); got != tc.want {
			t.Errorf("JavaClassName(%T) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDirNodeData(t *testing.T) {
	a := DirNodeData()
	a[0] = 9
	if b := DirNodeData(); len(b) != 1 || b[0] != DirData || DirData != 7 {
		t.Fatalf("DirNodeData = %v", b)
	}
}

func TestNilStruct(t *testing.T) {
	if _, err := Serialize(nil); err == nil {
		t.Error("Serialize(nil) succeeded")
	}
	if err := UnmarshalThrift([]byte{0}, nil); err == nil || !strings.Contains(err.Error(), "nil") {
		t.Errorf("UnmarshalThrift(nil) = %v", err)
	}
}

// exportedEqual is reflect.DeepEqual restricted to exported struct fields
// (hand-written types keep unexported caches).
func exportedEqual(a, b reflect.Value) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return exportedEqual(a.Elem(), b.Elem())
	case reflect.Interface:
		return exportedEqual(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() && !exportedEqual(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !exportedEqual(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		it := a.MapRange()
		for it.Next() {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() || !exportedEqual(it.Value(), bv) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
