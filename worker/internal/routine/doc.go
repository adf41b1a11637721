// Package routine gives goroutines an owner: every goroutine of a component is started through its
// Group, so the component can wait for all of them to end on shutdown.
package routine
