// Package stormjars finds the jars of Storm 1.0.0's client library,
// org.apache.storm:storm-core:1.0.0 and its runtime dependencies, the one
// way both the storm command (`storm jar`, when no Storm release is given)
// and the Java test harness (internal/stormjava) get them.
//
// Resolve runs `mvn dependency:build-classpath` once over a generated pom
// and caches the resulting list in <base>/storm-core-1.0.0/classpath.txt,
// where base is BaseDir: $GALE_CACHE_DIR, else <user cache dir>/gale. The
// jars themselves stay in the local Maven repository (~/.m2). A cached list
// is reused while every jar on it exists; a file lock in the cache directory
// keeps parallel processes from running Maven into it at once. scripts/lib.sh
// (ensure_storm_core) writes the same pom and cache file.
package stormjars
