package main

// clientJVMFlags are JVM flags Gale adds to a `storm jar` client JVM, before
// $STORM_JAR_JVM_OPTS. There are none: storm-core 1.0.0's client path
// (StormSubmitter, NimbusClient, TopologyBuilder, Utils.serialize) needs no
// --add-opens/--add-exports on Java 17, as internal/stormjava's probe found,
// so the command line stays exactly storm.py's. Flags the Java side ever
// needs go here, and only here, for `storm jar`.
func clientJVMFlags() []string { return nil }
