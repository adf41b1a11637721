package grouping

import (
	"math/rand/v2"
	"slices"
)

// NewLocalOrShuffle returns Storm's local_or_shuffle grouping: a shuffle over the targets that run
// in this worker (localTasks), or over all targets when none of them is local.
func NewLocalOrShuffle(targets, localTasks []int32, r *rand.Rand) *Shuffle {
	var local []int32
	for _, t := range sortedCopy(targets) {
		if slices.Contains(localTasks, t) {
			local = append(local, t)
		}
	}
	if len(local) == 0 {
		return NewShuffle(targets, r)
	}
	return NewShuffle(local, r)
}
