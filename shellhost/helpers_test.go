package shellhost

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/compat/multilang"
)

// requireEnv turns a missing interpreter or multilang library from a skip
// into a failure.
const requireEnv = "GALE_REQUIRE_MULTILANG"

func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(requireEnv) == "1" {
		t.Fatalf("%s (%s=1)", msg, requireEnv)
	}
	t.Skipf("%s; set %s=1 to make this a failure", msg, requireEnv)
}

// lang is a multilang library with the interpreter that runs it.
type lang struct {
	name     string // python, javascript, ruby
	ext      string // py, js, rb
	artifact string // org.apache.storm:<artifact>:1.0.0
}

var (
	pythonLang = lang{"python", "py", "multilang-python"}
	jsLang     = lang{"javascript", "js", "multilang-javascript"}
	rubyLang   = lang{"ruby", "rb", "multilang-ruby"}
)

// langs lists Storm's multilang libraries the tests run.
func langs() []lang { return []lang{pythonLang, jsLang, rubyLang} }

// interpreter finds the program for l: Storm 1.0.0's storm.py is Python 2.
func interpreter(t testing.TB, l lang) string {
	t.Helper()
	switch l.ext {
	case "py":
		cands := []string{"python2", "python2.7"}
		home, _ := os.UserHomeDir()
		root := os.Getenv("PYENV_ROOT")
		if root == "" {
			root = filepath.Join(home, ".pyenv")
		}
		found, _ := filepath.Glob(filepath.Join(root, "versions", "2.*", "bin", "python2"))
		sort.Sort(sort.Reverse(sort.StringSlice(found)))
		cands = append(cands, found...)
		for _, c := range cands {
			p, err := exec.LookPath(c)
			if err != nil {
				continue
			}
			// pyenv shims exist without the version behind them.
			if exec.Command(p, "-c", "import sys; assert sys.version_info[0] == 2").Run() == nil {
				return p
			}
		}
		unavailable(t, "no working python2 for storm.py (Storm 1.0.0's multilang-python is Python 2)")
	case "js":
		if p, err := exec.LookPath("node"); err == nil {
			return p
		}
		unavailable(t, "node not found")
	case "rb":
		if p, err := exec.LookPath("ruby"); err == nil {
			if exec.Command(p, "-e", `require "json"`).Run() == nil {
				return p
			}
		}
		unavailable(t, "ruby (with the json library) not found")
	}
	return ""
}

// stormLibrary returns resources/storm.<ext> from Storm's
// org.apache.storm:multilang-<lang>:1.0.0 jar, fetching it with mvn into the
// local repository if it is not there.
func stormLibrary(t testing.TB, l lang) []byte {
	t.Helper()
	home, _ := os.UserHomeDir()
	repo := os.Getenv("GALE_M2_REPO")
	if repo == "" {
		repo = filepath.Join(home, ".m2", "repository")
	}
	jar := filepath.Join(repo, "org", "apache", "storm", l.artifact, "1.0.0", l.artifact+"-1.0.0.jar")
	if _, err := os.Stat(jar); err != nil {
		mvn, lerr := exec.LookPath("mvn")
		if lerr != nil {
			unavailable(t, "%s not in %s and no mvn to fetch it", l.artifact, repo)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, mvn, "-q", "-B", "dependency:get",
			"-Dartifact=org.apache.storm:"+l.artifact+":1.0.0", "-Dtransitive=false").CombinedOutput()
		if err != nil {
			unavailable(t, "mvn dependency:get %s: %v\n%s", l.artifact, err, out)
		}
	}
	zr, err := zip.OpenReader(jar)
	if err != nil {
		unavailable(t, "open %s: %v", jar, err)
	}
	defer zr.Close()
	f, err := zr.Open("resources/storm." + l.ext)
	if err != nil {
		t.Fatalf("%s has no resources/storm.%s: %v", jar, l.ext, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// resources lays out a resources directory as the supervisor extracts it:
// the multilang library and the component script.
func resources(t testing.TB, l lang, script string) string {
	t.Helper()
	return resourcesFrom(t, l, filepath.Join("testdata", script))
}

// perfRelay is the perf case's relay bolt (one anchored emit and one ack per input).
const perfRelay = "../perf/java/resources/resources/relay.js"

// resourcesFrom is resources for a script outside testdata.
func resourcesFrom(t testing.TB, l lang, path string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "storm."+l.ext), stormLibrary(t, l), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(path)), src, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// logBuffer collects a test's log output safely from any goroutine and
// prints it if the test fails.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func testLogger(t *testing.T) (*slog.Logger, *logBuffer) {
	lb := &logBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("host log:\n%s", lb.String())
		}
	})
	return slog.New(slog.NewTextHandler(lb, &slog.HandlerOptions{Level: slog.LevelDebug - 4})), lb
}

// testContext is the context of task 7 of component "comp".
func testContext() *multilang.Context {
	return &multilang.Context{
		TaskToComponent:    map[int32]string{7: "comp", 8: "comp", 9: "other"},
		TaskID:             7,
		ComponentID:        "comp",
		Streams:            []string{"default"},
		StreamOutputFields: map[string][]string{"default": {"word"}},
	}
}

func testConfig(t *testing.T, command []string, dir string) Config {
	logger, _ := testLogger(t)
	return Config{
		Command:           command,
		Dir:               dir,
		Env:               map[string]string{"GALE_TEST_ENV": "from-env"},
		Conf:              conf.Conf{"topology.name": "shell-test", conf.TopologySubprocessTimeoutSecs: int64(10)},
		Context:           testContext(),
		PidDir:            filepath.Join(t.TempDir(), "pids"),
		HeartbeatInterval: 100 * time.Millisecond,
		KillGrace:         time.Second,
		Logger:            logger,
	}
}

// recorder is a collector that records every call.
type recorder struct {
	mu      sync.Mutex
	emits   []Emission
	acks    []any
	fails   []any
	errs    []string
	metrics []string
	// emitErr, if set, is returned by Emit for that stream.
	emitErr map[string]error
}

func (r *recorder) Emit(e Emission) ([]int32, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.emitErr[e.Stream]; err != nil {
		return nil, err
	}
	r.emits = append(r.emits, e)
	if e.DirectTask >= 0 {
		return []int32{e.DirectTask}, nil
	}
	return []int32{8, 9}, nil // every non-direct emit goes to tasks 8 and 9
}

func (r *recorder) Ack(ref any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.acks = append(r.acks, ref)
	return nil
}

func (r *recorder) Fail(ref any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fails = append(r.fails, ref)
	return nil
}

func (r *recorder) ReportError(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, msg)
}

func (r *recorder) Metrics(name string, params any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.metrics = append(r.metrics, fmt.Sprintf("%s=%v", name, params))
	return nil
}

// checkFor polls cond until it holds or the deadline passes, failing with
// the last reason cond gave.
func checkFor(t *testing.T, d time.Duration, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %v", d, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// snapshot returns copies of r's records.
func (r *recorder) snapshot() (emits []Emission, acks, fails []any, errs, metrics []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Emission(nil), r.emits...), append([]any(nil), r.acks...), append([]any(nil), r.fails...),
		append([]string(nil), r.errs...), append([]string(nil), r.metrics...)
}

func errorsContain(errs []string, sub string) bool {
	for _, e := range errs {
		if strings.Contains(e, sub) {
			return true
		}
	}
	return false
}

// errAny is what recorder.Emit returns for a stream in emitErr.
var errAny = errors.New("any")

// postedRecorder is a Poster around a recorder: posted functions run on a
// goroutine of its own, as the worker's executor runs them, and every
// collector call made outside them is counted as a violation.
type postedRecorder struct {
	*recorder
	calls   chan func()
	stop    chan struct{}
	inPost  atomic.Bool
	outside atomic.Int32
}

// collectorFor returns rec, or rec behind a postedRecorder that the test
// checks for calls outside posted functions.
func collectorFor(t *testing.T, rec *recorder, posted bool) BoltCollector {
	if !posted {
		return rec
	}
	p := &postedRecorder{recorder: rec, calls: make(chan func()), stop: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case f := <-p.calls:
				p.inPost.Store(true)
				f()
				p.inPost.Store(false)
			case <-p.stop:
				return
			}
		}
	}()
	t.Cleanup(func() {
		close(p.stop)
		<-done
		if n := p.outside.Load(); n > 0 {
			t.Errorf("%d collector calls outside posted functions", n)
		}
	})
	return p
}

func (p *postedRecorder) Post(f func()) error {
	select {
	case p.calls <- f:
		return nil
	case <-p.stop:
		return errors.New("collector stopped")
	}
}

func (p *postedRecorder) check() {
	if !p.inPost.Load() {
		p.outside.Add(1)
	}
}

func (p *postedRecorder) Emit(e Emission) ([]int32, error) {
	p.check()
	e.Anchors = slices.Clone(e.Anchors) // the host reuses their storage
	return p.recorder.Emit(e)
}

func (p *postedRecorder) Ack(ref any) error {
	p.check()
	return p.recorder.Ack(ref)
}

func (p *postedRecorder) Fail(ref any) error {
	p.check()
	return p.recorder.Fail(ref)
}

func (p *postedRecorder) ReportError(msg string) {
	p.check()
	p.recorder.ReportError(msg)
}

func (p *postedRecorder) Metrics(name string, params any) error {
	p.check()
	return p.recorder.Metrics(name, params)
}
