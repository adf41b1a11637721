package stormhome

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestStormYAML(t *testing.T) {
	c := ClusterConfig{Dir: "/x", ZooKeeper: "127.0.0.1:2182", NimbusPort: 7000, SlotPorts: []int{7001, 7002},
		Extra: map[string]any{"nimbus.seeds": []string{"localhost"}}}
	b, err := c.StormYAML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`storm.zookeeper.servers: ["127.0.0.1"]`, "storm.zookeeper.port: 2182", `storm.zookeeper.root: "/storm"`,
		"nimbus.thrift.port: 7000", "supervisor.slots.ports: [7001,7002]", `nimbus.seeds: ["localhost"]`,
		`storm.local.dir: "/x/local"`, `worker.childopts: "-Xmx%HEAP-MEM%m -Xlog:gc*`,
	} {
		if !strings.Contains(string(b), want+"\n") && !strings.Contains(string(b), want) {
			t.Errorf("storm.yaml lacks %q:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "PrintGC") {
		t.Error("Java 8 GC flags in worker.childopts")
	}
	if _, err := (ClusterConfig{ZooKeeper: "nope"}).StormYAML(); err == nil {
		t.Error("bad zookeeper address accepted")
	}
}

func TestDaemonCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, j := range []string{"storm-core-1.0.0.jar", "clojure-1.7.0.jar"} {
		if err := os.WriteFile(filepath.Join(dir, "lib", j), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := &Home{Dir: dir, Java: "java"}
	argv, err := h.DaemonCommand("supervisor", "/c/conf", "/c/logs", []string{"-Xmx256m"})
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(dir, "lib", "clojure-1.7.0.jar") + ":" + filepath.Join(dir, "lib", "storm-core-1.0.0.jar") + ":/c/conf"
	want := []string{"java", "-server", "-Ddaemon.name=supervisor", "-Dstorm.options=", "-Dstorm.home=" + dir,
		"-Dstorm.log.dir=/c/logs", "-Djava.library.path=" + DefaultJavaLibraryPath, "-Dstorm.conf.file=", "-cp", cp,
		"-Xmx256m", "-Dlogfile.name=supervisor.log",
		"-DLog4jContextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
		"-Dlog4j.configurationFile=" + filepath.Join(dir, "log4j2", "cluster.xml"), "org.apache.storm.daemon.supervisor"}
	if !slices.Equal(argv, want) {
		t.Fatalf("argv\n got %q\nwant %q", argv, want)
	}
	if _, err := h.DaemonCommand("ui", "", "", nil); err == nil {
		t.Error("unknown daemon accepted")
	}
}

func TestParseMillis(t *testing.T) {
	ts, err := parseMillis([]byte("noise\nSUBMIT_MS=1700000000123\nSUBMITTED_MS=1700000000999\n"), "SUBMIT_MS=")
	if err != nil || ts.UnixMilli() != 1700000000123 {
		t.Fatalf("%v %v", ts, err)
	}
	if _, err := parseMillis([]byte("nothing"), "SUBMIT_MS="); err == nil {
		t.Fatal("want error")
	}
}
