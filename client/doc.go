// Package client is Gale's Nimbus client: the framed binary Thrift
// connection Storm 1.0.0's NimbusClient opens, leader discovery through
// nimbus.seeds as NimbusClient.getConfiguredClient does it, and the blob
// download loop a supervisor runs (exact data_size check).
package client
