// Package backoff is Storm's bounded exponential backoff
// (StormBoundedExponentialBackoffRetry), the retry policy Storm 1.0.0 uses
// both for ZooKeeper operations (storm.zookeeper.retry.*, through Curator)
// and for Nimbus client connects (storm.nimbus.retry.*, TBackoffConnect).
// It is shared by cluster/store/zk and client, and imports neither.
//
// The policy is pure: Policy.Sleep takes the attempt number and a jitter in
// [0,1) and returns the wait; the caller supplies the randomness and does
// the waiting (Wait).
package backoff
