package nimbus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/stormthrift"
)

// wantErr checks the type (and message fragment) of a Thrift call error.
func wantErr(t testing.TB, err error, kind, frag string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil, want %s(%q)", kind, frag)
	}
	var msg string
	switch kind {
	case "NotAlive":
		var e *stormthrift.NotAliveException
		if !errors.As(err, &e) {
			t.Fatalf("got %T %v, want NotAliveException", err, err)
		}
		msg = e.GetMsg()
	case "AlreadyAlive":
		var e *stormthrift.AlreadyAliveException
		if !errors.As(err, &e) {
			t.Fatalf("got %T %v, want AlreadyAliveException", err, err)
		}
		msg = e.GetMsg()
	case "InvalidTopology":
		var e *stormthrift.InvalidTopologyException
		if !errors.As(err, &e) {
			t.Fatalf("got %T %v, want InvalidTopologyException", err, err)
		}
		msg = e.GetMsg()
	case "KeyNotFound":
		var e *stormthrift.KeyNotFoundException
		if !errors.As(err, &e) {
			t.Fatalf("got %T %v, want KeyNotFoundException", err, err)
		}
		msg = e.GetMsg()
	case "KeyAlreadyExists":
		var e *stormthrift.KeyAlreadyExistsException
		if !errors.As(err, &e) {
			t.Fatalf("got %T %v, want KeyAlreadyExistsException", err, err)
		}
		msg = e.GetMsg()
	case "Internal":
		var e thrift.TApplicationException
		if !errors.As(err, &e) || e.TypeId() != thrift.INTERNAL_ERROR {
			t.Fatalf("got %T %v, want TApplicationException INTERNAL_ERROR", err, err)
		}
		msg = e.Error()
	default:
		t.Fatalf("unknown kind %s", kind)
	}
	if !strings.Contains(msg, frag) {
		t.Fatalf("%s message %q does not contain %q", kind, msg, frag)
	}
}

func (h *harness) base(id string) *stormthrift.StormBase {
	h.t.Helper()
	b, err := h.state().StormBase(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return b
}

func (h *harness) submit(c *stormthrift.NimbusClient, name, jsonConf string, status stormthrift.TopologyInitialStatus) string {
	h.t.Helper()
	err := c.SubmitTopologyWithOpts(context.Background(), name, upload(h.t, c, []byte("jar "+name)), jsonConf, wordCount(),
		&stormthrift.SubmitOptions{InitialStatus: status})
	if err != nil {
		h.t.Fatalf("submit %s: %v", name, err)
	}
	id, _, err := h.n.stormIDByName(context.Background(), name)
	if err != nil || id == "" {
		h.t.Fatalf("id of %s: %q %v", name, id, err)
	}
	return id
}

func TestLifecycleTransitions(t *testing.T) {
	clock := newFakeClock()
	h := startNimbus(t, harnessOpts{clock: clock})
	ctx := context.Background()
	c := h.client()
	addSupervisor(t, h.state(), "sup-1", "host-a", 6700, 6701, 6702, 6703)
	id := h.submit(c, "lc", `{"topology.workers": 2}`, stormthrift.TopologyInitialStatus_INACTIVE)

	b := h.base(id)
	if b.GetStatus() != stormthrift.TopologyStatus_INACTIVE || b.GetNumWorkers() != 2 || b.GetOwner() == "" ||
		b.GetLaunchTimeSecs() != int32(clock.Now().Unix()) || b.ComponentDebug == nil {
		t.Fatalf("storm base after submit: %v", b)
	}
	wantExecs := map[string]int32{"spout": 5, "split": 8, "count": 12, "__acker": 2, "__eventlogger": 0, "__system": 0}
	for k, v := range wantExecs {
		if b.GetComponentExecutors()[k] != v {
			t.Fatalf("component_executors = %v, want %v", b.GetComponentExecutors(), wantExecs)
		}
	}

	status := func() stormthrift.TopologyStatus { return h.base(id).GetStatus() }
	steps := []struct {
		name string
		do   func() error
		want stormthrift.TopologyStatus
		kind string // expected error kind, "" for none
		frag string
	}{
		{"deactivate inactive is a no-op", func() error { return c.Deactivate(ctx, "lc") }, stormthrift.TopologyStatus_INACTIVE, "", ""},
		{"activate", func() error { return c.Activate(ctx, "lc") }, stormthrift.TopologyStatus_ACTIVE, "", ""},
		{"activate active is a no-op", func() error { return c.Activate(ctx, "lc") }, stormthrift.TopologyStatus_ACTIVE, "", ""},
		{"deactivate", func() error { return c.Deactivate(ctx, "lc") }, stormthrift.TopologyStatus_INACTIVE, "", ""},
		{"activate unknown", func() error { return c.Activate(ctx, "nope") }, stormthrift.TopologyStatus_INACTIVE, "NotAlive", "nope"},
		{"deactivate unknown", func() error { return c.Deactivate(ctx, "nope") }, stormthrift.TopologyStatus_INACTIVE, "NotAlive", "nope"},
		{"kill unknown", func() error { return c.KillTopology(ctx, "nope") }, stormthrift.TopologyStatus_INACTIVE, "NotAlive", "nope is not alive"},
		{"rebalance unknown", func() error { return c.Rebalance(ctx, "nope", &stormthrift.RebalanceOptions{}) }, stormthrift.TopologyStatus_INACTIVE, "NotAlive", "nope"},
		{"debug unknown", func() error { return c.Debug(ctx, "nope", "", true, 5) }, stormthrift.TopologyStatus_INACTIVE, "NotAlive", "nope"},
		{"credentials unknown", func() error {
			return c.UploadNewCredentials(ctx, "nope", &stormthrift.Credentials{Creds: map[string]string{}})
		}, stormthrift.TopologyStatus_INACTIVE, "NotAlive", "nope"},
		{"rebalance with zero executors", func() error {
			return c.Rebalance(ctx, "lc", &stormthrift.RebalanceOptions{NumExecutors: map[string]int32{"count": 0}})
		}, stormthrift.TopologyStatus_INACTIVE, "InvalidTopology", "Number of executors must be greater than 0"},
		{"rebalance waits", func() error {
			return c.Rebalance(ctx, "lc", &stormthrift.RebalanceOptions{WaitSecs: ptr(int32(60)), NumWorkers: ptr(int32(1)), NumExecutors: map[string]int32{"count": 4}})
		}, stormthrift.TopologyStatus_REBALANCING, "", ""},
		{"activate while rebalancing", func() error { return c.Activate(ctx, "lc") }, stormthrift.TopologyStatus_REBALANCING, "Internal", "No transition for event: :activate, status: {:type :rebalancing}"},
		{"rebalance while rebalancing", func() error { return c.Rebalance(ctx, "lc", &stormthrift.RebalanceOptions{}) }, stormthrift.TopologyStatus_REBALANCING, "Internal", "No transition for event: :rebalance"},
	}
	for _, s := range steps {
		err := s.do()
		if s.kind == "" && err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if s.kind != "" {
			wantErr(t, err, s.kind, s.frag)
		}
		if got := status(); got != s.want {
			t.Fatalf("%s: status %v, want %v", s.name, got, s.want)
		}
	}
	b = h.base(id)
	if b.GetPrevStatus() != stormthrift.TopologyStatus_INACTIVE || b.GetTopologyActionOptions().GetRebalanceOptions().GetWaitSecs() != 60 {
		t.Fatalf("rebalancing base: %v", b)
	}
	// The wait runs on the nimbus clock.
	clock.Advance(61 * time.Second)
	testutil.CheckFor(t, 5*time.Second, func() error {
		b := h.base(id)
		if b.GetStatus() != stormthrift.TopologyStatus_INACTIVE || b.GetNumWorkers() != 1 || b.GetComponentExecutors()["count"] != 4 || b.IsSetTopologyActionOptions() {
			return fmt.Errorf("base after rebalance: %v", b)
		}
		a, _, err := h.state().Assignment(ctx, id)
		if err != nil || a == nil {
			return fmt.Errorf("assignment %v %v", a, err)
		}
		slots, _ := assignmentSlots(a)
		if len(slots) != 2+5+8+4 || len(a.WorkerResources) != 1 {
			return fmt.Errorf("assignment after rebalance: %d executors, %d workers", len(slots), len(a.WorkerResources))
		}
		return nil
	})

	// Kill waits topology.message.timeout.secs by default.
	if err := c.KillTopology(ctx, "lc"); err != nil {
		t.Fatal(err)
	}
	if status() != stormthrift.TopologyStatus_KILLED || h.base(id).GetTopologyActionOptions().GetKillOptions().GetWaitSecs() != 30 {
		t.Fatalf("base after kill: %v", h.base(id))
	}
	wantErr(t, c.Activate(ctx, "lc"), "Internal", "No transition for event: :activate, status: {:type :killed}")
	wantErr(t, c.Rebalance(ctx, "lc", &stormthrift.RebalanceOptions{}), "Internal", "No transition for event: :rebalance")
	// Kill again with a longer wait; nothing happens at +30 s.
	if err := c.KillTopologyWithOpts(ctx, "lc", &stormthrift.KillOptions{WaitSecs: ptr(int32(100))}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(31 * time.Second)
	time.Sleep(3 * pollInterval)
	if h.base(id) == nil {
		t.Fatal("removed before the new wait elapsed")
	}
	clock.Advance(70 * time.Second)
	testutil.CheckFor(t, 5*time.Second, func() error {
		if h.base(id) != nil {
			return errors.New("storm base still there")
		}
		for _, p := range []string{"/credentials/" + id, "/workerbeats/" + id, "/assignments/" + id} {
			if ok, _, _ := h.st.Exists(ctx, p); ok {
				return fmt.Errorf("%s still there", p)
			}
		}
		return nil
	})
}

func TestDebugAndCredentials(t *testing.T) {
	h := startNimbus(t, harnessOpts{})
	ctx := context.Background()
	c := h.client()
	id := h.submit(c, "dbg", `{}`, stormthrift.TopologyInitialStatus_ACTIVE)

	if err := c.Debug(ctx, "dbg", "", true, 150); err != nil {
		t.Fatal(err)
	}
	if err := c.Debug(ctx, "dbg", "split", true, 20); err != nil {
		t.Fatal(err)
	}
	if err := c.Debug(ctx, "dbg", "split", false, 0); err != nil {
		t.Fatal(err)
	}
	cd := h.base(id).GetComponentDebug()
	if d := cd[id]; !d.GetEnable() || d.GetSamplingpct() != 100 {
		t.Fatalf("topology debug = %v", d)
	}
	if d := cd["split"]; d.GetEnable() || d.GetSamplingpct() != 20 {
		t.Fatalf("split debug = %v", d)
	}
	info, err := c.GetTopologyInfo(ctx, id)
	if err != nil || info.GetComponentDebug()["split"].GetSamplingpct() != 20 {
		t.Fatalf("topology info debug: %v %v", info.GetComponentDebug(), err)
	}

	if err := c.UploadNewCredentials(ctx, "dbg", &stormthrift.Credentials{Creds: map[string]string{"a": "b"}}); err != nil {
		t.Fatal(err)
	}
	creds, err := h.state().Credentials(ctx, id)
	if err != nil || creds.GetCreds()["a"] != "b" {
		t.Fatalf("credentials = %v %v", creds, err)
	}
}
