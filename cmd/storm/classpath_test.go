package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/galeproject/gale/internal/stormjars"
	"github.com/galeproject/gale/internal/stormjava"
)

func touch(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStormJarsPrecedence(t *testing.T) {
	release := t.TempDir() // a Storm release layout
	touch(t, filepath.Join(release, "lib", "storm-core-1.0.0.jar"), filepath.Join(release, "extlib", "x.jar"),
		filepath.Join(release, "lib", "README"))
	cache := t.TempDir()
	cached := filepath.Join(cache, "storm-core-1.0.0", "classpath.txt")
	m2 := t.TempDir()
	touch(t, filepath.Join(m2, "storm-core-1.0.0.jar"), filepath.Join(m2, "clojure-1.7.0.jar"), cached)
	if err := os.WriteFile(cached, []byte(filepath.Join(m2, "storm-core-1.0.0.jar")+":"+filepath.Join(m2, "clojure-1.7.0.jar")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		explicit string
		env      map[string]string
		want     []string
	}{
		{"flag wins", "/a.jar:/b", map[string]string{"STORM_CLASSPATH": "/c.jar", "STORM_HOME": release}, []string{"/a.jar", "/b"}},
		{"STORM_CLASSPATH", "", map[string]string{"STORM_CLASSPATH": "/c.jar:/d", "STORM_HOME": release}, []string{"/c.jar", "/d"}},
		{"release at STORM_HOME", "", map[string]string{"STORM_HOME": release},
			[]string{filepath.Join(release, "lib", "storm-core-1.0.0.jar"), filepath.Join(release, "extlib", "x.jar")}},
		{"STORM_HOME without lib falls through to the Maven cache", "", map[string]string{"STORM_HOME": m2},
			[]string{filepath.Join(m2, "storm-core-1.0.0.jar"), filepath.Join(m2, "clojure-1.7.0.jar")}},
		{"Maven cache", "", nil, []string{filepath.Join(m2, "storm-core-1.0.0.jar"), filepath.Join(m2, "clojure-1.7.0.jar")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := classpathResolver{getenv: func(k string) string { return tt.env[k] }, logger: slog.New(slog.DiscardHandler), cacheDir: cache}
			got, err := r.stormJars(context.Background(), tt.explicit)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestMavenResolve resolves storm-core 1.0.0's runtime classpath with the
// real mvn, replacing a stale cache (one that names a missing jar).
func TestMavenResolve(t *testing.T) {
	stormjava.Require(t)
	stormjava.Classpath(t) // skips, or fails under GALE_REQUIRE_JAVA=1, when Maven cannot resolve
	cache := t.TempDir()
	cacheFile := filepath.Join(cache, "storm-core-1.0.0", "classpath.txt")
	touch(t, cacheFile)
	os.WriteFile(cacheFile, []byte("/nonexistent/storm-core-1.0.0.jar"), 0o644)
	r := classpathResolver{getenv: func(string) string { return "" }, logger: slog.New(slog.DiscardHandler), cacheDir: cache}
	cp, err := r.maven(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(cp, ":")
	for _, jar := range []string{"storm-core-1.0.0.jar", "clojure-1.7.0.jar", "kryo-3.0.3.jar", "log4j-core-2.1.jar"} {
		if !strings.Contains(joined, "/"+jar) {
			t.Errorf("classpath lacks %s: %s", jar, joined)
		}
	}
	if got, ok := stormjars.ReadClasspathFile(cacheFile); !ok || !reflect.DeepEqual(got, cp) {
		t.Errorf("cache file holds %q (ok=%v), want %q", got, ok, cp)
	}
	if _, err := os.Stat(filepath.Join(cache, "storm-core-1.0.0", "pom.xml")); err != nil {
		t.Errorf("generated pom not kept: %v", err)
	}
}
