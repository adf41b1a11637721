package stormjars

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Version is the storm-core release whose jars Resolve finds: the release
// whose wire formats Gale speaks.
const Version = "1.0.0"

// ErrNoMaven is returned (wrapped) by Resolve when there is no valid cache
// and no mvn on the PATH.
var ErrNoMaven = errors.New("mvn not found")

// pom is the Maven project whose runtime classpath is storm-core and its
// dependencies. scripts/lib.sh writes the same text.
const pom = `<?xml version="1.0" encoding="UTF-8"?>
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
      <version>` + Version + `</version>
    </dependency>
  </dependencies>
</project>
`

// BaseDir is Gale's cache directory: $GALE_CACHE_DIR (read with getenv),
// else <user cache dir>/gale. It is not created.
func BaseDir(getenv func(string) string) (string, error) {
	if d := getenv("GALE_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for the storm-core classpath: %w", err)
	}
	return filepath.Join(d, "gale"), nil
}

// Resolve returns storm-core's runtime classpath, one jar path per element,
// from the cache under base (see the package comment), running Maven when
// the cache is missing or names a jar that no longer exists. logger may be
// nil. It is safe to call from several processes at once.
func Resolve(ctx context.Context, base string, logger *slog.Logger) ([]string, error) {
	dir := filepath.Join(base, "storm-core-"+Version)
	cacheFile := filepath.Join(dir, "classpath.txt")
	if cp, ok := ReadClasspathFile(cacheFile); ok {
		return cp, nil
	}
	mvn, err := exec.LookPath("mvn")
	if err != nil {
		return nil, fmt.Errorf("storm-core %s client jars: %w", Version, ErrNoMaven)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("storm-core classpath cache: %w", err)
	}
	unlock, err := lockFile(filepath.Join(dir, "lock"))
	if err != nil {
		return nil, fmt.Errorf("storm-core classpath cache: %w", err)
	}
	defer unlock()
	if cp, ok := ReadClasspathFile(cacheFile); ok { // resolved while we waited
		return cp, nil
	}
	pomFile := filepath.Join(dir, "pom.xml")
	if err := os.WriteFile(pomFile, []byte(pom), 0o644); err != nil {
		return nil, fmt.Errorf("storm-core classpath cache: %w", err)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", cacheFile, os.Getpid())
	defer os.Remove(tmp)
	if logger != nil {
		logger.Info("resolving storm-core client classpath with Maven (once)", "version", Version, "cache", dir)
	}
	cmd := exec.CommandContext(ctx, mvn, "-B", "-q", "-Dstyle.color=never", "-f", pomFile, "dependency:build-classpath", "-Dmdep.outputFile="+tmp)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("mvn dependency:build-classpath for storm-core %s: %w\n%s", Version, err, tail(out, 4000))
	}
	cp, ok := ReadClasspathFile(tmp)
	if !ok || !hasStormCore(cp) {
		return nil, fmt.Errorf("mvn dependency:build-classpath for storm-core %s wrote no usable classpath", Version)
	}
	if err := os.Rename(tmp, cacheFile); err != nil {
		return nil, fmt.Errorf("storm-core classpath cache: %w", err)
	}
	return cp, nil
}

// ReadClasspathFile reads a path-list separated classpath file and reports
// whether it is non-empty and every entry exists.
func ReadClasspathFile(path string) ([]string, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	cp := filepath.SplitList(strings.TrimSpace(string(b)))
	if len(cp) == 0 {
		return nil, false
	}
	for _, p := range cp {
		if _, err := os.Stat(p); err != nil {
			return nil, false
		}
	}
	return cp, true
}

func hasStormCore(cp []string) bool {
	for _, p := range cp {
		if filepath.Base(p) == "storm-core-"+Version+".jar" {
			return true
		}
	}
	return false
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
