// Package zk is the store.Store backend over a real ZooKeeper ensemble,
// using github.com/go-zookeeper/zk, set up as Storm 1.0.0's daemons set up
// Curator (Utils.newCurator): session timeout storm.zookeeper.session.timeout,
// connection timeout 15 s, and a bounded retry of operations that failed
// because the connection was lost (storm.zookeeper.retry.times/interval/
// intervalceiling).
//
// The root (chroot, storm.zookeeper.root) is created first, as persistent
// nodes holding the byte 0x07 — as Storm's daemons mkdirs it before
// chrooting — and every path is then taken relative to it. go-zookeeper has
// no chroot, so the Store prefixes paths itself and strips the prefix from
// created sequential names and watch events.
//
// After a session expires the underlying client starts a new session by
// itself; the Store reports SessionExpired then SessionConnected, and
// carries on.
package zk
