package supervisor

import (
	"math/rand/v2"
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
			name: "a starting worker launched for an older assignment is disallowed at once",
			workers: []WorkerRecord{
				{ID: "a", Port: 6700, LaunchedAt: now.Add(-time.Second), Assignment: &SlotAssignment{TopologyID: "t-1-1", Executors: []Executor{{1, 1}}}},
				{ID: "b", Port: 6701, LaunchedAt: now.Add(-time.Second), Assignment: &SlotAssignment{TopologyID: "t-1-1", Executors: []Executor{{4, 4}}}},
			},
			kill:   []string{"a"},
			launch: []int{6700},
			states: map[string]WorkerState{"a": Disallowed, "b": Starting},
		},
		{
			name: "unapproved and unassigned workers are disallowed",
			workers: []WorkerRecord{
				{ID: "x", Heartbeat: hb(6700, "t-1-1", time.Second, Executor{1, 1}, Executor{2, 3})},
				{ID: "y", Port: 6702, Heartbeat: hb(6702, "t-1-1", time.Second, Executor{9, 9})},
				{ID: "z", Port: 6702, LaunchedAt: now},
				{ID: "w", Port: 6701, Heartbeat: hb(6700, "t-1-1", time.Second, Executor{1, 1}, Executor{2, 3})},
			},
			kill:   []string{"w", "x", "y", "z"},
			launch: []int{6700, 6701},
			states: map[string]WorkerState{"w": Disallowed, "x": Disallowed, "y": Disallowed, "z": Disallowed},
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

// TestReconcileProperties checks Reconcile's safety rules on random inputs:
// every worker is kept or killed, at most one worker is kept per port, only
// valid or starting workers are kept, and exactly the unserved assigned
// ports are launched.
func TestReconcileProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Unix(1_000_000, 0)
	to := Timeouts{Start: 120 * time.Second, Worker: 30 * time.Second}
	ports := []int{0, 6700, 6701, 6702}
	topos := []string{"t1", "t2"}
	exs := [][]Executor{{{1, 1}}, {{2, 3}}, {{1, 1}, {2, 3}}}
	for iter := range 2000 {
		assigned := map[int]SlotAssignment{}
		for _, p := range ports[1:] {
			if rng.IntN(3) > 0 {
				assigned[p] = SlotAssignment{TopologyID: topos[rng.IntN(2)], Executors: exs[rng.IntN(3)]}
			}
		}
		var workers []WorkerRecord
		for i := range rng.IntN(6) {
			w := WorkerRecord{ID: string(rune('a' + i)), Port: ports[rng.IntN(len(ports))], Exited: rng.IntN(5) == 0}
			if rng.IntN(2) == 0 {
				w.LaunchedAt = now.Add(-time.Duration(rng.IntN(200)) * time.Second)
			}
			if rng.IntN(4) > 0 {
				w.Heartbeat = &Heartbeat{Time: now.Add(-time.Duration(rng.IntN(40)) * time.Second), TopologyID: topos[rng.IntN(2)],
					Executors: append(slices.Clone(exs[rng.IntN(3)]), systemExecutor), Port: ports[1+rng.IntN(3)]}
			}
			workers = append(workers, w)
		}
		p := Reconcile(assigned, workers, now, to)
		byPort := map[int]int{}
		port := map[string]int{}
		for _, w := range workers {
			port[w.ID] = w.Port
		}
		for _, id := range p.Keep {
			if st := p.States[id]; st != Valid && st != Starting {
				t.Fatalf("iter %d: kept %s in state %v", iter, id, st)
			}
			if byPort[port[id]]++; byPort[port[id]] > 1 {
				t.Fatalf("iter %d: two workers kept on port %d", iter, port[id])
			}
			if _, ok := assigned[port[id]]; !ok {
				t.Fatalf("iter %d: kept %s on unassigned port %d", iter, id, port[id])
			}
		}
		if len(p.Keep)+len(p.Kill) != len(workers) || len(p.States) != len(workers) {
			t.Fatalf("iter %d: keep %v kill %v of %d workers", iter, p.Keep, p.Kill, len(workers))
		}
		var want []int
		for port := range assigned {
			if byPort[port] == 0 {
				want = append(want, port)
			}
		}
		slices.Sort(want)
		if !slices.Equal(p.Launch, want) {
			t.Fatalf("iter %d: launch %v, want %v", iter, p.Launch, want)
		}
	}
}
