package grouping

import "math/rand/v2"

// Shuffle sends each tuple to one target, going round robin over a shuffled copy of the targets
// and reshuffling after every full round, like Storm's ShuffleGrouping: every target gets the
// same number of tuples per round, in an order that cannot synchronise with the emitter.
type Shuffle struct {
	tasks []int32
	pos   int
	r     *rand.Rand
}

// NewShuffle returns a shuffle grouping over targets drawing from r (owned by the grouping from
// now on).
func NewShuffle(targets []int32, r *rand.Rand) *Shuffle {
	s := &Shuffle{tasks: sortedCopy(targets), r: r}
	shuffle(r, s.tasks)
	return s
}

// Choose implements Grouper.
func (s *Shuffle) Choose(dst []int32, _ int32, _ []any) []int32 {
	if len(s.tasks) == 0 {
		return dst
	}
	if s.pos == len(s.tasks) {
		shuffle(s.r, s.tasks)
		s.pos = 0
	}
	t := s.tasks[s.pos]
	s.pos++
	return append(dst, t)
}
