package supervisor

import (
	"slices"
	"testing"
	"time"
)

func TestReconcile(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	to := Timeouts{Start: 120 * time.Second, Worker: 30 * time.Second}
	assigned := map[int]SlotAssignment{
		6700: {TopologyID: "t-1-1", Executors: []Executor{{1, 1}, {2, 3}}},
		6701: {TopologyID: "t-1-1", Executors: []Executor{{4, 4}}},
	}
	hb := func(port int, topo string, age time.Duration, ex ...Executor) *Heartbeat {
		return &Heartbeat{Time: now.Add(-age), TopologyID: topo, Executors: ex, Port: port}
	}
	tests := []struct {
		name    string
		workers []WorkerRecord
		kill    []string
		launch  []int
		states  map[string]WorkerState
	}{
		{
			name:   "nothing running launches every assigned port",
			launch: []int{6700, 6701},
		},
		{
			name: "valid workers are kept, system executor ignored, order ignored",
			workers: []WorkerRecord{
				{ID: "a", Port: 6700, Heartbeat: hb(6700, "t-1-1", time.Second, Executor{2, 3}, Executor{-1, -1}, Executor{1, 1})},
				{ID: "b", Port: 6701, Heartbeat: hb(6701, "t-1-1", time.Second, Executor{4, 4})},
			},
			states: map[string]WorkerState{"a": Valid, "b": Valid},
		},
		{
			name: "timed out, exited and changed assignments are killed and relaunched",
			workers: []WorkerRecord{
				{ID: "a", Port: 6700, Heartbeat: hb(6700, "t-1-1", 31*time.Second, Executor{1, 1}, Executor{2, 3})},
				{ID: "b", Port: 6701, Heartbeat: hb(6701, "t-1-1", time.Second, Executor{4, 5})},
			},
			kill:   []string{"a", "b"},
			launch: []int{6700, 6701},
			states: map[string]WorkerState{"a": TimedOut, "b": Disallowed},
		},
		{
			name: "a starting worker is kept within the start timeout",
			workers: []WorkerRecord{
				{ID: "a", Port: 6700, LaunchedAt: now.Add(-10 * time.Second)},
				{ID: "b", Port: 6701, LaunchedAt: now.Add(-121 * time.Second)},
			},
			kill:   []string{"b"},
			launch: []int{6701},
			states: map[string]WorkerState{"a": Starting, "b": NotStarted},
		},
		{
			name: "unapproved and unassigned workers are disallowed",
			workers: []WorkerRecord{
				{ID: "x", Heartbeat: hb(6700, "t-1-1", time.Second, Executor{1, 1}, Executor{2, 3})},
				{ID: "y", Port: 6702, Heartbeat: hb(6702, "t-1-1", time.Second, Executor{9, 9})},
				{ID: "z", Port: 6702, LaunchedAt: now},
			},
			kill:   []string{"x", "y", "z"},
			launch: []int{6700, 6701},
			states: map[string]WorkerState{"x": Disallowed, "y": Disallowed, "z": Disallowed},
		},
		{
			name: "a second valid worker on one port is killed",
			workers: []WorkerRecord{
				{ID: "a", Port: 6701, Heartbeat: hb(6701, "t-1-1", time.Second, Executor{4, 4})},
				{ID: "b", Port: 6701, Heartbeat: hb(6701, "t-1-1", time.Second, Executor{4, 4})},
			},
			kill:   []string{"b"},
			launch: []int{6700},
		},
		{
			name: "an exited process is timed out even with a fresh heartbeat",
			workers: []WorkerRecord{
				{ID: "a", Port: 6701, Exited: true, Heartbeat: hb(6701, "t-1-1", 0, Executor{4, 4})},
			},
			kill:   []string{"a"},
			launch: []int{6700, 6701},
			states: map[string]WorkerState{"a": TimedOut},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Reconcile(assigned, tc.workers, now, to)
			if !slices.Equal(p.Kill, tc.kill) {
				t.Errorf("kill = %v, want %v", p.Kill, tc.kill)
			}
			if !slices.Equal(p.Launch, tc.launch) {
				t.Errorf("launch = %v, want %v", p.Launch, tc.launch)
			}
			for id, want := range tc.states {
				if got := p.States[id]; got != want {
					t.Errorf("state[%s] = %v, want %v", id, got, want)
				}
			}
			if len(p.Kill)+len(p.Keep) != len(tc.workers) {
				t.Errorf("every worker must be kept or killed: kill %v keep %v", p.Kill, p.Keep)
			}
		})
	}
}
