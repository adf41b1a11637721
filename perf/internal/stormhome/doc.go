// Package stormhome runs Apache Storm 1.0.0 itself, from the jars on Maven Central, as the
// reference side of the benchmarks: it assembles a STORM_HOME (lib/ with storm-core 1.0.0 and its
// runtime dependencies resolved by mvn, log4j2/ with our own cluster.xml and worker.xml, an empty
// conf/), builds the benchmark topology jar from perf/java, and starts Nimbus and a Supervisor
// with the command lines bin/storm.py builds, a LocalCluster, and the StormSubmitter client.
//
// # Java 17
//
// storm-core 1.0.0 targets Java 7/8. On OpenJDK 17 its daemons and workers need no module flag
// (--add-opens/--add-exports): Nimbus, the Supervisor, workers (Netty 3, Kryo, Disruptor,
// Clojure 1.7), LogWriter, ShellBolt and LocalCluster run as they are. The one thing that breaks
// is defaults.yaml's worker.childopts: its Java 8 GC-logging flags (-XX:+PrintGCDetails,
// -Xloggc, -XX:+PrintGCDateStamps, -XX:+PrintGCTimeStamps, -XX:+UseGCLogFileRotation,
// -XX:NumberOfGCLogFiles, -XX:GCLogFileSize) make a Java 17 JVM refuse to start ("Unrecognized
// VM option"), so every worker would die at launch. Each cluster's storm.yaml therefore sets
// worker.childopts to WorkerChildopts, the unified-logging (-Xlog:gc*) equivalent.
package stormhome
