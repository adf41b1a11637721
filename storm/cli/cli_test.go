package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
)

// numberSpout emits the numbers below n, spread over its tasks, reliably.
type numberSpout struct {
	storm.BaseSpout
	n          int64
	out        storm.SpoutOutputCollector
	next, step int64
}

func (s *numberSpout) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("n") }

func (s *numberSpout) Open(_ storm.Conf, ctx *storm.TopologyContext, out storm.SpoutOutputCollector) error {
	s.out = out
	s.next = int64(ctx.ThisTaskIndex())
	s.step = int64(len(ctx.ComponentTasks(ctx.ThisComponentID())))
	return nil
}

func (s *numberSpout) NextTuple() {
	if s.next < s.n {
		s.out.Emit(storm.Values{s.next}, s.next)
		s.next += s.step
	}
}

// router sends n on a direct stream to the (n mod k)-th task of "sink".
type router struct {
	storm.BaseBolt
	out   storm.OutputCollector
	tasks []int32
}

func (r *router) DeclareOutputFields(d storm.OutputFieldsDeclarer) {
	d.DeclareDirectStream("routed", "n")
}

func (r *router) Prepare(_ storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	r.out, r.tasks = out, ctx.ComponentTasks("sink")
	return nil
}

func (r *router) Execute(t *storm.Tuple) {
	n, _ := t.Int64(0)
	r.out.EmitDirect(r.tasks[n%int64(len(r.tasks))], "routed", storm.Values{n}, t)
	r.out.Ack(t)
}

// recorder records which task received each number.
type recorder struct {
	storm.BaseBolt
	got  *received
	out  storm.OutputCollector
	task int32
}

type received struct {
	mu     sync.Mutex
	byTask map[int64]int32
	dups   int
}

func (r *recorder) DeclareOutputFields(storm.OutputFieldsDeclarer) {}

func (r *recorder) Prepare(_ storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	r.out, r.task = out, ctx.ThisTaskID()
	return nil
}

func (r *recorder) Execute(t *storm.Tuple) {
	n, _ := t.Int64(0)
	r.got.mu.Lock()
	if _, dup := r.got.byTask[n]; dup {
		r.got.dups++
	}
	r.got.byTask[n] = r.task
	r.got.mu.Unlock()
	r.out.Ack(t)
}

func directTopology(n int64, got *received) Topology {
	app := storm.NewApp()
	app.RegisterSpout("numbers", func() storm.Spout { return &numberSpout{n: n} })
	app.RegisterBolt("router", func() storm.Bolt { return &router{} })
	app.RegisterBolt("recorder", func() storm.Bolt { return &recorder{got: got} })
	return Topology{
		Name: "direct",
		App:  app,
		Build: func(opts storm.Conf) (*stormthrift.StormTopology, storm.Config, error) {
			b := storm.NewTopologyBuilder(app)
			b.SetSpout("numbers", "numbers", 2)
			b.SetBolt("router", "router", 2).ShuffleGrouping("numbers")
			b.SetBolt("sink", "recorder", 3).DirectGroupingStream("router", "routed")
			topo, err := b.CreateTopology()
			c := storm.Config{}
			c.SetNumWorkers(2)
			return topo, c, err
		},
	}
}

// TestStartLocalDirectEmit runs a topology with a direct stream on an
// embedded cluster: every number reaches the task it was sent to, once,
// and every tuple tree is acked.
func TestStartLocalDirectEmit(t *testing.T) {
	const n = 300
	got := &received{byTask: map[int64]int32{}}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	l, err := StartLocal(ctx, directTopology(n, got), LocalOptions{
		ClusterConf: conf.Conf{conf.NimbusThriftPort: int64(0)}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.Conf.IntOr(conf.TopologyWorkers, 0) != 2 {
		t.Errorf("submitted conf %v", l.Conf)
	}
	var last string
	for {
		info, err := l.Info(ctx)
		if err == nil {
			c := CountsOf(info)
			if c.Acked == n && c.Workers == 2 {
				break
			}
			last = c.String()
		} else {
			last = err.Error()
		}
		if ctx.Err() != nil {
			t.Fatalf("acked counts: %s", last)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := l.Kill(ctx); err != nil {
		t.Errorf("Kill: %v", err)
	}
	if _, err := l.Info(ctx); err == nil {
		t.Error("getTopologyInfo works after Kill")
	}
	got.mu.Lock()
	defer got.mu.Unlock()
	if len(got.byTask) != n || got.dups != 0 {
		t.Fatalf("%d numbers received (%d twice), want %d once", len(got.byTask), got.dups, n)
	}
	tasks := map[int32]bool{}
	for _, task := range got.byTask {
		tasks[task] = true
	}
	if len(tasks) != 3 {
		t.Errorf("numbers reached tasks %v, want 3 sink tasks", tasks)
	}
	for i := int64(0); i < n; i++ {
		if got.byTask[i] != got.byTask[i%3] {
			t.Fatalf("number %d reached task %d, number %d task %d", i, got.byTask[i], i%3, got.byTask[i%3])
		}
	}
}

func TestRunModes(t *testing.T) {
	top := directTopology(10, &received{byTask: map[int64]int32{}})
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{nil, 2, "Usage:"},
		{[]string{"frob"}, 2, `unknown mode "frob"`},
		{[]string{"submit"}, 2, "want exactly one topology NAME"},
		{[]string{"submit", "a", "b"}, 2, "want exactly one topology NAME"},
		{[]string{"dev", "a", "b"}, 2, "want at most one topology NAME"},
		{[]string{"submit", "-c"}, 2, "-c needs a value"},
		{[]string{"worker", "id", "sup", "notaport", "w"}, 1, "bad port"},
		{[]string{"-c", "nimbus.seeds=[\"127.0.0.1\"]", "-c", "nimbus.thrift.port=1", "-c", "storm.nimbus.retry.times=0", "submit", "x"},
			1, "NimbusLeaderNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), top, tt.args, Env{Stdout: &stdout, Stderr: &stderr,
				Getenv: func(string) string { return "" }, Logger: slog.New(slog.DiscardHandler)})
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tt.code, tt.stderr)
			}
		})
	}
}

// TestDevModeRunsHook runs `prog dev` through Run with a Dev hook that
// waits for the first acked trees.
func TestDevModeRunsHook(t *testing.T) {
	top := directTopology(50, &received{byTask: map[int64]int32{}})
	top.Dev = func(ctx context.Context, l *Local, stdout io.Writer) error {
		for {
			info, err := l.Info(ctx)
			if err == nil && CountsOf(info).Acked == 50 {
				fmt.Fprintln(stdout, "all acked")
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := Run(ctx, top, []string{"dev", "-c", "nimbus.thrift.port=0", "mine"}, Env{Stdout: &stdout, Stderr: &stderr,
		Getenv: func(string) string { return "" }, Logger: testLogger(t)})
	out := stdout.String()
	if code != 0 || !strings.Contains(out, "Gale dev cluster: nimbus at 127.0.0.1:") ||
		!strings.Contains(out, "Submitted topology mine (mine-") || !strings.HasSuffix(out, "all acked\n") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr.String())
	}
}

// testLogger logs warnings to t until the test ends.
func testLogger(t *testing.T) *slog.Logger { return testutil.Logger(t, slog.LevelWarn) }
