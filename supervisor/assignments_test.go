package supervisor

import (
	"reflect"
	"testing"
	"time"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/stormthrift"
)

func enp(start, end int64, node string, port int64) stormthrift.ExecutorNodePort {
	return stormthrift.ExecutorNodePort{Executor: []int64{start, end}, Node: &stormthrift.NodeInfo{Node: node, Port: []int64{port}}}
}

func TestMyAssignments(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	tests := []struct {
		name    string
		all     map[string]*stormthrift.Assignment
		want    map[int]SlotAssignment
		wantErr bool
	}{
		{name: "none", all: nil, want: map[int]SlotAssignment{}},
		{
			name: "only my executors, grouped by port and sorted, resources per slot",
			all: map[string]*stormthrift.Assignment{
				"t1": {
					ExecutorNodePort: []stormthrift.ExecutorNodePort{
						enp(4, 4, "me", 6701), enp(2, 3, "me", 6700), enp(1, 1, "me", 6700), enp(5, 5, "other", 6700),
					},
					WorkerResources: []stormthrift.SlotResources{
						{Node: &stormthrift.NodeInfo{Node: "me", Port: []int64{6700}}, Resources: &stormthrift.WorkerResources{MemOnHeap: f(1), MemOffHeap: f(2), CPU: f(3)}},
					},
				},
				"t2": {ExecutorNodePort: []stormthrift.ExecutorNodePort{enp(1, 2, "me", 6702)}},
				"t3": {ExecutorNodePort: []stormthrift.ExecutorNodePort{enp(1, 2, "other", 6702)}},
				"t4": nil,
			},
			want: map[int]SlotAssignment{
				6700: {TopologyID: "t1", Executors: []Executor{{1, 1}, {2, 3}}, Resources: &Resources{1, 2, 3}},
				6701: {TopologyID: "t1", Executors: []Executor{{4, 4}}},
				6702: {TopologyID: "t2", Executors: []Executor{{1, 2}}},
			},
		},
		{
			name: "malformed entries are skipped",
			all: map[string]*stormthrift.Assignment{"t1": {ExecutorNodePort: []stormthrift.ExecutorNodePort{
				{Executor: []int64{1}, Node: &stormthrift.NodeInfo{Node: "me", Port: []int64{6700}}},
				{Executor: []int64{1, 1}},
				{Executor: []int64{1, 1}, Node: &stormthrift.NodeInfo{Node: "me"}},
			}}},
			want: map[int]SlotAssignment{},
		},
		{
			name: "two topologies on one port",
			all: map[string]*stormthrift.Assignment{
				"t1": {ExecutorNodePort: []stormthrift.ExecutorNodePort{enp(1, 1, "me", 6700)}},
				"t2": {ExecutorNodePort: []stormthrift.ExecutorNodePort{enp(1, 1, "me", 6700)}},
			},
			wantErr: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := MyAssignments(tc.all, "me")
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if !tc.wantErr && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestLocalAssignmentsRoundTrip(t *testing.T) {
	in := map[int]SlotAssignment{
		6700: {TopologyID: "t1", Executors: []Executor{{1, 1}, {2, 3}}, Resources: &Resources{768, 0, 0}},
		6701: {TopologyID: "t2", Executors: []Executor{{4, 4}}},
	}
	ls, err := compat.OpenLocalState(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := ls.Put(compat.LSLocalAssignments, toLocalAssignments(in), true); err != nil {
		t.Fatal(err)
	}
	out, err := readLocalAssignments(ls)
	if err != nil {
		t.Fatal(err)
	}
	if !sameAssignments(in, out) {
		t.Errorf("round trip: %+v → %+v", in, out)
	}
	// Stored under Storm's Java class name.
	parts, _ := ls.Snapshot()
	if got := parts[compat.LSLocalAssignments].Name; got != "org.apache.storm.generated.LSSupervisorAssignments" {
		t.Errorf("class name %q", got)
	}
}

func TestRestartPolicy(t *testing.T) {
	p := DefaultRestartPolicy()
	for n, want := range map[int]string{1: "0s", 2: "1s", 3: "2s", 4: "4s", 6: "16s", 7: "30s", 50: "30s"} {
		if got := p.Backoff(n).String(); got != want {
			t.Errorf("Backoff(%d) = %s, want %s", n, got, want)
		}
	}
	clock := newFakeClock()
	tr := NewRestartTracker(p, clock.Now)
	if tr.Delay() != 0 {
		t.Fatal("fresh tracker delays")
	}
	launched := clock.Now()
	tr.Failed(launched)
	if tr.Delay() != 0 {
		t.Errorf("first restart delayed %v", tr.Delay())
	}
	tr.Failed(launched)
	if d := tr.Delay(); d != p.Base {
		t.Errorf("second restart delay %v", d)
	}
	clock.Advance(p.Base / 2)
	if d := tr.Delay(); d != p.Base/2 {
		t.Errorf("delay does not count down: %v", d)
	}
	// A worker that ran for Stable resets the count before this failure.
	clock.Advance(p.Stable)
	tr.Failed(clock.Now().Add(-p.Stable))
	if tr.Failures() != 1 || tr.Delay() != 0 {
		t.Errorf("stable run not reset: failures %d delay %v", tr.Failures(), tr.Delay())
	}
	tr.Failed(time.Time{})
	tr.Reset()
	if tr.Failures() != 0 || tr.Delay() != 0 {
		t.Error("Reset kept failures")
	}
}
