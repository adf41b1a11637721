// Package topology turns a submitted StormTopology into the shapes Nimbus and
// the workers share: the normalized user topology (topology.tasks written into
// every component conf), the system topology (acker, event logger, metrics
// consumers, __system and the system streams), the task → component table and
// the executor ranges.
//
// Everything here is pure and deterministic: no I/O, no clocks, no package
// state. Functions never modify their inputs; they return deep copies.
//
// Storm 1.0.0 sources these facts come from: daemon/common.clj
// (system-topology!, validate-basic!, validate-structure!, storm-task-info),
// daemon/nimbus.clj (normalize-topology, compute-executors,
// validate-topology-name!) and util.clj (partition-fixed, integer-divided).
//
// Errors that Storm reports as InvalidTopologyException are *InvalidError
// values carrying Storm's exact message text (Clojure sets and lists in
// messages are printed in Clojure 1.7's order). testdata/system_golden.json
// is real Storm 1.0.0 output for testdata/system_cases.json; the tests
// compare against it.
//
// Where we differ from Storm 1.0.0, on purpose:
//   - blank topology names get "Topology name cannot be blank" (Storm means
//     to, but crashes with a ClassCastException);
//   - duplicate component ids across spouts/bolts/state spouts are rejected
//     (`Duplicate component ids: ("x")`); Storm's check compares map
//     entries, never fires, and the topology fails later with an unrelated
//     message;
//   - a malformed json_conf, a non-integer topology.tasks or more than
//     MaxTasks tasks are InvalidErrors (Storm throws whatever the JVM throws);
//   - the system bolts' ComponentObject is a java_object naming Storm's class
//     (AckerClass, ...) instead of a Java-serialized instance;
//   - json_conf is re-encoded with sorted keys (Storm's key order is a
//     hash-map order; the content is the same).
package topology
