// Package blobstore is Nimbus's local blob store and upload inbox, laid out on
// disk exactly like Storm 1.0.0's LocalFsBlobStore so a Java Nimbus (or an
// operator) can read a Gale Nimbus's blobs directory and vice versa.
//
// # Disk layout
//
// Every key K is two entries, "data_K" and "meta_K". An entry lives in
//
//	<dir>/<bucket>/<entry>/data
//
// where bucket = |(int64) javaStringHashCode(entry)| % 1024 (the hash is taken
// over the prefixed entry name, as FileBlobStoreImpl.getKeyDir does). "data"
// is the committed content; writers stream into "<millis>.tmp" beside it and
// commit with an atomic rename. meta_K/data is plain TBinary
// SettableBlobMeta; a blob's version is the mtime of data_K/data in
// milliseconds.
//
// # Sessions
//
// The Thrift blob RPCs are session based. Store keeps one table of upload,
// download and list sessions, each with an idle TTL measured with the
// injected clock: every use refreshes it, ExpireSessions (called from a Nimbus
// timer) cancels uploads and closes downloads that sat idle too long, and a
// late use of an expired session fails with ErrNoSession. A download session
// holds the file open, so it keeps reading the version it started with even if
// the blob is updated or deleted meanwhile; data_size is exact.
//
// # ZooKeeper state
//
// RegisterState is Storm's createStateInZookeeper: it computes the key's
// update sequence number as KeySequenceNumber does (with the max kept in
// /blobstoremaxkeysequencenumber/<key>) and publishes the ephemeral
// /blobstore/<key>/<host:port>-<seq>. The number of children there is the
// replication count. SyncState is Nimbus's startup "setup-blobstore".
//
// # Inbox
//
// Inbox backs beginFileUpload/uploadChunk/finishFileUpload. The location
// string it hands out looks like Storm's (<inbox>/stormjar-<uuid>.jar) but is
// only a token: every call looks it up in the table of locations this Inbox
// issued, so no client-chosen path is ever opened.
//
// All exported methods are safe for concurrent use.
package blobstore
