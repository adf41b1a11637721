package shellhost

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBoltLibraries runs a bolt written on each of Storm 1.0.0's own
// multilang libraries (storm.py, storm.js, storm.rb, from the
// org.apache.storm:multilang-* 1.0.0 jars) through every bolt command,
// heartbeats, a hang and a crash.
//
// Each runs with a plain collector (called from the host's reader) and with
// a Poster (called only inside posted functions, as the worker's executor
// runs them).
func TestBoltLibraries(t *testing.T) {
	for _, l := range langs() {
		for _, posted := range []bool{false, true} {
			name := l.name
			if posted {
				name += "/posted"
			}
			t.Run(name, func(t *testing.T) { testBoltLibrary(t, l, posted) })
		}
	}
}

func testBoltLibrary(t *testing.T, l lang, posted bool) {
	t.Parallel()
	interp := interpreter(t, l)
	script := "bolt." + l.ext
	dir := resources(t, l, script)
	cfg := testConfig(t, []string{interp, script}, dir)
	cfg.Timeout = 3 * time.Second
	rec := &recorder{}
	ctx := context.Background()
	b, err := StartBolt(ctx, cfg, collectorFor(t, rec, posted))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	pidFile := filepath.Join(cfg.PidDir, strconv.Itoa(b.Pid()))
	checkPidFile(t, pidFile)

	exec := func(ref string, values ...any) {
		t.Helper()
		if err := b.Execute(ctx, Input{Ref: ref, Component: "src", Stream: "default", Task: 3, Values: values}); err != nil {
			t.Fatal(err)
		}
	}
	exec("split", "split", "a b")
	exec("direct", "direct", 8)
	exec("fail", "fail", nil)
	exec("log", "log", nil)
	exec("error", "error", nil)
	exec("metric", "metric", nil)
	exec("context", "context", nil)
	wantAcks := []any{"split", "direct", "log", "error", "metric", "context"}
	checkFor(t, 10*time.Second, func() error {
		_, acks, fails, _, _ := rec.snapshot()
		if len(acks) < len(wantAcks) || len(fails) < 1 {
			return fmt.Errorf("acks %v fails %v", acks, fails)
		}
		return nil
	})
	emits, acks, fails, errs, metrics := rec.snapshot()
	// storm.js acks the split tuple after its emits' task ids came back.
	sort.Slice(acks, func(i, j int) bool { return acks[i].(string) < acks[j].(string) })
	sort.Slice(wantAcks, func(i, j int) bool { return wantAcks[i].(string) < wantAcks[j].(string) })
	if !reflect.DeepEqual(acks, wantAcks) || !reflect.DeepEqual(fails, []any{"fail"}) {
		t.Errorf("acks %v fails %v", acks, fails)
	}
	var words, ids []any
	var direct, context []Emission
	for _, e := range emits {
		switch {
		case e.Stream == "default" && len(e.Values) == 1:
			words = append(words, e.Values[0])
			checkAnchors(t, e, "split")
		case e.Stream == "taskids":
			ids = append(ids, e.Values[1])
			checkAnchors(t, e, "split")
		case e.Stream == "direct":
			direct = append(direct, e)
		default:
			context = append(context, e)
		}
	}
	if !reflect.DeepEqual(words, []any{"a", "b"}) {
		t.Errorf("split emitted %v", words)
	}
	taskList := []any{int64(8), int64(9)}
	if !reflect.DeepEqual(ids, []any{taskList, taskList}) {
		t.Errorf("child received task ids %v, want %v twice", ids, taskList)
	}
	if len(direct) != 1 || direct[0].DirectTask != 8 || direct[0].NeedTaskIDs || !reflect.DeepEqual(direct[0].Values, []any{"d"}) {
		t.Errorf("direct emits %+v", direct)
	} else {
		checkAnchors(t, direct[0], "direct")
	}
	wantDir, _ := filepath.EvalSymlinks(dir)
	if len(context) != 1 {
		t.Errorf("context emits %+v", context)
	} else {
		v := context[0].Values
		if len(v) != 5 || v[0] != "comp" || v[1] != int64(7) || v[2] != "shell-test" || v[4] != "from-env" {
			t.Errorf("context emit %v", v)
		} else if gotDir, _ := filepath.EvalSymlinks(v[3].(string)); gotDir != wantDir {
			t.Errorf("child cwd %s, want the resources dir %s", gotDir, wantDir)
		}
	}
	if !errorsContain(errs, "Shell Process Exception: oops") {
		t.Errorf("errors %q lack the reported error", errs)
	}
	if l.ext != "js" && !errorsContain(errs, "level 4") { // storm.js logs without levels
		t.Errorf("errors %q lack the ERROR-level log", errs)
	}
	if !reflect.DeepEqual(metrics, []string{"m1=map[x:1]"}) {
		t.Errorf("metrics %v", metrics)
	}

	// Idle for longer than the timeout: heartbeats keep it alive.
	time.Sleep(cfg.Timeout + time.Second)
	if err := b.Err(); err != nil {
		t.Fatalf("bolt died while idle: %v", err)
	}

	// A child that stops answering is declared dead.
	exec("hang", "hang", nil)
	select {
	case <-b.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("hung child not detected")
	}
	if err := b.Err(); !errors.Is(err, ErrHeartbeatTimeout) {
		t.Errorf("Err = %v, want heartbeat timeout", err)
	}
	if err := b.Execute(ctx, Input{Ref: "late"}); err == nil {
		t.Error("Execute on a dead bolt succeeded")
	}
	checkFor(t, 5*time.Second, func() error {
		if _, err := os.Stat(pidFile); err == nil {
			return errors.New("pid file still there after the child was killed")
		}
		return nil
	})
	if _, _, _, errs, _ := rec.snapshot(); !errorsContain(errs, "heartbeat timeout") {
		t.Errorf("death not reported: %q", errs)
	}
}

// checkPidFile waits for the child's pid file (storm.py writes it after
// sending its pid).
func checkPidFile(t *testing.T, path string) {
	t.Helper()
	checkFor(t, 5*time.Second, func() error {
		_, err := os.Stat(path)
		return err
	})
}

func checkAnchors(t *testing.T, e Emission, want ...any) {
	t.Helper()
	if !reflect.DeepEqual(e.Anchors, want) {
		t.Errorf("emit %v anchored to %v, want %v", e.Values, e.Anchors, want)
	}
}

// TestBoltLibrariesExit: a child that exits is fatal with its exit code.
func TestBoltLibrariesExit(t *testing.T) {
	for _, l := range langs() {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			interp := interpreter(t, l)
			script := "bolt." + l.ext
			cfg := testConfig(t, []string{interp, script}, resources(t, l, script))
			rec := &recorder{}
			b, err := StartBolt(context.Background(), cfg, collectorFor(t, rec, l.ext == "js"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			if err := b.Execute(context.Background(), Input{Ref: 1, Values: []any{"exit", nil}}); err != nil {
				t.Fatal(err)
			}
			select {
			case <-b.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("exit not detected")
			}
			var fe *FatalError
			if err := b.Err(); !errors.As(err, &fe) || !errors.Is(err, ErrExited) || fe.ExitCode != 3 {
				t.Fatalf("Err = %v, want ErrExited with exit code 3", err)
			}
			if !strings.Contains(fe.Error(), "exitCode:3") {
				t.Errorf("error %q lacks the exit code", fe)
			}
		})
	}
}

// TestSpoutLibraries runs a spout written on each of Storm's multilang
// libraries through next, ack, fail, reliable and direct emits, task ids,
// logs, errors and metrics.
func TestSpoutLibraries(t *testing.T) {
	for _, l := range langs() {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			interp := interpreter(t, l)
			script := "spout." + l.ext
			cfg := testConfig(t, []string{interp, script}, resources(t, l, script))
			rec := &recorder{}
			ctx := context.Background()
			sp, err := StartSpout(ctx, cfg, rec)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { sp.Close() })
			pidFile := filepath.Join(cfg.PidDir, strconv.Itoa(sp.Pid()))
			checkPidFile(t, pidFile)
			for i := range 4 {
				if err := sp.Next(ctx); err != nil {
					t.Fatalf("next %d: %v", i, err)
				}
			}
			if err := sp.Ack(ctx, "m1"); err != nil {
				t.Fatal(err)
			}
			if err := sp.Fail(ctx, "m2"); err != nil {
				t.Fatal(err)
			}
			emits, _, _, errs, metrics := rec.snapshot()
			taskList := []any{int64(8), int64(9)}
			want := []Emission{
				{Stream: "default", MessageID: "m1", DirectTask: -1, Values: []any{"w1"}, NeedTaskIDs: true},
				{Stream: "taskids", DirectTask: -1, Values: []any{"ids", taskList}, NeedTaskIDs: true},
				{Stream: "default", MessageID: "m2", DirectTask: -1, Values: []any{"w2"}, NeedTaskIDs: true},
				{Stream: "taskids", DirectTask: -1, Values: []any{"ids", taskList}, NeedTaskIDs: true},
				{Stream: "direct", DirectTask: 5, Values: []any{"direct"}},
				{Stream: "acks", DirectTask: -1, Values: []any{"acked", "m1"}, NeedTaskIDs: true},
			}
			if !reflect.DeepEqual(emits, want) {
				t.Errorf("emits\n got %+v\nwant %+v", emits, want)
			}
			if !reflect.DeepEqual(metrics, []string{"m2=[1 2]"}) {
				t.Errorf("metrics %v", metrics)
			}
			if !errorsContain(errs, "Shell Process Exception: failed m2") {
				t.Errorf("errors %q", errs)
			}
			if err := sp.Close(); err != nil {
				t.Fatal(err)
			}
			if !errors.Is(sp.Err(), ErrClosed) {
				t.Errorf("Err after Close = %v", sp.Err())
			}
			if err := sp.Next(ctx); !errors.Is(err, ErrClosed) {
				t.Errorf("Next after Close = %v", err)
			}
			if _, err := os.Stat(pidFile); err == nil {
				t.Error("pid file left after Close")
			}
			if _, _, _, errs2, _ := rec.snapshot(); len(errs2) != len(errs) {
				t.Errorf("Close reported errors: %q", errs2[len(errs):])
			}
		})
	}
}
