package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/galeproject/gale/internal/stormjava"
)

// recorderClasses are the classes of conformance/java that go into the
// release's extlib/ (on every Storm JVM's classpath, as storm.py puts
// extlib jars there); the rest form the topology jar for `storm jar`.
var recorderClasses = []string{"gale/conformance/RecordingTransportPlugin", "gale/conformance/Json"}

// Release lays out a directory that storm.py would accept as a Storm
// 1.0.0 release (STORM_DIR):
//
//	lib/       storm-core 1.0.0 and its runtime dependencies (symlinks into ~/.m2)
//	extlib/    gale-rpc-recorder.jar (RecordingTransportPlugin)
//	public/    the Storm UI 1.0.0 front end when one was found (UIPublicDir)
//	log4j2/    cluster.xml: daemons log to ${storm.log.dir}/${logfile.name};
//	           worker.xml: Storm's workers log to workers-artifacts/<id>/<port>/worker.log
//	bin/       empty (STORM_BIN_DIR is on client classpaths)
//
// jars is storm-core's classpath (jar files only), classes the compiled
// conformance/java, uiPublic the UI's public/ directory. It also writes
// the topology jar and returns its path.
func Release(dir string, jars []string, classes, uiPublic string) (topologyJar string, err error) {
	for _, d := range []string{"lib", "extlib", "bin", "log4j2", "logs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return "", err
		}
	}
	for _, j := range jars {
		if !strings.HasSuffix(j, ".jar") {
			continue
		}
		link := filepath.Join(dir, "lib", filepath.Base(j))
		if _, err := os.Lstat(link); err == nil {
			return "", fmt.Errorf("two jars named %s on the storm-core classpath", filepath.Base(j))
		}
		if err := os.Symlink(j, link); err != nil {
			return "", err
		}
	}
	if uiPublic == "" {
		if err := os.MkdirAll(filepath.Join(dir, "public"), 0o755); err != nil {
			return "", err
		}
	} else if err := os.Symlink(uiPublic, filepath.Join(dir, "public")); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "log4j2", "cluster.xml"), []byte(clusterLog4j), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "log4j2", "worker.xml"), []byte(workerLog4j), 0o644); err != nil {
		return "", err
	}
	isRecorder := func(rel string) bool {
		for _, c := range recorderClasses {
			if rel == c+".class" || strings.HasPrefix(rel, c+"$") {
				return true
			}
		}
		return false
	}
	if err := stormjava.WriteJar(filepath.Join(dir, "extlib", "gale-rpc-recorder.jar"), classes, isRecorder); err != nil {
		return "", err
	}
	topologyJar = filepath.Join(filepath.Dir(dir), "gale-conformance-topology.jar")
	notRecorder := func(rel string) bool { return !isRecorder(rel) }
	return topologyJar, stormjava.WriteJar(topologyJar, classes, notRecorder)
}

// clusterLog4j stands in for a release's log4j2/cluster.xml (not in the
// storm-core jar): a file per daemon, as Storm's appender A1 writes.
const clusterLog4j = `<?xml version="1.0" encoding="UTF-8"?>
<configuration monitorInterval="60">
  <appenders>
    <File name="A1" fileName="${sys:storm.log.dir}/${sys:logfile.name}">
      <PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSS} %c{1.} %t [%p] %msg%n"/>
    </File>
  </appenders>
  <loggers>
    <root level="info">
      <appender-ref ref="A1"/>
    </root>
  </loggers>
</configuration>
`

// workerLog4j stands in for a release's log4j2/worker.xml: a Storm
// worker (started by Storm's supervisor with -Dworkers.artifacts,
// -Dstorm.id, -Dworker.port and -Dlogfile.name=worker.log) logs to its
// port's artifacts directory, where Storm's worker.xml puts worker.log.
const workerLog4j = `<?xml version="1.0" encoding="UTF-8"?>
<configuration monitorInterval="60">
  <appenders>
    <File name="A1" fileName="${sys:workers.artifacts}/${sys:storm.id}/${sys:worker.port}/${sys:logfile.name}">
      <PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSS} %c{1.} %t [%p] %msg%n"/>
    </File>
  </appenders>
  <loggers>
    <root level="info">
      <appender-ref ref="A1"/>
    </root>
  </loggers>
</configuration>
`
