package stormhome

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Version is the Storm release the reference side runs.
const Version = "1.0.0"

// WorkerChildopts replaces defaults.yaml's worker.childopts: the same heap and heap-dump
// settings, with Java 8's GC-logging flags (rejected by Java 9+) replaced by -Xlog. The
// worker's working directory is <storm.local.dir>/workers/<id>, where "artifacts" links to its
// log directory, as for the defaults.
const WorkerChildopts = "-Xmx%HEAP-MEM%m -Xlog:gc*:file=artifacts/gc.log:time,uptime:filecount=10,filesize=1M " +
	"-XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=artifacts/heapdump"

// Home is an assembled Storm installation.
type Home struct {
	Dir     string // STORM_HOME: lib/, log4j2/, conf/
	StormJS string // storm.js of org.apache.storm:multilang-javascript
	StormPy string // storm.py of org.apache.storm:multilang-python (Python 2)
	Java    string // $JAVA_HOME/bin/java or java, as storm.py picks it
}

// DefaultCacheDir is <user cache>/gale/perf/storm-<Version>.
func DefaultCacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("stormhome: %w", err)
	}
	return filepath.Join(base, "gale", "perf", "storm-"+Version), nil
}

const pom = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.galeproject.perf</groupId>
  <artifactId>storm-home</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.storm</groupId>
      <artifactId>storm-core</artifactId>
      <version>` + Version + `</version>
    </dependency>
    <dependency>
      <groupId>org.apache.storm</groupId>
      <artifactId>multilang-javascript</artifactId>
      <version>` + Version + `</version>
    </dependency>
    <dependency>
      <groupId>org.apache.storm</groupId>
      <artifactId>multilang-python</artifactId>
      <version>` + Version + `</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>2.8</version>
        <configuration><includeScope>runtime</includeScope></configuration>
      </plugin>
    </plugins>
  </build>
</project>
`

// Assemble builds (or reuses) the installation in dir. The first run resolves the jars with
// mvn (from Maven Central into ~/.m2); later runs only check the files.
func Assemble(ctx context.Context, dir string, logger *slog.Logger) (*Home, error) {
	h := &Home{Dir: dir, StormJS: filepath.Join(dir, "multilang", "resources", "storm.js"),
		StormPy: filepath.Join(dir, "multilang", "resources", "storm.py"), Java: javaCommand()}
	for _, d := range []string{"lib", "log4j2", "conf", "multilang/resources", "mvn"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, fmt.Errorf("stormhome: %w", err)
		}
	}
	for name, text := range map[string]string{"cluster.xml": clusterXML, "worker.xml": workerXML} {
		if err := writeIfChanged(filepath.Join(dir, "log4j2", name), []byte(text)); err != nil {
			return nil, err
		}
	}
	cp, err := resolve(ctx, filepath.Join(dir, "mvn"), logger)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	found := map[string]bool{}
	for _, jar := range cp {
		base := filepath.Base(jar)
		// The multilang jars only carry the scripts: storm.js and storm.py.
		if lang, dst, ok := multilangScript(h, base); ok {
			if err := extractFile(jar, "resources/"+filepath.Base(dst), dst); err != nil {
				return nil, err
			}
			found[lang] = true
			continue
		}
		want[base] = true
		dst := filepath.Join(dir, "lib", base)
		if _, err := os.Stat(dst); err == nil {
			continue
		}
		if err := copyFile(jar, dst); err != nil {
			return nil, err
		}
	}
	for _, lang := range []string{"javascript", "python"} {
		if !found[lang] {
			return nil, fmt.Errorf("stormhome: multilang-%s-%s is not on mvn's classpath", lang, Version)
		}
	}
	// A lib/ left from another dependency set would put two versions on the classpath.
	ents, err := os.ReadDir(filepath.Join(dir, "lib"))
	if err != nil {
		return nil, fmt.Errorf("stormhome: %w", err)
	}
	for _, e := range ents {
		if !want[e.Name()] {
			if err := os.Remove(filepath.Join(dir, "lib", e.Name())); err != nil {
				return nil, fmt.Errorf("stormhome: %w", err)
			}
		}
	}
	return h, nil
}

// multilangScript tells whether the jar named base is one of Storm's multilang
// jars, and where its script goes.
func multilangScript(h *Home, base string) (lang, dst string, ok bool) {
	switch {
	case strings.HasPrefix(base, "multilang-javascript-"):
		return "javascript", h.StormJS, true
	case strings.HasPrefix(base, "multilang-python-"):
		return "python", h.StormPy, true
	}
	return "", "", false
}

// resolve returns the runtime classpath of the pom, from cache or by running mvn.
func resolve(ctx context.Context, dir string, logger *slog.Logger) ([]string, error) {
	sum := sha256.Sum256([]byte(pom))
	cpFile := filepath.Join(dir, "classpath-"+hex.EncodeToString(sum[:8])+".txt")
	if b, err := os.ReadFile(cpFile); err == nil {
		if jars := filepath.SplitList(strings.TrimSpace(string(b))); allExist(jars) {
			return jars, nil
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "pom.xml"), []byte(pom), 0o644); err != nil {
		return nil, fmt.Errorf("stormhome: %w", err)
	}
	logger.Info("resolving storm-core and the multilang jars with mvn (first run downloads from Maven Central)", "version", Version)
	tmp := cpFile + ".tmp"
	cmd := exec.CommandContext(ctx, "mvn", "-q", "-B", "-f", filepath.Join(dir, "pom.xml"),
		"dependency:build-classpath", "-Dmdep.outputFile="+tmp)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("stormhome: mvn dependency:build-classpath: %w\n%s", err, tail(out, 3000))
	}
	b, err := os.ReadFile(tmp)
	if err != nil {
		return nil, fmt.Errorf("stormhome: mvn wrote no classpath: %w", err)
	}
	jars := filepath.SplitList(strings.TrimSpace(string(b)))
	if !allExist(jars) || !strings.Contains(string(b), "storm-core-"+Version+".jar") {
		return nil, fmt.Errorf("stormhome: unexpected classpath from mvn: %q", b)
	}
	if err := os.Rename(tmp, cpFile); err != nil {
		return nil, fmt.Errorf("stormhome: %w", err)
	}
	return jars, nil
}

// LibJars lists <Dir>/lib/*.jar, sorted.
func (h *Home) LibJars() ([]string, error) {
	jars, err := filepath.Glob(filepath.Join(h.Dir, "lib", "*.jar"))
	if err != nil {
		return nil, err
	}
	sort.Strings(jars)
	return jars, nil
}

// Classpath is storm.py's get_classpath for a STORM_HOME without extlib: the lib jars, then
// extra entries.
func (h *Home) Classpath(extra ...string) (string, error) {
	jars, err := h.LibJars()
	if err != nil {
		return "", err
	}
	if len(jars) == 0 {
		return "", fmt.Errorf("stormhome: no jars in %s/lib", h.Dir)
	}
	return strings.Join(append(jars, extra...), string(os.PathListSeparator)), nil
}

func javaCommand() string {
	if jh := os.Getenv("JAVA_HOME"); jh != "" {
		return filepath.Join(jh, "bin", "java")
	}
	return "java"
}

func allExist(paths []string) bool {
	if len(paths) == 0 {
		return false
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}

func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("stormhome: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("stormhome: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("stormhome: %w", err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("stormhome: %w", err)
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("stormhome: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("stormhome: copy %s: %w", src, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("stormhome: %w", err)
	}
	return os.Rename(tmp, dst)
}

func extractFile(jar, name, dst string) error {
	zr, err := zip.OpenReader(jar)
	if err != nil {
		return fmt.Errorf("stormhome: %w", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("stormhome: %w", err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		if err != nil {
			return fmt.Errorf("stormhome: read %s: %w", name, err)
		}
		return writeIfChanged(dst, b)
	}
	return fmt.Errorf("stormhome: %s has no %s", jar, name)
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
