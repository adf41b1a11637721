// Package stormjava gives Go tests Storm 1.0.0's own Java classes, so that
// compatibility is checked against the real thing rather than a model of it.
//
// Classpath is org.apache.storm:storm-core:1.0.0 and its runtime
// dependencies as internal/stormjars resolves them for the storm command
// (`mvn dependency:build-classpath` once, cached under $GALE_CACHE_DIR or
// ~/.cache/gale, jars in ~/.m2), behind a directory holding the test
// logging configuration. Compile runs javac over a directory of test
// sources and caches the classes by a hash of the sources, the classpath
// and the javac binary, so each test binary (and every later run) compiles
// once. Jar packs classes into a jar, for -Dstorm.jar. Command and
// CommandWithProps build a java command; Run runs it and returns its
// standard output.
//
// Tests skip when java, javac or mvn is missing, or when Maven cannot
// resolve the artifacts; with GALE_REQUIRE_JAVA=1 they fail instead.
//
// # Running storm-core 1.0.0 on Java 17
//
// storm-core 1.0.0 was built for Java 7/8. On OpenJDK 17 it needs no
// --add-opens, --add-exports or other module-system flag for anything the
// tests exercise: NimbusClient, StormSubmitter (config validation, jar
// upload, submit), TopologyBuilder with the org.apache.storm.testing
// components (Java serialization), Utils.serialize/deserialize and the
// shaded Thrift, NimbusBlobStore and Utils.downloadResourcesAsSupervisor,
// Utils.readStormConfig with -Dstorm.options, and the Clojure side:
// loading org.apache.storm.converter, .cluster and .zookeeper (Clojure
// 1.7), mk-storm-cluster-state and the Curator leader elector over the
// shaded ZooKeeper 3.4.6 client (against a ZooKeeper 3.8 server). None of
// these uses deep reflection into java.* or a removed API. The one known
// removed-API use, javax.xml.bind in AuthUtils.makeDigestPayload (ZooKeeper
// digest authentication), is not reached with the default configuration;
// a test that needs it must add javax.xml.bind:jaxb-api to the pom.
//
// What is needed instead:
//
//   - Logging: storm-core's bundled log4j2.xml (log4j 2.1) logs INFO to
//     standard output, which would mix with a program's results. Classpath
//     puts a directory holding a log4j2-test.xml first (log4j2 looks for
//     log4j2-test.xml before log4j2.xml); it sends WARN and above to
//     standard error.
//   - Startup time only: -XX:TieredStopAtLevel=1, -XX:+UseSerialGC and
//     -Xshare:auto (JVMFlags) roughly halve the run time of these
//     short-lived programs on a small machine, most of all when Clojure
//     namespaces load.
//
// Storm's Thrift library is shaded inside storm-core 1.0.0: the classes are
// org.apache.storm.thrift.* (TSerializer, TDeserializer, ...), not
// org.apache.thrift.*; json-simple is org.apache.storm.shade.org.json.simple.
package stormjava
