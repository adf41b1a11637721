package stormjava

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/stormjars"
)

// StormVersion is the storm-core release the tests run against.
const StormVersion = stormjars.Version

// RequireEnv names the environment variable that turns a missing Java
// toolchain (or an unresolvable Maven classpath) from a skip into a failure.
const RequireEnv = "GALE_REQUIRE_JAVA"

// JVMFlags returns the flags Command passes to every JVM, before the
// classpath. None is needed for correctness on Java 17 (see the package
// comment); they only shorten the startup of short-lived programs.
func JVMFlags() []string {
	return []string{"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"}
}

// unavailable skips t, or fails it when RequireEnv is "1".
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s (%s=1)", msg, RequireEnv)
	}
	t.Skipf("%s; set %s=1 to make this a failure", msg, RequireEnv)
}

// Require skips (or, with GALE_REQUIRE_JAVA=1, fails) t unless java, javac
// and mvn are on the PATH.
func Require(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"java", "javac", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			unavailable(t, "%s not found: %v", tool, err)
		}
	}
}

// cacheDir returns (and creates) the directory holding the harness's own
// caches (compiled classes, the logging configuration):
// <stormjars.BaseDir>/stormjava.
func cacheDir() (string, error) {
	base, err := stormjars.BaseDir(os.Getenv)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(base, "stormjava")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create cache dir: %w", err)
	}
	return dir, nil
}

func hashOf(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// ResolveTimeout bounds the first, downloading, Maven run.
const ResolveTimeout = 10 * time.Minute

// Classpath returns the runtime classpath of storm-core 1.0.0 (path-list
// separated), preceded by a directory with the test logging configuration.
// The first call on a machine runs Maven; later calls read the cache.
func Classpath(t testing.TB) string {
	t.Helper()
	Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), ResolveTimeout)
	defer cancel()
	cp, err := classpath(ctx)
	if err != nil {
		unavailable(t, "resolve storm-core %s with mvn: %v", StormVersion, err)
	}
	return cp
}

func classpath(ctx context.Context) (string, error) {
	root, err := cacheDir()
	if err != nil {
		return "", err
	}
	logDir := filepath.Join(root, "log4j")
	if err := writeIfChanged(filepath.Join(logDir, "log4j2-test.xml"), []byte(log4jXML)); err != nil {
		return "", err
	}
	base, err := stormjars.BaseDir(os.Getenv)
	if err != nil {
		return "", err
	}
	jars, err := stormjars.Resolve(ctx, base, nil)
	if err != nil {
		return "", err
	}
	return strings.Join(append([]string{logDir}, jars...), string(os.PathListSeparator)), nil
}

// writeIfChanged replaces path with data unless it already holds it; the
// rename keeps concurrent test binaries from reading a partial file.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// Compile compiles every .java file under srcDir against classpath and
// returns the directory of the classes. Results are cached under the cache
// directory by the content of the sources, the classpath and the javac
// binary, so a test binary (and every later run with unchanged sources)
// compiles once; stale entries are never read again and may be deleted.
func Compile(t testing.TB, srcDir, classpath string) string {
	t.Helper()
	Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir, err := compile(ctx, srcDir, classpath)
	if err != nil {
		t.Fatalf("compile %s: %v", srcDir, err)
	}
	return dir
}

func compile(ctx context.Context, srcDir, classpath string) (string, error) {
	var files []string
	err := filepath.WalkDir(srcDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".java") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	if len(files) == 0 {
		return "", errors.New("no .java files")
	}
	compiler, err := javacIdentity()
	if err != nil {
		return "", err
	}
	parts := [][]byte{[]byte(compiler), []byte(classpath)}
	for _, f := range files { // WalkDir is lexical: the order is stable
		src, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(srcDir, f)
		parts = append(parts, []byte(rel), src)
	}
	root, err := cacheDir()
	if err != nil {
		return "", err
	}
	out := filepath.Join(root, "classes-"+hashOf(parts...))
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	tmp, err := os.MkdirTemp(root, "javac-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // no-op after a successful rename
	args := append([]string{"-nowarn", "-encoding", "UTF-8", "-cp", classpath, "-d", tmp}, files...)
	if b, err := exec.CommandContext(ctx, "javac", args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("javac: %w\n%s", err, tail(b, 8000))
	}
	if err := os.Rename(tmp, out); err != nil {
		// Another process compiled the same sources first.
		if _, serr := os.Stat(out); serr == nil {
			return out, nil
		}
		return "", err
	}
	return out, nil
}

// javacIdentity names the javac that would run: its resolved path (which
// names the JDK) with size and modification time.
func javacIdentity() (string, error) {
	p, err := exec.LookPath("javac")
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	fi, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %d %d", p, fi.Size(), fi.ModTime().UnixNano()), nil
}

// Command returns a java command that runs main with the given classpath,
// after the flags of JVMFlags; args are main's arguments.
func Command(ctx context.Context, classpath, main string, args ...string) *exec.Cmd {
	return CommandWithProps(ctx, classpath, nil, main, args...)
}

// CommandWithProps is Command with JVM system properties, each given as
// "key=value" and passed as -Dkey=value in order.
func CommandWithProps(ctx context.Context, classpath string, props []string, main string, args ...string) *exec.Cmd {
	argv := JVMFlags()
	for _, p := range props {
		argv = append(argv, "-D"+p)
	}
	argv = append(argv, "-cp", classpath, main)
	argv = append(argv, args...)
	return exec.CommandContext(ctx, "java", argv...)
}

// Run runs cmd (from Command) and returns its standard output. A non-zero
// exit fails the test, reporting the tail of both streams; standard error
// of a successful run is logged when the test runs verbose.
func Run(t testing.TB, cmd *exec.Cmd) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("java %s: %v\nstdout:\n%s\nstderr:\n%s", mainAndArgs(cmd.Args), err,
			tail(stdout.Bytes(), 4000), tail(stderr.Bytes(), 8000))
	}
	if testing.Verbose() && stderr.Len() > 0 {
		t.Logf("java stderr:\n%s", tail(stderr.Bytes(), 4000))
	}
	return stdout.Bytes()
}

// mainAndArgs drops the JVM flags and classpath from a java argv for
// messages.
func mainAndArgs(argv []string) string {
	for i, a := range argv {
		if a == "-cp" && i+2 <= len(argv)-1 {
			return strings.Join(argv[i+2:], " ")
		}
	}
	return strings.Join(argv, " ")
}
