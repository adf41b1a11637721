package worker

import (
	"archive/zip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
)

// python2 finds a Python 2 for Storm 1.0.0's storm.py, or skips.
func python2(t *testing.T) string {
	t.Helper()
	cands := []string{"python2", "python2.7"}
	home, _ := os.UserHomeDir()
	found, _ := filepath.Glob(filepath.Join(home, ".pyenv", "versions", "2.*", "bin", "python2"))
	sort.Sort(sort.Reverse(sort.StringSlice(found)))
	for _, c := range append(cands, found...) {
		p, err := exec.LookPath(c)
		if err == nil && exec.Command(p, "-c", "import sys; assert sys.version_info[0] == 2").Run() == nil {
			return p
		}
	}
	skipMultilang(t, "no Python 2 for storm.py")
	return ""
}

// skipMultilang skips, or fails when GALE_REQUIRE_MULTILANG=1 (as package shellhost's tests do).
func skipMultilang(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("GALE_REQUIRE_MULTILANG") == "1" {
		t.Fatalf(format+" (GALE_REQUIRE_MULTILANG=1)", args...)
	}
	t.Skipf(format, args...)
}

// stormPy returns resources/storm.py of org.apache.storm:multilang-python:1.0.0 from the local
// Maven repository, or skips.
func stormPy(t *testing.T) []byte {
	t.Helper()
	home, _ := os.UserHomeDir()
	jar := filepath.Join(home, ".m2", "repository", "org", "apache", "storm", "multilang-python", "1.0.0", "multilang-python-1.0.0.jar")
	zr, err := zip.OpenReader(jar)
	if err != nil {
		skipMultilang(t, "multilang-python 1.0.0 not in the local Maven repository: %v", err)
	}
	defer zr.Close()
	f, err := zr.Open("resources/storm.py")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const splitPy = `import storm

class SplitBolt(storm.BasicBolt):
    def process(self, tup):
        for word in tup.values[1].split(" "):
            storm.emit([word])

SplitBolt().run()
`

const numbersPy = `import storm

class NumberSpout(storm.Spout):
    def initialize(self, conf, context):
        self.next = 0
        self.replay = []

    def nextTuple(self):
        if self.replay:
            n = self.replay.pop()
        elif self.next < 60:
            n = self.next
            self.next += 1
        else:
            return
        storm.emit([n, "w%d x%d y%d w%d" % (n % 7, n % 11, n % 3, n % 5)], id=n)

    def fail(self, id):
        self.replay.append(id)

NumberSpout().run()
`

// TestMultilangWordCount runs split as a ShellComponent (python + Storm's storm.py) between Go
// components, then the sentence source as a shell spout too.
func TestMultilangWordCount(t *testing.T) {
	py := python2(t)
	lib := stormPy(t)
	for _, shellSpout := range []bool{false, true} {
		name := "bolt"
		if shellSpout {
			name = "spout and bolt"
		}
		t.Run(name, func(t *testing.T) {
			l := newLedger(200)
			if shellSpout {
				l = newLedger(60)
			}
			b := wordCount(t, l, "", nil)
			b.top.Bolts["split"].BoltObject = &stormthrift.ComponentObject{Shell: &stormthrift.ShellComponent{ExecutionCommand: py, Script: "split.py"}}
			if shellSpout {
				b.top.Spouts["spout"].SpoutObject = &stormthrift.ComponentObject{Shell: &stormthrift.ShellComponent{ExecutionCommand: py, Script: "numbers.py"}}
				ph := int32(1)
				b.top.Spouts["spout"].Common.ParallelismHint = &ph
			}
			c := newTestCluster(t, newMemState(t), b.app, b.top, conf.Conf{conf.TopologyAckerExecutors: int64(1)}, 2)
			res := filepath.Join(c.workerConfig(0).CodeDir, ResourcesDir)
			for f, body := range map[string][]byte{"storm.py": lib, "split.py": []byte(splitPy), "numbers.py": []byte(numbersPy)} {
				if err := os.WriteFile(filepath.Join(res, f), body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			c.startAll()
			if !shellSpout {
				checkFor(t, 30*time.Second, l.allAcked)
			}
			checkFor(t, 30*time.Second, func() error {
				if got, want := l.snapshotCounts(), expectedCounts(l.n); !mapsEqual(got, want) {
					return errorf("counts %v, want %v", got, want)
				}
				return nil
			})
			// The subprocesses registered their pids for the supervisor.
			pids, _ := os.ReadDir(filepath.Join(c.dir, "workers", "w-0", "pids"))
			if len(pids) < 2 {
				t.Errorf("pid files %v: want the worker's and the subprocesses'", pids)
			}
		})
	}
}

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

var _ storm.Spout = (*shellSpout)(nil)

// TestBuiltinComponents runs Storm's TestWordSpout and TestWordCounter (java_object) natively.
func TestBuiltinComponents(t *testing.T) {
	r := newRecorder()
	app := storm.NewApp()
	app.RegisterBolt("test.record", func() storm.Bolt { return &recordBolt{r: r} })
	b := newTopoBuilder(t, app)
	javaObj := func(class string) *stormthrift.ComponentObject {
		return &stormthrift.ComponentObject{JavaObject: &stormthrift.JavaObject{FullClassName: class, ArgsList: []*stormthrift.JavaObjectArg{}}}
	}
	one := int32(1)
	b.top.Spouts["words"] = &stormthrift.SpoutSpec{SpoutObject: javaObj("org.apache.storm.testing.TestWordSpout"), Common: &stormthrift.ComponentCommon{
		Inputs:          map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{},
		Streams:         map[string]*stormthrift.StreamInfo{"default": {OutputFields: []string{"word"}}},
		ParallelismHint: &one,
	}}
	b.top.Bolts["counter"] = &stormthrift.Bolt{BoltObject: javaObj("org.apache.storm.testing.TestWordCounter"), Common: &stormthrift.ComponentCommon{
		Inputs:          map[*stormthrift.GlobalStreamId]*stormthrift.Grouping{{ComponentId: "words", StreamId: "default"}: {Fields: []string{"word"}}},
		Streams:         map[string]*stormthrift.StreamInfo{"default": {OutputFields: []string{"word", "count"}}},
		ParallelismHint: &one,
	}}
	b.bolt("sink", "test.record", 1, nil, shuffle("counter"))
	c := newTestCluster(t, newMemState(t), app, b.top, nil, 1)
	c.startAll()
	checkFor(t, 20*time.Second, func() error {
		if n := r.total("sink"); n < 5 {
			return errorf("%d counts so far", n)
		}
		return nil
	})
	for _, vs := range r.get("sink") {
		for _, v := range vs {
			if w, ok := v.(string); !ok || !slices.Contains([]string{"nathan", "mike", "jackson", "golda", "bertels"}, w) {
				t.Fatalf("counter emitted word %v", v)
			}
		}
	}
}
