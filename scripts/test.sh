#!/usr/bin/env bash
# Runs all of Gale's tests, installing what they need first:
#   scripts/test.sh            # go vet + go test over ./...
#   scripts/test.sh ./cmd/...  # only these packages
# Needs: Go (the version in go.mod). Installs when missing: a JDK, Maven,
# ZooKeeper, node, ruby (Debian packages), storm-core 1.0.0 and Storm's
# multilang jars (Maven Central), pystorm and streamparse (PyPI, virtualenvs). Starts a
# ZooKeeper for the run unless $GALE_TEST_ZK names one, and stops it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_go
ensure_packages
ensure_storm_core
ensure_multilang
ensure_streamparse

work=$(mktemp -d "${TMPDIR:-/tmp}/gale-test.XXXXXX")
ZK_PID=""
cleanup() {
	if [ -n "$ZK_PID" ]; then stop_pid "$ZK_PID"; fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${GALE_TEST_ZK:-}" ]; then
	start_zookeeper "$work/zk"
	export GALE_TEST_ZK="127.0.0.1:$ZK_PORT"
	log "ZooKeeper for this run: $GALE_TEST_ZK"
fi
export GALE_REQUIRE_ZK=1 GALE_REQUIRE_JAVA=1 GALE_REQUIRE_MULTILANG=1 GALE_REQUIRE_THRIFT=1 GALE_REQUIRE_STREAMPARSE=1

pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then pkgs=(./...); fi

log "go vet ${pkgs[*]}"
go vet "${pkgs[@]}"
log "go test ${pkgs[*]}"
go test -timeout 20m "${pkgs[@]}"
