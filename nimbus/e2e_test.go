package nimbus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/stormthrift"
)

func findTopology(t testing.TB, c *stormthrift.NimbusClient, name string) *stormthrift.TopologySummary {
	t.Helper()
	cs, err := c.GetClusterInfo(context.Background())
	if err != nil {
		t.Fatalf("getClusterInfo: %v", err)
	}
	for _, ts := range cs.GetTopologies() {
		if ts.GetName() == name {
			return ts
		}
	}
	return nil
}

func TestSubmitListKill(t *testing.T) {
	h := startNimbus(t, harnessOpts{})
	ctx := context.Background()
	c := h.client()
	addSupervisor(t, h.state(), "sup-1", "host-a", 6700, 6701, 6702, 6703)

	loc := upload(t, c, []byte("PK fake jar"))
	if err := c.SubmitTopology(ctx, "wc", loc, `{"topology.workers": 3}`, wordCount()); err != nil {
		t.Fatalf("submitTopology: %v", err)
	}
	ts := findTopology(t, c, "wc")
	if ts == nil {
		t.Fatal("topology not listed")
	}
	if ts.GetStatus() != "ACTIVE" || !strings.HasPrefix(ts.GetID(), "wc-1-") {
		t.Fatalf("summary = %v", ts)
	}
	id := ts.GetID()
	testutil.CheckFor(t, 5*time.Second, func() error {
		ts := findTopology(t, c, "wc")
		if ts.GetNumWorkers() != 3 || ts.GetNumExecutors() != 28 || ts.GetNumTasks() != 28 {
			return fmt.Errorf("summary %v", ts)
		}
		return nil
	})
	cs, err := c.GetClusterInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.GetNimbuses()) != 1 || !cs.GetNimbuses()[0].GetIsLeader() || cs.GetNimbuses()[0].GetPort() != int32(h.n.port) {
		t.Fatalf("nimbuses = %v", cs.GetNimbuses())
	}
	if len(cs.GetSupervisors()) != 1 || cs.GetSupervisors()[0].GetNumWorkers() != 4 {
		t.Fatalf("supervisors = %v", cs.GetSupervisors())
	}

	// Same name again: AlreadyAliveException.
	err = c.SubmitTopology(ctx, "wc", upload(t, c, []byte("x")), `{}`, wordCount())
	var aae *stormthrift.AlreadyAliveException
	if !errors.As(err, &aae) || aae.GetMsg() != "wc is already active" {
		t.Fatalf("duplicate submit: %v", err)
	}

	if err := c.KillTopologyWithOpts(ctx, "wc", &stormthrift.KillOptions{WaitSecs: ptr(int32(0))}); err != nil {
		t.Fatalf("kill: %v", err)
	}
	testutil.CheckFor(t, 5*time.Second, func() error {
		if ts := findTopology(t, c, "wc"); ts != nil {
			return fmt.Errorf("still listed: %v", ts)
		}
		a, _, err := h.state().Assignment(ctx, id)
		if err != nil || a != nil {
			return fmt.Errorf("assignment %v %v", a, err)
		}
		if _, err := h.n.blobs.Meta(codeKey(id)); err == nil {
			return errors.New("code blob still there")
		}
		return nil
	})
	hist, err := c.GetTopologyHistory(ctx, "")
	if err != nil || len(hist.GetTopoIds()) != 1 || hist.GetTopoIds()[0] != id {
		t.Fatalf("history = %v, %v", hist, err)
	}
}
