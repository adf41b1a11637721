// Package conformance checks Gale against real Apache Storm 1.0.0 peers:
// Storm's own client classes and command-line namespaces (storm-core
// 1.0.0 from Maven Central, launched with the command lines Storm's
// bin/storm.py builds), the official Storm UI 1.0.0 daemon and its pages
// in headless Chromium, Storm's own supervisor and Nimbus daemons with
// their JVM workers (next to Gale's supervisors and workers), and
// streamparse.
//
// Cases are TOML files in cases/ (see case.go for the schema and
// README.md for how to write one). TestConformance runs every case as a
// subtest: it builds Gale's storm command from ./cmd/storm, starts a real
// ZooKeeper (internal/zktest), lays out a directory that storm.py would
// take for a Storm 1.0.0 release (release.go), and for each case starts
// Gale Nimbus processes (`storm nimbus`), the Storm UI if asked, runs the
// steps and evaluates the checks. Every JVM peer records the Nimbus
// methods it calls (java/gale/conformance/RecordingTransportPlugin.java,
// a subclass of Storm's default transport named in the peers'
// storm.yaml), so the report can show which of the Nimbus service's
// methods Storm's own code called.
//
// The run writes report.json and report.md (case, peer, status,
// evidence), screenshots and the logs of failed cases to the results
// directory (-conformance.results, default ./results). A case marked
// known_gap is reported as a gap and never run; it never counts as a pass.
package conformance
