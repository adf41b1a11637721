// Package store is the small hierarchical key-value interface that Gale's
// cluster state is written against: a ZooKeeper session.
//
// A Store is one session. Nodes are addressed by absolute slash-separated
// paths ("/assignments/topo-1-1"). The semantics are ZooKeeper's, and both
// backends (store/zk over a real ZooKeeper ensemble, store/mem in process)
// must pass the one contract suite in store/storetest:
//
//   - Create modes: persistent, ephemeral (removed when the creating session
//     ends — Close or expiry), and their sequential forms, whose created name
//     gets a 10-digit, zero-padded suffix: the number of children created
//     under the parent so far (deletes do not count, as in ZooKeeper 3.8;
//     Stat.Cversion counts both).
//   - Versions: every Set increments Stat.Version; Set and Delete take an
//     expected version, -1 meaning any; a mismatch is ErrBadVersion.
//   - Deleting a node that has children is ErrNotEmpty; creating under a
//     missing parent is ErrNoNode; ephemeral nodes cannot have children.
//   - Watches are one-shot: the channel returned by GetW, ExistsW or
//     ChildrenW receives at most one Event and is then closed. Data watches
//     fire on Set and Delete, exists watches on a node's creation too, and
//     child watches on a child's creation or deletion and on the node's own
//     deletion. When the session ends (Close, expiry) pending watches receive
//     an EventNotWatching event carrying the reason (ErrClosed,
//     ErrSessionExpired). A watch never blocks the writer.
//   - Sessions: after an expiry the Store carries on with a fresh session
//     (new SessionID) — what the ZooKeeper client and Curator do — so owners
//     of ephemeral nodes must watch SessionEvents and re-create them.
//
// Everything in this package is safe for concurrent use.
package store
