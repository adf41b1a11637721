package grouping

import (
	"math/rand/v2"
	"slices"
)

// Grouper chooses the target tasks of one subscribing component for each emitted tuple.
type Grouper interface {
	// Choose appends the target tasks for a tuple emitted by sourceTask with values (in the
	// emitter's declared field order) to dst and returns it. It retains neither dst nor values and
	// is called only from the emitting executor's goroutine.
	Choose(dst []int32, sourceTask int32, values []any) []int32
}

// sortedCopy returns the targets sorted ascending, without duplicates, in a new slice.
func sortedCopy(targets []int32) []int32 {
	s := slices.Clone(targets)
	slices.Sort(s)
	return slices.Compact(s)
}

// shuffle permutes s in place (Fisher–Yates) with r.
func shuffle(r *rand.Rand, s []int32) {
	for i := len(s) - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		s[i], s[j] = s[j], s[i]
	}
}
