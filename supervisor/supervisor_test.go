package supervisor

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/mem"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/testutil"
)

func TestResolveConfig(t *testing.T) {
	st, _ := memState(t)
	dir := t.TempDir()
	base := func(mod func(c *Config)) Config {
		c := Config{Conf: testConf(dir, 6701, 6700, 6701), State: st, Launcher: newFakeLauncher(), Blobs: noBlobs{}}
		if mod != nil {
			mod(&c)
		}
		return c
	}
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
		check   func(t *testing.T, s settings, l layout)
	}{
		{name: "defaults", cfg: base(nil), check: func(t *testing.T, s settings, l layout) {
			if fmt.Sprint(s.ports) != "[6700 6701]" || !s.enabled {
				t.Errorf("ports %v", s.ports)
			}
			if l.logDir != filepath.Join(dir, "logs") || l.artifacts != filepath.Join(dir, "logs", "workers-artifacts") {
				t.Errorf("log dirs %s %s", l.logDir, l.artifacts)
			}
			if s.timeouts != (Timeouts{Start: 120 * time.Second, Worker: 30 * time.Second}) || s.pollEvery != DefaultPollInterval {
				t.Errorf("timings %+v", s)
			}
			if s.version != DefaultVersion || s.hostname == "" || s.memoryMB != 3072 || s.cpu != 400 {
				t.Errorf("info fields %+v", s)
			}
		}},
		{name: "relative local dir, absolute artifacts, scheduler meta", cfg: base(func(c *Config) {
			c.Conf[conf.StormLocalDir] = "storm-local"
			c.Conf[conf.StormWorkersArtifactsDir] = "/var/artifacts"
			c.Conf[conf.SupervisorSchedulerMeta] = map[string]any{"rack": "r1", "n": int64(2)}
			c.Conf[conf.StormLocalHostname] = "node-7"
		}), check: func(t *testing.T, s settings, l layout) {
			if !filepath.IsAbs(l.local) || l.artifacts != "/var/artifacts" {
				t.Errorf("layout %+v", l)
			}
			if s.schedulerMeta["rack"] != "r1" || s.schedulerMeta["n"] != "2" || s.hostname != "node-7" {
				t.Errorf("settings %+v", s)
			}
		}},
		{name: "disabled", cfg: base(func(c *Config) { c.Conf[conf.SupervisorEnable] = false }), check: func(t *testing.T, s settings, l layout) {
			if s.enabled {
				t.Error("supervisor.enable false ignored")
			}
		}},
		{name: "no state", cfg: base(func(c *Config) { c.State = nil }), wantErr: "State"},
		{name: "no launcher", cfg: base(func(c *Config) { c.Launcher = nil }), wantErr: "Launcher"},
		{name: "no blobs", cfg: base(func(c *Config) { c.Blobs = nil }), wantErr: "Blobs"},
		{name: "no local dir", cfg: base(func(c *Config) { delete(c.Conf, conf.StormLocalDir) }), wantErr: conf.StormLocalDir},
		{name: "bad port", cfg: base(func(c *Config) { c.Conf[conf.SupervisorSlotsPorts] = []any{int64(70000)} }), wantErr: "bad port"},
		{name: "ports not a list of ints", cfg: base(func(c *Config) { c.Conf[conf.SupervisorSlotsPorts] = []any{"x"} }), wantErr: "list of ports"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, l, err := resolve(tc.cfg)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, s, l)
		})
	}
}

func TestRunTwice(t *testing.T) {
	st, _ := memState(t)
	s, err := New(Config{Conf: testConf(t.TempDir(), 6700), State: st, Launcher: newFakeLauncher(), Blobs: noBlobs{}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	testutil.CheckFor(t, 5*time.Second, func() error {
		if !s.running.Load() {
			return fmt.Errorf("not running")
		}
		return nil
	})
	if err := s.Run(ctx); err == nil {
		t.Error("second Run accepted")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
}

// TestEmbeddedFuncLauncher runs the supervisor the way `storm dev` does:
// in-process workers, in-memory cluster state, blobs from a local store.
func TestEmbeddedFuncLauncher(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bs := newBlobStore(t)
	putTopology(t, bs, "wc-1-1", makeZip(t, zipEntry{name: "resources/a.py", body: "x"}), conf.Conf{})
	fl := NewFuncLauncher(func(ctx context.Context, spec WorkerSpec) error {
		return runFakeWorker(ctx, spec.Conf.StringOr(conf.StormLocalDir, ""), spec, 200*time.Millisecond, 0)
	})
	t.Cleanup(func() { fl.KillAll(context.Background()) })
	srv := mem.NewServer()
	connect := func() store.Store { return srv.Connect() }
	writer := newState(t, connect())
	c := testConf(dir, 6700)
	c[conf.SupervisorWorkerTimeoutSecs] = int64(15)
	cfg := Config{Conf: c, Launcher: fl, Blobs: LocalBlobs(bs), Logger: testLogger(t), PollInterval: time.Second}
	r1 := startSupervisor(t, cfg, connect)
	id := r1.s.ID()
	a := testAssignment(id)
	a.ExecutorNodePort = a.ExecutorNodePort[:1] // port 6700 only
	if err := writer.SetAssignment(ctx, "wc-1-1", a); err != nil {
		t.Fatal(err)
	}
	var wid string
	testutil.CheckFor(t, 10*time.Second, func() error {
		for w, port := range r1.s.approvals.snapshot() {
			if hb, _ := r1.s.l.readHeartbeat(w); hb != nil && port == 6700 {
				wid = w
				return nil
			}
		}
		return fmt.Errorf("no heartbeating worker")
	})
	w, ok := fl.Lookup(wid)
	if !ok {
		t.Fatal("launcher does not know its worker")
	}

	// Shutdown is not kill; the next supervisor adopts the worker with its
	// handle.
	r1.stop()
	select {
	case <-w.Done():
		t.Fatal("supervisor shutdown ended the in-process worker")
	case <-time.After(300 * time.Millisecond):
	}
	r2 := startSupervisor(t, cfg, connect)
	testutil.CheckFor(t, 10*time.Second, func() error {
		r := r2.s.runnerSnapshot()[6700]
		if r == nil {
			return fmt.Errorf("no runner yet")
		}
		if got, st, ok := r.status(); !ok || got != wid || !st.exitKnown {
			return fmt.Errorf("runner holds %q (%+v)", got, st)
		}
		return nil
	})

	// Unassignment kills it.
	if err := writer.RemoveAssignment(ctx, "wc-1-1"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("unassigned in-process worker still running")
	}
	testutil.CheckFor(t, 10*time.Second, func() error {
		if ids, _ := r2.s.l.workerIDs(); len(ids) > 0 {
			return fmt.Errorf("worker dirs left: %v", ids)
		}
		return nil
	})
}

func TestKillWorkers(t *testing.T) {
	fl := NewFuncLauncher(func(ctx context.Context, spec WorkerSpec) error {
		<-ctx.Done()
		return nil
	})
	h := newHarness(t, t.TempDir(), nil, newFakeClock(), 6700, 6701)
	h.s.cfg.Launcher, h.s.env.launcher = fl, fl
	writeCode(t, h.s.l, topoA.TopologyID, conf.Conf{})
	h.assign(map[int]SlotAssignment{6700: topoA, 6701: topoA})
	h.step()
	var ws []Worker
	for id := range h.approved() {
		w, ok := fl.Lookup(id)
		if !ok {
			t.Fatalf("worker %s not running", id)
		}
		ws = append(ws, w)
	}
	if len(ws) != 2 {
		t.Fatalf("%d workers", len(ws))
	}
	if err := h.s.KillWorkers(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		select {
		case <-w.Done():
		default:
			t.Error("KillWorkers left a worker running")
		}
	}
	if ids := h.workerIDs(); len(ids) != 0 || len(h.approved()) != 0 {
		t.Errorf("left dirs %v approvals %v", ids, h.approved())
	}
}
