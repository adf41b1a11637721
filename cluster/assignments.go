package cluster

import (
	"context"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/stormthrift"
)

// AssignmentIDs lists the topology ids that have an assignment.
func (st *State) AssignmentIDs(ctx context.Context) ([]string, error) {
	return st.children(ctx, AssignmentsRoot)
}

// AssignmentIDsW is AssignmentIDs plus a watch on the set of ids.
func (st *State) AssignmentIDsW(ctx context.Context) ([]string, <-chan store.Event, error) {
	return st.childrenW(ctx, AssignmentsRoot)
}

// Assignment reads a topology's assignment and its node version; nil (and
// version 0) if there is none.
func (st *State) Assignment(ctx context.Context, id string) (*stormthrift.Assignment, int32, error) {
	a, stat, err := readThrift[stormthrift.Assignment](ctx, st, AssignmentPath(id))
	return a, stat.Version, err
}

// AssignmentW is Assignment plus a watch that fires on the next change
// (including creation).
func (st *State) AssignmentW(ctx context.Context, id string) (*stormthrift.Assignment, int32, <-chan store.Event, error) {
	a, stat, ch, err := readThriftW[stormthrift.Assignment](ctx, st, AssignmentPath(id))
	return a, stat.Version, ch, err
}

// AssignmentVersion returns the assignment node's data version, ok=false if
// there is no assignment (Storm's assignment-version).
func (st *State) AssignmentVersion(ctx context.Context, id string) (version int32, ok bool, err error) {
	ok, stat, err := st.s.Exists(ctx, AssignmentPath(id))
	if err != nil {
		return 0, false, err
	}
	return stat.Version, ok, nil
}

// SetAssignment writes a topology's assignment (set-data).
func (st *State) SetAssignment(ctx context.Context, id string, a *stormthrift.Assignment) error {
	return st.setThrift(ctx, AssignmentPath(id), a)
}

// RemoveAssignment deletes a topology's assignment.
func (st *State) RemoveAssignment(ctx context.Context, id string) error {
	return st.deleteNode(ctx, AssignmentPath(id))
}
