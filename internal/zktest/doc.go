// Package zktest gives tests a real ZooKeeper: the one named by
// $GALE_TEST_ZK (host:port[,host:port...]) if set, else a server started
// from Debian's `zookeeper` package (java + /usr/share/java/zookeeper.jar)
// on a free 127.0.0.1 port with a temporary data directory.
//
// A test binary can share one server across its tests with
//
//	func TestMain(m *testing.M) { zktest.Main(m) }
//
// which starts it once and publishes its address through $GALE_TEST_ZK;
// without Main, Start launches a server per test (about a second) and
// stops it at the test's end.
//
// When ZooKeeper cannot be started, tests are skipped — or fail if
// $GALE_REQUIRE_ZK is "1" (CI sets it).
//
// Proxy sits between a client and the server to cut connections, which is
// how tests make a real session expire.
package zktest
