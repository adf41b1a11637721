// Package fanout delivers session events to any number of subscribers
// without ever blocking the publisher; both store backends use it.
package fanout
