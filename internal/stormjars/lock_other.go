//go:build !unix

package stormjars

// lockFile is a no-op where flock is unavailable; concurrent first runs may
// then resolve the classpath twice, which is harmless.
func lockFile(string) (func(), error) { return func() {}, nil }
