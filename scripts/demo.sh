#!/usr/bin/env bash
# Gale demo, one command on a fresh machine with Go:
#   scripts/demo.sh
# Builds the Go word count (examples/wordcount: a topology written with
# Gale's Go SDK, one executable) and runs it in dev mode: a one-process
# Gale cluster (Nimbus on the in-memory cluster state, a supervisor, two
# workers running in the same process) takes the topology, the spout emits
# the lines of examples/wordcount/input.txt 20 times, and once every tuple
# tree is acked the program prints each word's total. The totals are exact:
# each is the word's count in input.txt times 20.
#
# Extra arguments go to the program, e.g.  scripts/demo.sh -c wordcount.repeat=100
# The Storm-client demo (`storm jar` with a Java topology) is scripts/demo-jar.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_go

work=$(mktemp -d "${TMPDIR:-/tmp}/gale-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

log "building the Go word count: go build -o wordcount ./examples/wordcount"
go build -o "$work/wordcount" ./examples/wordcount

port=${GALE_DEMO_PORT:-6627}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
	port=$(free_port)
fi
printf '\n$ wordcount dev -c nimbus.thrift.port=%s %s\n' "$port" "$*"
"$work/wordcount" dev -c "nimbus.thrift.port=$port" "$@" </dev/null
