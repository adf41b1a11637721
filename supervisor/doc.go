// Package supervisor is Gale's supervisor daemon (`storm supervisor`): it
// registers the node in the cluster state, follows the assignments Nimbus
// writes for it, fetches topology code, and keeps one worker alive per
// assigned slot. On disk and in ZooKeeper it behaves as Storm 1.0.0's
// supervisor does (reference §4.4, §5.1–5.5): same LocalState files, same
// directory layout, same SupervisorInfo.
//
// Four kinds of goroutine, owned by Run:
//
//   - heartbeat: writes the ephemeral /supervisors/<id> SupervisorInfo every
//     supervisor.heartbeat.frequency.secs.
//   - assignments (Storm's synchronize-supervisor): reads /assignments on
//     watches and every 10 s, picks this node's executors by port
//     (MyAssignments), downloads code of new topologies through a
//     BlobSource into stormdist/, stores local-assignments, and removes code
//     nothing uses any more.
//   - processes (Storm's sync-processes): every
//     supervisor.monitor.frequency.secs, and at once when a worker exits or
//     the assignment changes, it observes the local workers (directories,
//     approvals, LocalState heartbeats, pid files, what the runners hold),
//     calls the pure Reconcile, and hands each slot runner its part of the
//     plan.
//   - one runner per slot: kills, adopts and launches the workers of its
//     port through a Launcher, with a RestartTracker backing off a crashing
//     worker. See runner.go for the slot lifecycle.
//
// Shutdown is not kill: cancelling Run's context stops the goroutines and
// removes /supervisors/<id> but leaves the workers running; a new Supervisor
// on the same storm.local.dir adopts those whose heartbeats are still valid.
// KillWorkers is the explicit kill of all of them.
//
// Launchers: ProcessLauncher runs workers as processes (Gale's `storm
// worker`, or a Go topology's own executable); FuncLauncher runs them as
// goroutines for the embedded cluster. Tests use a fake launcher and a fake
// clock for the runner logic, and real processes (the test binary acting as
// a worker) against the in-memory store and a real ZooKeeper.
package supervisor
