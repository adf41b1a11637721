// Package mem is an in-process ZooKeeper: a Server holding one tree of
// nodes, and sessions on it (Connect) that implement store.Store with the
// semantics of a real ensemble — ephemeral nodes that die with their
// session, sequential names from the parent's child version, data versions,
// one-shot watches and session events.
//
// It is the cluster store of Gale's embedded mode (`storm dev`), not a test
// double: it passes the same contract suite (store/storetest) as the
// ZooKeeper backend. Everything is safe for concurrent use; watch channels
// are buffered so a write never waits for a watcher.
package mem
