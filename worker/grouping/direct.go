package grouping

import (
	"errors"
	"slices"
)

// ErrDirectStream is returned by the router for a regular emit on a stream a component subscribes
// to with a direct grouping (Storm: "Cannot do regular emit to direct stream").
var ErrDirectStream = errors.New("cannot do regular emit to direct stream")

// ErrNotDirect is returned by the router for a direct emit to a task whose component subscribes
// with another grouping (Storm: "Cannot emitDirect to a task expecting a regular grouping").
var ErrNotDirect = errors.New("cannot emitDirect to a task expecting a regular grouping")

// Direct marks a direct grouping: the emitter names the target task (EmitDirect), so Choose never
// picks one. The router checks a direct emit's task with Accepts.
type Direct struct{ tasks []int32 }

// NewDirect returns a direct grouping over targets.
func NewDirect(targets []int32) *Direct { return &Direct{tasks: sortedCopy(targets)} }

// Choose implements Grouper: it appends nothing (a regular emit to a direct stream is an error the
// router reports with ErrDirectStream).
func (d *Direct) Choose(dst []int32, _ int32, _ []any) []int32 { return dst }

// Accepts reports whether task is one of the targets.
func (d *Direct) Accepts(task int32) bool {
	_, ok := slices.BinarySearch(d.tasks, task)
	return ok
}
