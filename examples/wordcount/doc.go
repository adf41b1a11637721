// Command wordcount is the word count topology written with Gale's Go SDK,
// as one executable that submits itself, runs its own workers, and has a
// one-process dev mode:
//
//	wordcount dev                         # run it here, print the counts
//	wordcount submit word-count           # submit to the cluster of nimbus.seeds
//	wordcount worker ...                  # what supervisors run
//
// A spout emits the lines of input.txt (embedded in the program)
// wordcount.repeat times, reliably: each line is a message id, acked once
// its tuple tree completes and emitted again if it fails. A BasicBolt
// splits lines into words; a counting bolt, fields-grouped on the word,
// keeps one total per word. Because the input is fixed, the totals are
// exact: every word's count is its number of occurrences in input.txt
// times wordcount.repeat.
//
// Settings (-c key=value; they go into the topology configuration):
//
//	wordcount.repeat       times the input is emitted (default 20; 0 = forever)
//	wordcount.rate         lines per second per spout task (default 0 = unlimited)
//	wordcount.output.dir   directory where every count task writes its totals,
//	                       counts-<task>.json, once a second when they changed
//	topology.workers       workers (default 2)
//
// In dev mode the program waits until the totals are exact, prints them and
// exits.
package main
