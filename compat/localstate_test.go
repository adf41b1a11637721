package compat

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/stormthrift"
)

// fakeClock returns a clock that advances by step on every call.
func fakeClock(start time.Time, step time.Duration) func() time.Time {
	now := start.Add(-step)
	return func() time.Time { now = now.Add(step); return now }
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestLocalStatePutGet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "localstate")
	ls, err := OpenLocalStateClock(dir, fakeClock(time.UnixMilli(1000), time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	var id stormthrift.LSSupervisorId
	if ok, err := ls.Get(LSSupervisorID, &id); ok || err != nil {
		t.Fatalf("Get on empty state = %v, %v", ok, err)
	}
	hb := &stormthrift.LSWorkerHeartbeat{TimeSecs: 7, TopologyID: "t-1-1", Port: 6700,
		Executors: []*stormthrift.ExecutorInfo{{TaskStart: 1, TaskEnd: 1}}}
	if err := ls.Put(LSWorkerHeartbeat, hb, false); err != nil {
		t.Fatal(err)
	}
	if err := ls.Put(LSSupervisorID, &stormthrift.LSSupervisorId{SupervisorID: "sup-1"}, false); err != nil {
		t.Fatal(err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"1000", "1000.version", "1001", "1001.version"}) {
		t.Fatalf("files = %v", got)
	}
	// Both keys live in the newest version (read-modify-write).
	var gotHB stormthrift.LSWorkerHeartbeat
	if ok, err := ls.Get(LSWorkerHeartbeat, &gotHB); !ok || err != nil || !gotHB.Equals(hb) {
		t.Fatalf("Get heartbeat = %v, %v, %+v", ok, err, gotHB)
	}
	if ok, err := ls.Get(LSSupervisorID, &id); !ok || err != nil || id.SupervisorID != "sup-1" {
		t.Fatalf("Get id = %v, %v, %+v", ok, err, id)
	}
	// A reader in another process (fresh LocalState) sees the same.
	other, err := OpenLocalState(dir)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := other.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if parts[LSWorkerHeartbeat].Name != "org.apache.storm.generated.LSWorkerHeartbeat" ||
		parts[LSSupervisorID].Name != "org.apache.storm.generated.LSSupervisorId" {
		t.Fatalf("class names = %q, %q", parts[LSWorkerHeartbeat].Name, parts[LSSupervisorID].Name)
	}
	// Wrong target type is an error, not a silent misread.
	var wrong stormthrift.LSApprovedWorkers
	if _, err := ls.Get(LSSupervisorID, &wrong); err == nil || !strings.Contains(err.Error(), "LSSupervisorId") {
		t.Fatalf("Get into wrong type = %v", err)
	}
	if err := ls.Remove(LSSupervisorID, false); err != nil {
		t.Fatal(err)
	}
	if ok, err := ls.Get(LSSupervisorID, &id); ok || err != nil {
		t.Fatalf("after Remove: %v, %v", ok, err)
	}
}

func TestLocalStateVersionNumbering(t *testing.T) {
	dir := t.TempDir()
	// A frozen clock: versions still increase by one.
	frozen := time.UnixMilli(5000)
	ls, err := OpenLocalStateClock(dir, func() time.Time { return frozen })
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := ls.Put("k", &stormthrift.LSSupervisorId{SupervisorID: string(rune('a' + i))}, false); err != nil {
			t.Fatal(err)
		}
	}
	v, err := ls.Versions()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v, []int64{5002, 5001, 5000}) {
		t.Fatalf("versions = %v", v)
	}
	var id stormthrift.LSSupervisorId
	if _, err := ls.Get("k", &id); err != nil || id.SupervisorID != "c" {
		t.Fatalf("Get = %q, %v", id.SupervisorID, err)
	}
}

func TestLocalStateCleanup(t *testing.T) {
	const noCleanup = -100
	tests := []struct {
		name         string
		puts         int
		cleanupOnPut bool // passed to Put
		keep         int  // passed to Cleanup afterwards unless noCleanup
		wantVersions []int64
		wantPartial  bool // the unmarked version file survives
	}{
		{"put with cleanup keeps newest 4", 6, true, noCleanup, []int64{1005, 1004, 1003, 1002}, false},
		{"put without cleanup keeps all", 6, false, noCleanup, []int64{1005, 1004, 1003, 1002, 1001, 1000}, true},
		{"cleanup 2", 6, false, 2, []int64{1005, 1004}, false},
		{"cleanup 0", 3, false, 0, nil, false},
		{"cleanup -1 keeps complete versions", 3, false, -1, []int64{1002, 1001, 1000}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			// An incomplete version (no marker) and an unrelated file.
			if err := os.WriteFile(filepath.Join(dir, "999"), []byte("partial"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			ls, err := OpenLocalStateClock(dir, fakeClock(time.UnixMilli(1000), time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			for range tc.puts {
				if err := ls.Put("k", &stormthrift.LSSupervisorId{SupervisorID: "x"}, tc.cleanupOnPut); err != nil {
					t.Fatal(err)
				}
			}
			if tc.keep != noCleanup {
				if err := ls.Cleanup(tc.keep); err != nil {
					t.Fatal(err)
				}
			}
			got, err := ls.Versions()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.wantVersions) {
				t.Fatalf("versions = %v, want %v", got, tc.wantVersions)
			}
			want := []string{"notes.txt"}
			for _, v := range tc.wantVersions {
				want = append(want, strconv.FormatInt(v, 10), strconv.FormatInt(v, 10)+".version")
			}
			if tc.wantPartial {
				want = append(want, "999")
			}
			sort.Strings(want)
			if got := dirNames(t, dir); !slices.Equal(got, want) {
				t.Fatalf("files = %v, want %v", got, want)
			}
		})
	}
}

func TestLocalStateReadsHighestMarkedVersion(t *testing.T) {
	dir := t.TempDir()
	write := func(version string, id string, marker bool) {
		t.Helper()
		var data []byte
		if id != "" {
			bits, err := MarshalThrift(&stormthrift.LSSupervisorId{SupervisorID: id})
			if err != nil {
				t.Fatal(err)
			}
			data, err = MarshalThrift(&stormthrift.LocalStateData{SerializedParts: map[string]*stormthrift.ThriftSerializedObject{
				LSSupervisorID: {Name: "org.apache.storm.generated.LSSupervisorId", Bits: bits},
			}})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, version), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if marker {
			if err := os.WriteFile(filepath.Join(dir, version+".version"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	write("100", "old", true)
	write("200", "new", true)
	write("300", "unfinished", false)                                                   // no marker: ignored
	if err := os.WriteFile(filepath.Join(dir, "400.version"), nil, 0o644); err != nil { // marker without data
		t.Fatal(err)
	}
	ls, err := OpenLocalState(dir)
	if err != nil {
		t.Fatal(err)
	}
	var id stormthrift.LSSupervisorId
	if ok, err := ls.Get(LSSupervisorID, &id); !ok || err != nil || id.SupervisorID != "new" {
		t.Fatalf("Get = %v, %v, %q", ok, err, id.SupervisorID)
	}
	// An empty newest file is an empty state (Storm resets it).
	write("500", "", true)
	if ok, err := ls.Get(LSSupervisorID, &id); ok || err != nil {
		t.Fatalf("Get after empty version = %v, %v", ok, err)
	}
	// A corrupt newest file is an error.
	if err := os.WriteFile(filepath.Join(dir, "600"), []byte{0x0d, 0, 1, 0x0b}, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "600.version"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ls.Get(LSSupervisorID, &id); err == nil {
		t.Fatal("Get on corrupt version succeeded")
	}
	// Put on top of a corrupt version fails rather than dropping other keys.
	if err := ls.Put("k", &stormthrift.LSSupervisorId{}, false); err == nil {
		t.Fatal("Put over corrupt version succeeded")
	}
}

func TestOpenLocalStateErrors(t *testing.T) {
	if _, err := OpenLocalState(""); err == nil {
		t.Error("empty dir accepted")
	}
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenLocalState(filepath.Join(file, "sub")); err == nil {
		t.Error("dir under a file accepted")
	}
}

// TestLocalStateConcurrentReaderWriter has a writer (with cleanup) and a
// reader on separate handles, as a worker and its supervisor are: every read
// sees a complete version.
func TestLocalStateConcurrentReaderWriter(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenLocalState(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := OpenLocalState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(LSWorkerHeartbeat, &stormthrift.LSWorkerHeartbeat{TopologyID: "t", Executors: []*stormthrift.ExecutorInfo{}}, true); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for i := range 200 {
			hb := &stormthrift.LSWorkerHeartbeat{TimeSecs: int32(i), TopologyID: "t", Executors: []*stormthrift.ExecutorInfo{}}
			if err := w.Put(LSWorkerHeartbeat, hb, true); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for {
		var hb stormthrift.LSWorkerHeartbeat
		if ok, err := r.Get(LSWorkerHeartbeat, &hb); !ok || err != nil {
			t.Fatalf("Get = %v, %v", ok, err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			return
		default:
		}
	}
}
