# Shared helpers for Gale's scripts (sourced, not run).

log() { printf '==> %s\n' "$*" >&2; }

# ensure_packages installs the Debian packages the build and tests need that
# are missing: a JDK (java, javac), Maven, ZooKeeper (for the tests'
# server), slf4j-simple (its logger) and the Thrift compiler (the test that
# checks the generated bindings are current). apt-get update runs at most once.
ensure_packages() {
	local need=()
	command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
	command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
	command -v mvn >/dev/null 2>&1 || need+=(maven)
	[ -f /usr/share/java/zookeeper.jar ] || need+=(zookeeper)
	[ -f /usr/share/java/slf4j-simple.jar ] || need+=(libslf4j-java)
	command -v thrift >/dev/null 2>&1 || need+=(thrift-compiler)
	if [ ${#need[@]} -eq 0 ]; then
		return 0
	fi
	local sudo=()
	if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi
	log "installing Debian packages: ${need[*]}"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$(printf '%s\n' "${need[@]}" | sort -u) </dev/null
}

# ensure_go fails clearly when the Go toolchain is missing.
ensure_go() {
	if ! command -v go >/dev/null 2>&1; then
		echo "error: the Go toolchain (go, version from go.mod) is required" >&2
		return 1
	fi
}

# ensure_storm_core puts org.apache.storm:storm-core:1.0.0 and its runtime
# dependencies in the local Maven repository and writes their classpath to
# the cache `storm jar` reads (<cache>/gale/storm-core-1.0.0/classpath.txt;
# the same pom as internal/stormjars/stormjars.go). Quick when the cache is valid.
ensure_storm_core() {
	local dir=${GALE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gale}/storm-core-1.0.0
	local cp=$dir/classpath.txt
	if [ -s "$cp" ]; then
		local ok=1 f
		IFS=: read -r -a jars <"$cp" || true
		for f in "${jars[@]}"; do [ -e "$f" ] || ok=0; done
		if [ $ok = 1 ]; then return 0; fi
	fi
	mkdir -p "$dir"
	cat >"$dir/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.galeproject</groupId>
  <artifactId>gale-storm-client-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.storm</groupId>
      <artifactId>storm-core</artifactId>
      <version>1.0.0</version>
    </dependency>
  </dependencies>
</project>
POM
	log "resolving org.apache.storm:storm-core:1.0.0 and its dependencies with Maven"
	mvn -B -q -Dstyle.color=never -f "$dir/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp.$$.tmp" </dev/null
	mv "$cp.$$.tmp" "$cp"
}

# ensure_multilang installs what the multilang tests run (e2e, shellhost,
# worker): node and ruby (Debian packages), the python3 venv module, Storm's
# multilang-javascript/python/ruby 1.0.0 jars (Maven Central) and the
# pystorm virtualenv of e2e/testdata/multilang/requirements.txt (PyPI),
# cached at <cache>/gale/pystorm-<sha256 prefix> as e2e/multilang_env_test.go
# expects. Quick when everything is there.
ensure_multilang() {
	local need=()
	command -v node >/dev/null 2>&1 || need+=(nodejs)
	command -v ruby >/dev/null 2>&1 || need+=(ruby)
	python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
	if [ ${#need[@]} -gt 0 ]; then
		local sudo=()
		if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi
		log "installing Debian packages: ${need[*]}"
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" </dev/null
	fi
	local m2=${GALE_M2_REPO:-$HOME/.m2/repository} a
	for a in multilang-javascript multilang-python multilang-ruby; do
		if [ ! -f "$m2/org/apache/storm/$a/1.0.0/$a-1.0.0.jar" ]; then
			log "fetching org.apache.storm:$a:1.0.0 with Maven"
			mvn -B -q dependency:get -Dartifact=org.apache.storm:$a:1.0.0 -Dtransitive=false </dev/null
		fi
	done
	local req=e2e/testdata/multilang/requirements.txt
	local venv
	venv=${GALE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gale}/pystorm-$(sha256sum "$req" | cut -c1-16)
	if [ -f "$venv/.gale-ok" ] && "$venv/bin/python" -c 'import pystorm, simplejson, six' >/dev/null 2>&1; then
		return 0
	fi
	log "building the pystorm virtualenv $venv"
	rm -rf "$venv"
	python3 -m venv "$venv"
	"$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$req" </dev/null
	cp "$req" "$venv/.gale-ok"
}

# ensure_streamparse builds the Python virtualenv of the streamparse
# conformance case (conformance/testdata/streamparse/requirements.txt:
# streamparse from PyPI and its dependencies, pinned) at
# <cache>/gale/streamparse-<first 16 hex digits of the file's sha256>, where
# the suite looks for it (conformance/streamparse.go). Needs python3 with
# venv; quick when the virtualenv is there.
ensure_streamparse() {
	local req=conformance/testdata/streamparse/requirements.txt
	local cache=${GALE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gale}
	local sum
	sum=$(sha256sum "$req" | cut -c1-16)
	local venv=$cache/streamparse-$sum
	if [ -f "$venv/.gale-ok" ] && "$venv/bin/python" -c 'import streamparse, pystorm' 2>/dev/null; then
		return 0
	fi
	log "building the streamparse virtualenv $venv"
	mkdir -p "$cache"
	rm -rf "$venv"
	python3 -m venv "$venv"
	"$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$req" </dev/null
	cp "$req" "$venv/.gale-ok"
}

# free_port prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
	local p
	for _ in $(seq 1 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	echo "error: no free port found" >&2
	return 1
}

# zk_ok reports whether a ZooKeeper on 127.0.0.1:$1 answers "ruok".
zk_ok() {
	(
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf ruok >&3
		resp=""
		read -r -t 2 resp <&3 || true
		[ "$resp" = imok ]
	) 2>/dev/null
}

# start_zookeeper DIR starts a standalone ZooKeeper (Debian's jars) on a free
# 127.0.0.1 port with its data and log under DIR; sets ZK_PORT and ZK_PID.
# A port taken between the probe and the bind is retried on another port.
start_zookeeper() {
	local attempt
	for attempt in 1 2 3; do
		if start_zookeeper_once "$1" 2>"$1.err"; then
			rm -f "$1.err"
			return 0
		fi
		log "ZooKeeper did not start on port $ZK_PORT (attempt $attempt)"
	done
	cat "$1.err" >&2
	return 1
}

start_zookeeper_once() {
	local dir=$1
	ZK_PORT=$(free_port)
	mkdir -p "$dir/data"
	cat >"$dir/zoo.cfg" <<CFG
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$dir/data
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok
CFG
	java -Xmx256m -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar \
		-Dzookeeper.admin.enableServer=false \
		org.apache.zookeeper.server.ZooKeeperServerMain "$dir/zoo.cfg" >"$dir/zookeeper.log" 2>&1 </dev/null &
	ZK_PID=$!
	for _ in $(seq 1 150); do
		if zk_ok "$ZK_PORT"; then
			return 0
		fi
		if ! kill -0 "$ZK_PID" 2>/dev/null; then
			break
		fi
		sleep 0.2
	done
	echo "error: ZooKeeper did not start; its log:" >&2
	tail -n 40 "$dir/zookeeper.log" >&2 || true
	return 1
}

# stop_pid PID stops one process this script started: TERM, then KILL.
stop_pid() {
	local pid=$1
	kill -0 "$pid" 2>/dev/null || return 0
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}
