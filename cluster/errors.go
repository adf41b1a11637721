package cluster

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/stormthrift"
)

// MaxErrorsKept is how many error nodes report-error keeps per component.
const MaxErrorsKept = 10

// ReportError records a component's error as Storm's report-error does: a
// persistent-sequential child "e<seq>" of the component's error directory,
// a copy in the "-last-error" node, and deletion of all but the newest
// MaxErrorsKept children.
func (st *State) ReportError(ctx context.Context, stormID, componentID, host string, port int, msg string, now time.Time) error {
	dir := ErrorPath(stormID, componentID)
	p32 := int32(port)
	info := &stormthrift.ErrorInfo{Error: msg, ErrorTimeSecs: int32(now.Unix()), Host: &host, Port: &p32}
	b, err := compat.Serialize(info)
	if err != nil {
		return fmt.Errorf("cluster: serialize error: %w", err)
	}
	if err := st.mkdirs(ctx, dir); err != nil {
		return fmt.Errorf("cluster: report error: %w", err)
	}
	if _, err := st.s.Create(ctx, dir+"/e", b, store.PersistentSequential); err != nil {
		return fmt.Errorf("cluster: report error: %w", err)
	}
	if err := st.setData(ctx, LastErrorPath(stormID, componentID), b); err != nil {
		return err
	}
	kids, err := st.children(ctx, dir)
	if err != nil {
		return err
	}
	seqs := errorSeqs(kids)
	if len(seqs) <= MaxErrorsKept {
		return nil
	}
	for _, e := range seqs[:len(seqs)-MaxErrorsKept] {
		if err := st.deleteNode(ctx, dir+"/"+e.name); err != nil {
			return err
		}
	}
	return nil
}

type errorNode struct {
	name string
	seq  int64
}

// errorSeqs parses "e<seq>" child names, ascending by sequence; other names
// are ignored.
func errorSeqs(kids []string) []errorNode {
	out := make([]errorNode, 0, len(kids))
	for _, k := range kids {
		if len(k) < 2 || k[0] != 'e' {
			continue
		}
		n, err := strconv.ParseInt(k[1:], 10, 64)
		if err != nil {
			continue
		}
		out = append(out, errorNode{k, n})
	}
	slices.SortFunc(out, func(a, b errorNode) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

// Errors returns a component's recorded errors, newest first (by
// error_time_secs, then by sequence).
func (st *State) Errors(ctx context.Context, stormID, componentID string) ([]*stormthrift.ErrorInfo, error) {
	dir := ErrorPath(stormID, componentID)
	kids, err := st.children(ctx, dir)
	if err != nil {
		return nil, err
	}
	nodes := errorSeqs(kids)
	slices.Reverse(nodes)
	out := make([]*stormthrift.ErrorInfo, 0, len(nodes))
	for _, e := range nodes {
		info, _, err := readThrift[stormthrift.ErrorInfo](ctx, st, dir+"/"+e.name)
		if err != nil {
			return nil, err
		}
		if info != nil {
			out = append(out, info)
		}
	}
	slices.SortStableFunc(out, func(a, b *stormthrift.ErrorInfo) int {
		return cmp.Compare(b.ErrorTimeSecs, a.ErrorTimeSecs)
	})
	return out, nil
}

// LastError returns a component's most recent error; nil if none.
func (st *State) LastError(ctx context.Context, stormID, componentID string) (*stormthrift.ErrorInfo, error) {
	info, _, err := readThrift[stormthrift.ErrorInfo](ctx, st, LastErrorPath(stormID, componentID))
	return info, err
}

// ErrorTopologies lists the topologies with an error directory.
func (st *State) ErrorTopologies(ctx context.Context) ([]string, error) {
	return st.children(ctx, ErrorsRoot)
}

// TeardownErrors deletes a topology's errors. Like Storm it only logs a
// failure.
func (st *State) TeardownErrors(ctx context.Context, stormID string) error {
	if err := st.deleteNode(ctx, ErrorStormRoot(stormID)); err != nil {
		st.log.Warn("could not tear down errors", "topology", stormID, "err", err)
	}
	return nil
}
