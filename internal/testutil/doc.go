// Package testutil holds the few helpers that Gale's tests in many packages
// need alike: a logger into the test's output that goes quiet when the test
// ends (daemon goroutines often log late, and logging to a finished test
// panics), CheckFor, the poll-until-true wait that fails with the
// condition's last error, and Clock, a settable clock to inject.
//
// It is imported only by _test.go files.
package testutil
