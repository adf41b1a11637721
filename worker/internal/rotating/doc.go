// Package rotating provides Map, the bucketed expiring map behind Storm's message timeouts
// (Storm's RotatingMap): entries live in the newest bucket when written, and each Rotate drops the
// oldest bucket. With n buckets rotated every period p, an entry that is not written again expires
// between (n-1)·p and n·p after its last write.
//
// A Map is not safe for concurrent use; it belongs to one goroutine (an executor loop).
package rotating
