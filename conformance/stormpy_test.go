package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStormOptions(t *testing.T) {
	tests := []struct {
		opts []string
		want string
	}{
		{nil, "-Dstorm.options="},
		{[]string{"topology.workers=3"}, "-Dstorm.options=topology.workers%3D3"},
		{[]string{`nimbus.seeds=["a","b"]`, "k=a b/c~d,e_f.g-h"},
			"-Dstorm.options=nimbus.seeds%3D%5B%22a%22%2C%22b%22%5D,k%3Da+b%2Fc%7Ed%2Ce_f.g-h"},
		{[]string{"ü=1"}, "-Dstorm.options=%C3%BC%3D1"},
	}
	for _, tt := range tests {
		if got := StormOptions(tt.opts); got != tt.want {
			t.Errorf("StormOptions(%q) = %q, want %q", tt.opts, got, tt.want)
		}
	}
}

// TestClasspath lays out a release and checks get_classpath's order:
// STORM_DIR jars, lib, extlib, (daemons) extlib-daemon, then extrajars.
func TestClasspath(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"top.jar", "README", "lib/b.jar", "lib/a.jar", "lib/notes.txt", "extlib/x.jar", "extlib-daemon/d.jar"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l := NewLauncher("java", dir, "/conf", nil)
	rel := func(cp string) string { return strings.ReplaceAll(cp, dir+"/", "") }
	if got, want := rel(l.Classpath([]string{"/t.jar", "/conf", dir + "/bin"}, false)), "top.jar:lib/a.jar:lib/b.jar:extlib/x.jar:/t.jar:/conf:bin"; got != want {
		t.Errorf("client classpath %q, want %q", got, want)
	}
	if got, want := rel(l.Classpath(nil, true)), "top.jar:lib/a.jar:lib/b.jar:extlib/x.jar:extlib-daemon/d.jar"; got != want {
		t.Errorf("daemon classpath %q, want %q", got, want)
	}
	if l.WithOptions([]string{"a=1"}).cache != l.cache {
		t.Error("WithOptions does not share the confvalue cache")
	}
}
