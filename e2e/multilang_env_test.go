package e2e

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/stormjava"
)

// What the multilang tests need besides Java: node, ruby, a Python 3 with
// pystorm (a virtualenv the tests build from testdata/multilang/
// requirements.txt with pip, cached), and Storm's storm.js and storm.rb
// from Maven Central. Missing ones skip the tests, or fail them with
// GALE_REQUIRE_MULTILANG=1 (scripts/test.sh sets it and installs them).

const (
	multilangRequireEnv = "GALE_REQUIRE_MULTILANG"
	multilangData       = "testdata/multilang"
)

// multilangUnavailable skips t, or fails it when GALE_REQUIRE_MULTILANG=1.
func multilangUnavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(multilangRequireEnv) == "1" {
		t.Fatalf("%s (%s=1)", msg, multilangRequireEnv)
	}
	t.Skipf("%s; set %s=1 to make this a failure", msg, multilangRequireEnv)
}

// requirePrograms checks that node and ruby (with its json library) run:
// the ShellBolts name them without a path, so the workers find them on
// the PATH.
func requirePrograms(t testing.TB) {
	t.Helper()
	checks := map[string][]string{
		"node": {"node", "-e", "process.exit(0)"},
		"ruby": {"ruby", "-e", `require "json"`},
	}
	for name, argv := range checks {
		if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			multilangUnavailable(t, "%s does not run: %v %s", name, err, out)
		}
	}
}

// galeCacheDir is $GALE_CACHE_DIR, else <user cache dir>/gale, as in
// scripts/lib.sh.
func galeCacheDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("GALE_CACHE_DIR"); d != "" {
		return d
	}
	base, err := os.UserCacheDir()
	if err != nil {
		t.Fatalf("user cache dir: %v", err)
	}
	return filepath.Join(base, "gale")
}

// pystormPython returns the python of a virtualenv holding pystorm and its
// dependencies as testdata/multilang/requirements.txt pins them, building
// it with `python3 -m venv` and pip when it is not in the cache. The
// scripts/lib.sh function ensure_multilang builds the same one.
func pystormPython(t testing.TB) string {
	t.Helper()
	reqFile, err := filepath.Abs(filepath.Join(multilangData, "requirements.txt"))
	if err != nil {
		t.Fatal(err)
	}
	req, err := os.ReadFile(reqFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(req)
	root := galeCacheDir(t)
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	venv := filepath.Join(root, "pystorm-"+hex.EncodeToString(sum[:])[:16])
	python := filepath.Join(venv, "bin", "python")
	usable := func() bool {
		if _, err := os.Stat(filepath.Join(venv, ".gale-ok")); err != nil {
			return false
		}
		return exec.Command(python, "-c", "import pystorm, simplejson, six").Run() == nil
	}
	if usable() {
		return python
	}
	unlock, err := lockPath(venv + ".lock")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if usable() { // built meanwhile by another test binary
		return python
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := os.RemoveAll(venv); err != nil {
		t.Fatal(err)
	}
	steps := [][]string{
		{"python3", "-m", "venv", venv},
		{python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", reqFile},
	}
	for _, argv := range steps {
		if out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput(); err != nil {
			multilangUnavailable(t, "build the pystorm virtualenv: %q: %v\n%s", argv, err, out)
		}
	}
	if err := os.WriteFile(filepath.Join(venv, ".gale-ok"), req, 0o644); err != nil {
		t.Fatal(err)
	}
	if !usable() {
		multilangUnavailable(t, "the virtualenv %s cannot import pystorm", venv)
	}
	return python
}

// lockPath takes an exclusive flock on path (created if missing).
func lockPath(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// stormMultilangFile returns resources/<name> of Storm's
// org.apache.storm:<artifact>:1.0.0 jar from the local Maven repository,
// fetching the jar with `mvn dependency:get` when it is not there.
func stormMultilangFile(t testing.TB, artifact, name string) []byte {
	t.Helper()
	repo := os.Getenv("GALE_M2_REPO")
	if repo == "" {
		home, _ := os.UserHomeDir()
		repo = filepath.Join(home, ".m2", "repository")
	}
	jar := filepath.Join(repo, "org", "apache", "storm", artifact, stormjava.StormVersion, artifact+"-"+stormjava.StormVersion+".jar")
	if _, err := os.Stat(jar); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "mvn", "-q", "-B", "dependency:get",
			"-Dartifact=org.apache.storm:"+artifact+":"+stormjava.StormVersion, "-Dtransitive=false").CombinedOutput()
		if err != nil {
			multilangUnavailable(t, "mvn dependency:get %s: %v\n%s", artifact, err, out)
		}
	}
	zr, err := zip.OpenReader(jar)
	if err != nil {
		multilangUnavailable(t, "open %s: %v", jar, err)
	}
	defer zr.Close()
	f, err := zr.Open("resources/" + name)
	if err != nil {
		t.Fatalf("%s has no resources/%s: %v", jar, name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// multilangJar builds the test topology jar: the classes of
// testdata/multilang/java compiled against storm-core 1.0.0 (classpath
// cp), and under resources/ the scripts of testdata/multilang/resources
// with Storm's storm.js and storm.rb, as a Maven build with the
// multilang-javascript and multilang-ruby dependencies packs them.
func multilangJar(t *testing.T, cp string) string {
	t.Helper()
	classes := stormjava.Compile(t, filepath.Join(multilangData, "java"), cp)
	root := t.TempDir()
	if err := copyTree(classes, root); err != nil {
		t.Fatal(err)
	}
	res := filepath.Join(root, "resources")
	if err := copyTree(filepath.Join(multilangData, "resources"), res); err != nil {
		t.Fatal(err)
	}
	for artifact, name := range map[string]string{"multilang-javascript": "storm.js", "multilang-ruby": "storm.rb"} {
		if err := os.WriteFile(filepath.Join(res, name), stormMultilangFile(t, artifact, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return stormjava.Jar(t, root)
}

// copyTree copies the regular files under src into dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
