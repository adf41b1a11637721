package grouping

import "math/rand/v2"

// None sends each tuple to a uniformly random target (Storm's none grouping).
type None struct {
	tasks []int32
	r     *rand.Rand
}

// NewNone returns a none grouping drawing from r (owned by the grouping from now on).
func NewNone(targets []int32, r *rand.Rand) *None { return &None{tasks: sortedCopy(targets), r: r} }

// Choose implements Grouper.
func (g *None) Choose(dst []int32, _ int32, _ []any) []int32 {
	if len(g.tasks) == 0 {
		return dst
	}
	return append(dst, g.tasks[g.r.IntN(len(g.tasks))])
}
