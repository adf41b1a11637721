// Package cluster is Storm 1.0.0's cluster state (cluster.clj's
// StormClusterState) over a store.Store: the ZooKeeper paths, node modes and
// gzip-thrift payloads that Storm's own nimbus, supervisors and workers read
// and write, so that Gale and Storm daemons can share one ZooKeeper.
//
// Layout (relative to the store's root, /storm by default):
//
//	/assignments/<topo-id>                      persistent  Assignment
//	/storms/<topo-id>                           persistent  StormBase
//	/supervisors/<supervisor-id>                ephemeral   SupervisorInfo
//	/workerbeats/<topo-id>/<node>-<port>        persistent  ClusterWorkerHeartbeat
//	/errors/<topo-id>/<urlenc(component)>/e<seq> persistent-sequential ErrorInfo (newest 10)
//	/errors/<topo-id>/<urlenc(component)>-last-error persistent ErrorInfo
//	/nimbuses/<host:port>                       ephemeral   NimbusSummary
//	/leader-lock/_c_<uuid>-latch-<seq>          ephemeral-sequential "host:port" (LeaderLatch)
//	/blobstore/<key>/<host:port>-<seq>          ephemeral   (no data)
//	/blobstoremaxkeysequencenumber/<key>        persistent  4-byte big-endian int
//	/backpressure/<topo-id>/<node>-<port>       ephemeral   (no data)
//	/credentials/<topo-id>                      persistent  Credentials
//	/logconfigs/<topo-id>                       persistent  LogConfig
//	/profilerconfigs/<topo-id>/<host>_<port>_<ACTION> persistent ProfileRequest
//
// Directories are created as Storm's mkdirs does, as persistent nodes
// holding the byte 0x07. Writes of persistent data follow Storm's
// "set-data" (set if the node exists, else create it and its parents);
// ephemeral writes are create-or-set; deletes are recursive.
//
// Reads that find no node return nil without an error. Methods ending in W
// also return a one-shot watch channel (see package store).
//
// A State is safe for concurrent use; it holds no state of its own beyond
// the Store.
package cluster
