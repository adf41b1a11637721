package main

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

// StormCoreVersion is the Storm client library `storm jar` puts on the
// classpath: the release whose wire formats Gale speaks.
const StormCoreVersion = "1.0.0"

// clientPom is the Maven project whose runtime classpath is storm-core and
// its dependencies.
const clientPom = `<?xml version="1.0" encoding="UTF-8"?>
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
      <version>` + StormCoreVersion + `</version>
    </dependency>
  </dependencies>
</project>
`

// classpathResolver finds the storm-core client jars.
type classpathResolver struct {
	getenv func(string) string
	logger *slog.Logger
	// cacheDir holds the generated pom and the resolved classpath file;
	// "" means $GALE_CACHE_DIR, else <user cache dir>/gale.
	cacheDir string
}

// stormJars returns the Storm part of the client classpath, first found of:
//  1. explicit (the --classpath flag), verbatim;
//  2. $STORM_CLASSPATH, verbatim;
//  3. a Storm release at $STORM_HOME (jars in it, lib/ and extlib/, as storm.py);
//  4. storm-core 1.0.0 and its runtime dependencies from the local Maven
//     repository, resolved once with `mvn dependency:build-classpath` and cached.
func (r classpathResolver) stormJars(ctx context.Context, explicit string) ([]string, error) {
	if explicit != "" {
		return filepath.SplitList(explicit), nil
	}
	if cp := r.getenv("STORM_CLASSPATH"); cp != "" {
		return filepath.SplitList(cp), nil
	}
	if home := r.getenv("STORM_HOME"); home != "" {
		if lib := jarsIn(filepath.Join(home, "lib")); len(lib) > 0 {
			jars := jarsIn(home)
			jars = append(jars, lib...)
			return append(jars, jarsIn(filepath.Join(home, "extlib"))...), nil
		}
	}
	return r.maven(ctx)
}

// clientClasspath is storm.py's get_classpath(extrajars, daemon=False): the
// Storm jars, the jars of each $STORM_EXT_CLASSPATH entry, then extra.
func (r classpathResolver) clientClasspath(ctx context.Context, explicit string, extra ...string) (string, error) {
	cp, err := r.stormJars(ctx, explicit)
	if err != nil {
		return "", err
	}
	if ext := r.getenv("STORM_EXT_CLASSPATH"); ext != "" {
		for _, p := range filepath.SplitList(ext) {
			cp = append(cp, jarsIn(p)...)
		}
	}
	cp = append(cp, extra...)
	return strings.Join(cp, string(os.PathListSeparator)), nil
}

func (r classpathResolver) dir() (string, error) {
	if r.cacheDir != "" {
		return r.cacheDir, nil
	}
	if d := r.getenv("GALE_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for the storm-core classpath: %w", err)
	}
	return filepath.Join(d, "gale"), nil
}

// maven resolves storm-core's runtime classpath, reusing the cached list
// while every jar on it still exists.
func (r classpathResolver) maven(ctx context.Context) ([]string, error) {
	base, err := r.dir()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(base, "storm-core-"+StormCoreVersion)
	cacheFile := filepath.Join(dir, "classpath.txt")
	if cp, ok := readClasspathFile(cacheFile); ok {
		return cp, nil
	}
	mvn, err := exec.LookPath("mvn")
	if err != nil {
		return nil, errors.New("cannot find the storm-core " + StormCoreVersion +
			" client jars: set STORM_CLASSPATH (or --classpath) to them, point STORM_HOME at a Storm release, or install Maven (mvn)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("storm-core classpath cache: %w", err)
	}
	pom := filepath.Join(dir, "pom.xml")
	if err := os.WriteFile(pom, []byte(clientPom), 0o644); err != nil {
		return nil, fmt.Errorf("storm-core classpath cache: %w", err)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", cacheFile, os.Getpid())
	defer os.Remove(tmp)
	r.logger.Info("resolving storm-core client classpath with Maven (once)", "version", StormCoreVersion, "cache", dir)
	cmd := exec.CommandContext(ctx, mvn, "-B", "-q", "-Dstyle.color=never", "-f", pom, "dependency:build-classpath", "-Dmdep.outputFile="+tmp)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("mvn dependency:build-classpath for storm-core %s: %w\n%s", StormCoreVersion, err, out)
	}
	cp, ok := readClasspathFile(tmp)
	if !ok {
		return nil, fmt.Errorf("mvn dependency:build-classpath for storm-core %s wrote no usable classpath", StormCoreVersion)
	}
	if err := os.Rename(tmp, cacheFile); err != nil {
		return nil, fmt.Errorf("storm-core classpath cache: %w", err)
	}
	return cp, nil
}

// readClasspathFile reads a classpath list and reports whether it is
// non-empty and every entry exists.
func readClasspathFile(path string) ([]string, bool) {
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
