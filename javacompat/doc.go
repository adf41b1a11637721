// Package javacompat holds compatibility tests (no library code) that drive
// Storm 1.0.0's own Java classes against Gale.
//
// Each test starts Gale's Nimbus in process on a real ZooKeeper
// (internal/zktest, cluster/store/zk) and runs java/GaleCompat.java, a small
// program over storm-core 1.0.0 (resolved from Maven Central by
// internal/stormjava), with a client configuration that is Storm's default
// except nimbus.seeds and nimbus.thrift.port:
//
//   - client lifecycle: NimbusClient.getConfiguredClient and
//     StormSubmitter.submitTopology of a TopologyBuilder topology
//     (-Dstorm.jar = a jar the test builds), then getClusterInfo,
//     deactivate, activate, rebalance and kill, with the states in between;
//     duplicate names (StormSubmitter's own check and the raw
//     AlreadyAliveException) and invalid topologies
//     (InvalidTopologyException);
//   - the ZooKeeper layout: the 1.0.0 paths exist after a submit and the
//     node bytes decode with Storm's Utils.deserialize; nodes written by
//     Storm's Utils.serialize read back through Gale's compat and cluster
//     packages (a SupervisorInfo from Java gets the topology assigned);
//   - the blob download a 1.0.0 supervisor performs
//     (Utils.downloadResourcesAsSupervisor over NimbusBlobStore) and the
//     worker-side reads of stormcode.ser and stormconf.ser.
//
// The tests skip without java/javac/mvn or ZooKeeper unless
// GALE_REQUIRE_JAVA=1 / GALE_REQUIRE_ZK=1.
package javacompat
