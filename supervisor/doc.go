// Package supervisor is Gale's supervisor daemon: it registers the node in
// the cluster state, follows the assignments Nimbus writes for it, fetches
// topology code, and keeps one worker process alive per assigned slot.
//
// The core is a pure reconciliation (Reconcile): assignments by port and the
// local workers go in, a plan of kills and launches comes out; a thin loop
// performs it.
package supervisor
