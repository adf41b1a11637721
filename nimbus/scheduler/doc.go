// Package scheduler is Storm 1.0.0's default scheduler (DefaultScheduler +
// EvenScheduler, with the preparation nimbus does in
// compute-new-scheduler-assignments) as a pure function:
//
//	plan := scheduler.Schedule(snapshot)
//
// The caller (nimbus's assignment pass) reads supervisors, assignments and
// heartbeats, decides which executors are alive, builds a Snapshot, and
// writes back only the assignments that changed (BuildAssignment,
// SameAssignment). Schedule does no I/O, reads no clock, keeps no state and
// never modifies the snapshot; the same snapshot always gives the same plan,
// whatever the order of its slices.
//
// Where Storm iterates Java/Clojure hash maps (topologies, supervisors,
// ports, a topology's slots when choosing which to keep) we iterate in
// sorted order. For the usual cases (ports 6700-6703, few supervisors) this
// is Storm's order too; testdata/schedule_golden.json holds real Storm
// 1.0.0 results the tests compare against. See README.md for the algorithm.
package scheduler
