package shellhost

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/compat/multilang"
)

// misbehaving returns a config running testdata/misbehave.sh in mode.
func misbehaving(t *testing.T, mode string) Config {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		unavailable(t, "no sh: %v", err)
	}
	abs, err := filepath.Abs("testdata/misbehave.sh")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, []string{sh, abs, mode}, t.TempDir())
	cfg.Timeout = 700 * time.Millisecond
	cfg.HandshakeTimeout = 20 * time.Second // a loaded machine starts sh slowly
	return cfg
}

// TestStartFailures: a child that cannot start or does not complete the
// handshake is an error from Start, and nothing is left running.
func TestStartFailures(t *testing.T) {
	tests := []struct {
		name   string
		mode   string
		mutate func(*Config)
		want   error
		within time.Duration
	}{
		{name: "silent", mode: "silent", mutate: func(c *Config) { c.HandshakeTimeout = 700 * time.Millisecond }, want: ErrHeartbeatTimeout, within: 5 * time.Second},
		{name: "no pid", mode: "nopid", want: multilang.ErrBadMessage},
		{name: "exits", mode: "exit", mutate: func(c *Config) {
			// exits right after its pid: the handshake succeeds; checked below
		}},
		{name: "missing program", mode: "x", mutate: func(c *Config) { c.Command = []string{"/nonexistent/prog"} }, want: os.ErrNotExist},
		{name: "program not in PATH", mode: "x", mutate: func(c *Config) { c.Command = []string{"gale-no-such-program"} }, want: exec.ErrNotFound},
		{name: "empty command", mode: "x", mutate: func(c *Config) { c.Command = nil }},
		{name: "no context", mode: "x", mutate: func(c *Config) { c.Context = nil }},
		{name: "msgpack serializer", mode: "x", mutate: func(c *Config) {
			c.Conf = conf.Conf{conf.TopologyMultilangSerializer: "com.example.MsgpackSerializer"}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := misbehaving(t, tc.mode)
			if tc.mutate != nil {
				tc.mutate(&cfg)
			}
			start := time.Now()
			b, err := StartBolt(context.Background(), cfg, &recorder{})
			if tc.mode == "exit" {
				// The handshake completed before the exit; the exit is
				// then fatal (see TestRuntimeFailures).
				if err == nil {
					b.Close()
				}
				return
			}
			if err == nil {
				b.Close()
				t.Fatal("StartBolt succeeded")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if tc.within > 0 && time.Since(start) > tc.within {
				t.Errorf("took %s", time.Since(start))
			}
			t.Log(err)
		})
	}
}

// TestRuntimeFailures: each way a running child can break is fatal with a
// clear error, reported once, and the child is gone.
func TestRuntimeFailures(t *testing.T) {
	tests := []runtimeFailure{
		{name: "bolt exits", mode: "exit", want: ErrExited, message: "exiting on purpose"},
		{name: "spout exits", mode: "exit", spout: true, want: ErrExited, message: "exitCode:3"},
		{name: "bolt hangs", mode: "hang", want: ErrHeartbeatTimeout},
		{name: "spout never syncs", mode: "nosync", spout: true, want: ErrHeartbeatTimeout},
		{name: "bolt garbage", mode: "garbage", want: multilang.ErrBadJSON, message: "not json"},
		{name: "spout garbage", mode: "garbage", spout: true, want: multilang.ErrBadJSON},
		{name: "bolt huge message", mode: "huge", mutate: func(c *Config) { c.MaxMessageBytes = 100 << 10 }, want: multilang.ErrTooLarge},
		{name: "spout unknown command", mode: "unknown", spout: true, want: ErrUnknownCommand, message: "bogus"},
		{name: "bolt acks unknown id", mode: "badack", message: "non-existent"},
		{name: "bolt anchors unknown id", mode: "badanchor", message: "anchored onto nope"},
		{name: "bolt emit rejected", mode: "emitfail", want: errAny, message: "undeclared"},
		{name: "spout emit rejected", mode: "emitfail", spout: true, want: errAny, message: "undeclared"},
	}
	for _, tc := range tests {
		for _, posted := range []bool{false, true} {
			if posted && tc.spout {
				continue
			}
			name := tc.name
			if posted {
				name += " (posted)"
			}
			t.Run(name, func(t *testing.T) { testRuntimeFailure(t, tc, posted) })
		}
	}
}

type runtimeFailure struct {
	name    string
	mode    string
	spout   bool
	mutate  func(*Config)
	want    error
	message string // in the error
}

// testRuntimeFailure is one case of TestRuntimeFailures; posted runs a bolt
// with a Poster collector.
func testRuntimeFailure(t *testing.T, tc runtimeFailure, posted bool) {
	t.Parallel()
	cfg := misbehaving(t, tc.mode)
	if tc.mutate != nil {
		tc.mutate(&cfg)
	}
	rec := &recorder{emitErr: map[string]error{"undeclared": errAny}}
	ctx := context.Background()
	var done <-chan struct{}
	var errf func() error
	var pid int
	if tc.spout {
		sp, err := StartSpout(ctx, cfg, rec)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sp.Close() })
		err = sp.Next(ctx)
		if err == nil {
			t.Fatal("Next succeeded")
		}
		if err2 := sp.Next(ctx); err2 == nil {
			t.Error("Next on a dead spout succeeded")
		}
		done, errf, pid = sp.Done(), sp.Err, sp.Pid()
	} else {
		b, err := StartBolt(ctx, cfg, collectorFor(t, rec, posted))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		if err := b.Execute(ctx, Input{Ref: "r", Component: "src", Stream: "default", Values: []any{"x"}}); err != nil && tc.mode != "exit" {
			t.Fatal(err)
		}
		done, errf, pid = b.Done(), b.Err, b.Pid()
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("failure not detected")
	}
	err := errf()
	var fe *FatalError
	if !errors.As(err, &fe) {
		t.Fatalf("Err = %v, want a *FatalError", err)
	}
	if tc.want != nil && !errors.Is(err, tc.want) {
		t.Errorf("Err = %v, want %v", err, tc.want)
	}
	if !strings.Contains(err.Error(), tc.message) {
		t.Errorf("Err = %q, want it to mention %q", err, tc.message)
	}
	_, _, _, errs, _ := rec.snapshot()
	if len(errs) != 1 || errs[0] != err.Error() {
		t.Errorf("reported errors %q, want the fatal error once", errs)
	}
	// The child is killed and its pid file removed.
	checkFor(t, 5*time.Second, func() error {
		if _, err := os.Stat(filepath.Join(cfg.PidDir, strconv.Itoa(pid))); err == nil {
			return errors.New("pid file still there")
		}
		return nil
	})
	t.Log(err)
}

// TestBoltIgnoresUnknownCommand: Storm's ShellBolt ignores commands it does
// not know; so does the host (with a warning).
func TestBoltIgnoresUnknownCommand(t *testing.T) {
	cfg := misbehaving(t, "unknown")
	logger, logs := testLogger(t)
	cfg.Logger = logger
	rec := &recorder{}
	b, err := StartBolt(context.Background(), cfg, rec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.Execute(context.Background(), Input{Ref: "r", Values: []any{}}); err != nil {
		t.Fatal(err)
	}
	checkFor(t, 5*time.Second, func() error {
		if !strings.Contains(logs.String(), "bogus") {
			return errors.New("no warning logged")
		}
		return nil
	})
	// The child then sleeps without answering heartbeats: that is fatal.
	<-b.Done()
	if !errors.Is(b.Err(), ErrHeartbeatTimeout) {
		t.Errorf("Err = %v", b.Err())
	}
}

// TestExecuteBackpressure: Execute blocks once max pending tuples wait for
// a child that does not read, and gives up with its context.
func TestExecuteBackpressure(t *testing.T) {
	cfg := misbehaving(t, "hang")
	cfg.Timeout = 5 * time.Second
	cfg.MaxPending = 2
	b, err := StartBolt(context.Background(), cfg, &recorder{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	big := strings.Repeat("x", 1<<20) // fills the pipe quickly
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	var n int
	for ; n < 100; n++ {
		if err := b.Execute(ctx, Input{Ref: n, Values: []any{big}}); err != nil {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Execute: %v", err)
			}
			break
		}
	}
	if n >= 100 || n < 2 {
		t.Errorf("Execute blocked after %d tuples", n)
	}
	// TryExecute does not block: it says there is no room.
	if ok, err := b.TryExecute(Input{Ref: "try", Values: []any{big}}); ok || err != nil {
		t.Errorf("TryExecute on a full queue = %v, %v", ok, err)
	}
	select {
	case <-b.Room():
		t.Error("Room signalled while the writer is stuck")
	case <-time.After(100 * time.Millisecond):
	}
}
