// Command storm is Gale's `storm` command: the daemons (nimbus, dev) and the
// client commands of Storm 1.0.0's bin/storm.py (jar, list, kill, activate,
// deactivate, rebalance, version), with the same global flags:
//
//	storm [-c key=value]... [--config FILE] COMMAND [ARGS...]
//
// As in storm.py, every "-c key=value" and "--config FILE" pair is taken out
// of the argument list wherever it appears, so they may also follow the
// command. Client commands find the leader Nimbus the way Storm's
// NimbusClient does (nimbus.seeds → getClusterInfo → leader host/port) and
// speak framed binary Thrift to it. `storm jar` starts the topology's main
// class on a JVM with the command line storm.py builds, so StormSubmitter in
// the user's jar uploads and submits to Gale's Nimbus unchanged.
package main
