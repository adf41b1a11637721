package stormjars

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadClasspathFile(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jar"), filepath.Join(dir, "b.jar")
	if err := os.WriteFile(a, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		content string
		ok      bool
	}{
		{a + "\n", true},
		{a + ":" + b, false}, // b.jar is gone: resolve again
		{"", false},
		{"\n", false},
	} {
		p := filepath.Join(dir, "cp.txt")
		os.WriteFile(p, []byte(tt.content), 0o644)
		if _, ok := ReadClasspathFile(p); ok != tt.ok {
			t.Errorf("ReadClasspathFile(%q) ok = %v, want %v", tt.content, ok, tt.ok)
		}
	}
	if _, ok := ReadClasspathFile(filepath.Join(dir, "missing")); ok {
		t.Error("missing file accepted")
	}
}

func TestBaseDir(t *testing.T) {
	got, err := BaseDir(func(k string) string { return map[string]string{"GALE_CACHE_DIR": "/c"}[k] })
	if err != nil || got != "/c" {
		t.Errorf("BaseDir with GALE_CACHE_DIR = %q, %v; want /c", got, err)
	}
	if got, err := BaseDir(func(string) string { return "" }); err == nil && filepath.Base(got) != "gale" {
		t.Errorf("BaseDir = %q, want <user cache dir>/gale", got)
	}
}

// TestResolveUsesCache: a valid cache is returned without running Maven.
func TestResolveUsesCache(t *testing.T) {
	base := t.TempDir()
	jar := filepath.Join(base, "storm-core-"+Version+".jar")
	cache := filepath.Join(base, "storm-core-"+Version, "classpath.txt")
	os.MkdirAll(filepath.Dir(cache), 0o755)
	if err := os.WriteFile(jar, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cache, []byte(jar+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", "") // no mvn
	cp, err := Resolve(t.Context(), base, nil)
	if err != nil || len(cp) != 1 || cp[0] != jar {
		t.Errorf("Resolve = %q, %v; want [%s]", cp, err, jar)
	}
}
