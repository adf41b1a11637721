package supervisor

import (
	"crypto/rand"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/stormthrift"
)

// loadOrCreateID returns the supervisor id kept in
// supervisor/isupervisor (key supervisor-id), creating a random UUID on the
// first start, as Storm's standalone supervisor does.
func loadOrCreateID(dir string) (string, error) {
	ls, err := compat.OpenLocalState(dir)
	if err != nil {
		return "", err
	}
	var v stormthrift.LSSupervisorId
	ok, err := ls.Get(compat.LSSupervisorID, &v)
	if err != nil {
		return "", fmt.Errorf("supervisor: read id: %w", err)
	}
	if ok && v.SupervisorID != "" {
		return v.SupervisorID, nil
	}
	id := newUUID()
	if err := ls.Put(compat.LSSupervisorID, &stormthrift.LSSupervisorId{SupervisorID: id}, true); err != nil {
		return "", fmt.Errorf("supervisor: store id: %w", err)
	}
	return id, nil
}

// newUUID is a random (version 4) UUID in its canonical text form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func unixSecs(s int64) time.Time { return time.Unix(s, 0) }

// readLocalAssignments reads local-assignments; empty if never written.
func readLocalAssignments(ls *compat.LocalState) (map[int]SlotAssignment, error) {
	var v stormthrift.LSSupervisorAssignments
	ok, err := ls.Get(compat.LSLocalAssignments, &v)
	if err != nil || !ok {
		return map[int]SlotAssignment{}, err
	}
	return fromLocalAssignments(&v), nil
}

// approvals is the approved-workers map (worker id → port) in
// supervisor/localstate, written through on every change. Only approved
// workers can be kept; an unapproved worker directory is killed.
// Safe for concurrent use.
type approvals struct {
	ls *compat.LocalState

	mu sync.Mutex
	m  map[string]int
}

func openApprovals(ls *compat.LocalState) (*approvals, error) {
	var v stormthrift.LSApprovedWorkers
	if _, err := ls.Get(compat.LSApprovedWorkers, &v); err != nil {
		return nil, fmt.Errorf("supervisor: read approved workers: %w", err)
	}
	a := &approvals{ls: ls, m: make(map[string]int, len(v.ApprovedWorkers))}
	for id, port := range v.ApprovedWorkers {
		a.m[id] = int(port)
	}
	return a, nil
}

func (a *approvals) snapshot() map[string]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return maps.Clone(a.m)
}

func (a *approvals) approve(id string, port int) error {
	return a.change(func(m map[string]int) bool {
		if m[id] == port {
			return false
		}
		m[id] = port
		return true
	})
}

// revoke forgets the given workers.
func (a *approvals) revoke(ids ...string) error {
	return a.change(func(m map[string]int) bool {
		n := len(m)
		for _, id := range ids {
			delete(m, id)
		}
		return len(m) != n
	})
}

func (a *approvals) change(f func(map[string]int) bool) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !f(a.m) {
		return nil
	}
	v := &stormthrift.LSApprovedWorkers{ApprovedWorkers: make(map[string]int32, len(a.m))}
	for id, port := range a.m {
		v.ApprovedWorkers[id] = int32(port)
	}
	if err := a.ls.Put(compat.LSApprovedWorkers, v, true); err != nil {
		return fmt.Errorf("supervisor: write approved workers: %w", err)
	}
	return nil
}
