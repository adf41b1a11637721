package scheduler

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/galeproject/gale/topology"
)

// schedule_golden.json is what Storm 1.0.0's DefaultScheduler (run by
// testdata/gen_schedule_golden.clj after nimbus's own preparation) assigns
// for each case of schedule_cases.json.

type caseFile struct {
	Name        string       `json:"name"`
	Supervisors []Supervisor `json:"supervisors"`
	Topologies  []struct {
		ID        string     `json:"id"`
		Workers   int        `json:"workers"`
		Executors [][2]int32 `json:"executors"`
		Existing  []slotJSON `json:"existing"`
		Dead      [][2]int32 `json:"dead"`
	} `json:"topologies"`
}

// slotJSON is [[start,end], node, port].
type slotJSON struct {
	Exec topology.ExecutorID
	Slot Slot
}

func (s *slotJSON) UnmarshalJSON(b []byte) error {
	var raw [3]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var e [2]int32
	if err := json.Unmarshal(raw[0], &e); err != nil {
		return err
	}
	s.Exec = topology.ExecutorID{Start: e[0], End: e[1]}
	if err := json.Unmarshal(raw[1], &s.Slot.Node); err != nil {
		return err
	}
	return json.Unmarshal(raw[2], &s.Slot.Port)
}

func (cf caseFile) snapshot() Snapshot {
	snap := Snapshot{Supervisors: cf.Supervisors}
	for _, t := range cf.Topologies {
		top := Topology{ID: t.ID, NumWorkers: t.Workers}
		for _, e := range t.Executors {
			top.Executors = append(top.Executors, topology.ExecutorID{Start: e[0], End: e[1]})
		}
		if t.Existing != nil {
			top.Existing = map[topology.ExecutorID]Slot{}
			top.Alive = map[topology.ExecutorID]bool{}
			for _, s := range t.Existing {
				top.Existing[s.Exec] = s.Slot
				top.Alive[s.Exec] = true
			}
			for _, d := range t.Dead {
				delete(top.Alive, topology.ExecutorID{Start: d[0], End: d[1]})
			}
		}
		snap.Topologies = append(snap.Topologies, top)
	}
	return snap
}

func TestScheduleMatchesStorm(t *testing.T) {
	var cases []caseFile
	readJSON(t, "testdata/schedule_cases.json", &cases)
	var golden []struct {
		Name        string                `json:"name"`
		Assignments map[string][]slotJSON `json:"assignments"`
	}
	readJSON(t, "testdata/schedule_golden.json", &golden)
	if len(golden) != len(cases) {
		t.Fatalf("%d golden results for %d cases", len(golden), len(cases))
	}
	for i, cf := range cases {
		t.Run(cf.Name, func(t *testing.T) {
			snap := cf.snapshot()
			freed := map[string][]Slot{}
			plan := schedule(snap, freed)
			checkPlan(t, snap, plan, freed)
			want := map[string]map[topology.ExecutorID]Slot{}
			for id, slots := range golden[i].Assignments {
				want[id] = map[topology.ExecutorID]Slot{}
				for _, s := range slots {
					want[id][s.Exec] = s.Slot
				}
			}
			if d := planDiff(want, plan.Assignments); d != "" {
				t.Errorf("plan differs from Storm's:\n%s", d)
			}
		})
	}
}

func readJSON(t *testing.T, path string, into any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// planDiff describes how got differs from want ("" if equal).
func planDiff(want, got map[string]map[topology.ExecutorID]Slot) string {
	var out string
	ids := map[string]bool{}
	for id := range want {
		ids[id] = true
	}
	for id := range got {
		ids[id] = true
	}
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range ids {
			if !yield(id) {
				return
			}
		}
	}) {
		w, okW := want[id]
		g, okG := got[id]
		if okW != okG {
			out += id + ": present in want " + boolStr(okW) + ", in got " + boolStr(okG) + "\n"
			continue
		}
		if render(w) != render(g) {
			out += id + ":\n  want " + render(w) + "\n  got  " + render(g) + "\n"
		}
	}
	return out
}

func boolStr(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// render prints slot → executors, sorted.
func render(m map[topology.ExecutorID]Slot) string {
	bySlot := map[Slot][]topology.ExecutorID{}
	for e, s := range m {
		bySlot[s] = append(bySlot[s], e)
	}
	slots := make([]Slot, 0, len(bySlot))
	for s := range bySlot {
		slots = append(slots, s)
	}
	slices.SortFunc(slots, Slot.compare)
	out := "{"
	for i, s := range slots {
		execs := bySlot[s]
		slices.SortFunc(execs, topology.ExecutorID.Compare)
		if i > 0 {
			out += " "
		}
		out += s.String() + ":"
		for _, e := range execs {
			out += e.String()
		}
	}
	return out + "}"
}
