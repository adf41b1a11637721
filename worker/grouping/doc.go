// Package grouping implements Storm's stream groupings: given a tuple emitted on a stream, which
// tasks of one subscribing component receive it (executor.clj mk-grouper).
//
// One file per grouping; each is a Grouper whose Choose appends target task ids to a slice the
// caller owns, so routing a tuple allocates nothing. A Grouper belongs to the emitting executor's
// goroutine. Target task lists are sorted at construction, as Storm sorts them, so choices depend
// only on the inputs and the injected random source.
//
//	shuffle           round robin over a shuffled copy of the targets, reshuffled every round
//	                  (Storm's ShuffleGrouping; its default LoadAwareShuffleGrouping is the same
//	                  distribution when all targets are equally loaded)
//	fields            sortedTargets[floorMod(Java Arrays.deepHashCode(selected values), n)]; an
//	                  empty field list is global
//	all               every target
//	global            the lowest target task id
//	none              a uniformly random target
//	direct            no targets: the emitter names the task (EmitDirect); see Direct
//	local_or_shuffle  shuffle over the targets in this worker, or over all when none are local
//	custom            a user CustomStreamGrouping (Custom), resolved by name
//
// Fields grouping must pick the task Storm's Java workers pick for the same values, so the hash is
// Java's; see JavaHashCode for the mapping from Go values to Java types.
package grouping
