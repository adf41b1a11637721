// Package storetest is the contract suite every store.Store backend must
// pass: create modes, sequential names, versions, one-shot watches,
// ephemeral nodes dying with their session (close and expiry), children,
// delete semantics and session events. store/mem and store/zk run it.
package storetest
