#!/usr/bin/env bash
# Runs the whole Gale vs Storm 1.0.0 comparison and writes perf/RESULTS.md and perf/results.json.
# Flags go to `go run ./perf/cmd/perf` (see perf/README.md), e.g.
#   perf/run.sh                                   # everything, 20 s warm-up + 20 s measured per run
#   perf/run.sh -warm 5s -measure 10s -topologies noop -workers 1
#   perf/run.sh -runners gale-dev,gale-cluster -merge   # add Gale's columns to the Storm numbers
# Needs: go, java + javac (17), mvn (first run downloads storm-core 1.0.0 from Maven Central),
# node (multilang case), Python 2.7 (multilang-py case; -python2 PATH, skipped without one),
# Debian's zookeeper package (or -zk host:port).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in go java javac mvn node; do
	command -v "$tool" >/dev/null 2>&1 || { echo "perf/run.sh: $tool not found" >&2; exit 1; }
done
exec go run ./perf/cmd/perf "$@"
