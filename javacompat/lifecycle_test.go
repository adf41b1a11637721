package javacompat

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestClientLifecycle submits with StormSubmitter and walks a topology
// through the CLI's RPCs, all from Storm 1.0.0's client classes.
func TestClientLifecycle(t *testing.T) {
	c := startCluster(t)
	r := c.java(t,
		[]string{"submit", "life", "word"},
		[]string{"list"},
		[]string{"deactivate", "life"},
		[]string{"list"},
		[]string{"deactivate", "life"}, // inactive -> no-op
		[]string{"activate", "life"},
		[]string{"list"},
		[]string{"rebalance", "life", "5", "3", "count=2"},
		[]string{"list"},
	)
	r[0].must(t)
	l := r[1].list(t)
	tp, ok := l.find("life")
	if !ok {
		t.Fatalf("submitted topology not listed: %+v", l.Topologies)
	}
	if tp.Status != "ACTIVE" || !strings.HasPrefix(tp.ID, "life-") || tp.Owner == "" {
		t.Errorf("after submit: %+v, want status ACTIVE, id life-<n>-<secs>, an owner", tp)
	}
	if len(l.Nimbuses) != 1 || !l.Nimbuses[0].IsLeader || l.Nimbuses[0].Host != "127.0.0.1" ||
		l.Nimbuses[0].Port != c.port || l.Nimbuses[0].Version != "1.0.0" {
		t.Errorf("nimbuses = %+v, want one leader 127.0.0.1:%d version 1.0.0", l.Nimbuses, c.port)
	}
	r[2].must(t)
	if s := r[3].status(t, "life"); s != "INACTIVE" {
		t.Errorf("after deactivate: %s, want INACTIVE", s)
	}
	r[4].must(t)
	r[5].must(t)
	if s := r[6].status(t, "life"); s != "ACTIVE" {
		t.Errorf("after activate: %s, want ACTIVE", s)
	}
	r[7].must(t)
	if s := r[8].status(t, "life"); s != "REBALANCING" {
		t.Errorf("right after rebalance with wait 5: %s, want REBALANCING", s)
	}

	// After the wait the rebalance is done: back to ACTIVE, StormBase
	// carries the new worker and executor counts.
	r = c.java(t, []string{"wait-status", "life", "ACTIVE", "30"})
	var w struct {
		Reached bool   `json:"reached"`
		Status  string `json:"status"`
	}
	r[0].must(t).decode(t, &w)
	if !w.Reached {
		t.Fatalf("rebalance did not finish: status %s", w.Status)
	}
	id := c.topologyID(t, "life")
	base, err := c.state.StormBase(context.Background(), id)
	if err != nil || base == nil {
		t.Fatalf("StormBase %s: %v", id, err)
	}
	if base.NumWorkers != 3 || base.ComponentExecutors["count"] != 2 || base.ComponentExecutors["words"] != 2 {
		t.Errorf("StormBase after rebalance: workers %d executors %v, want 3 workers, count=2, words=2",
			base.NumWorkers, base.ComponentExecutors)
	}

	start := time.Now()
	r = c.java(t,
		[]string{"kill", "life", "5"},
		[]string{"list"},
		[]string{"activate", "life"}, // killed: no transition
		[]string{"wait-status", "life", "GONE", "40"},
		[]string{"list"},
	)
	r[0].must(t)
	if s := r[1].status(t, "life"); s != "KILLED" {
		t.Errorf("after kill with wait 5: %s, want KILLED", s)
	}
	if r[2].OK {
		t.Errorf("activate of a killed topology succeeded")
	}
	r[3].must(t).decode(t, &w)
	if !w.Reached {
		t.Fatalf("killed topology still listed as %s", w.Status)
	}
	if el := time.Since(start); el < 5*time.Second {
		t.Errorf("topology gone after %v, before the 5s kill wait", el)
	}
	if s := r[4].status(t, "life"); s != "GONE" {
		t.Errorf("after kill: listed as %s", s)
	}
}

// TestSubmitErrors checks the exceptions Storm's client sees.
func TestSubmitErrors(t *testing.T) {
	c := startCluster(t)
	r := c.java(t,
		[]string{"submit", "dup", "word"},
		[]string{"submit", "dup", "word"},     // StormSubmitter's own name check
		[]string{"raw-submit", "dup", "word"}, // Nimbus.Client.submitTopology
		[]string{"submit", "bad/name", "word"},
		[]string{"raw-submit", "bad:name", "word"},
		[]string{"submit", "orphan", "missing"},
		[]string{"raw-submit", "orphan2", "missing"},
		[]string{"kill", "no-such-topology", "0"},
		[]string{"activate", "no-such-topology"},
		[]string{"rebalance", "dup", "0", "1", "count=0"},
		[]string{"list"},
	)
	r[0].must(t)
	// StormSubmitter rethrows a Thrift exception from submitTopology
	// wrapped in a RuntimeException (its outer catch of TException).
	cases := []struct {
		i          int
		err, cause string
		contains   string
	}{
		{1, "RuntimeException", "", "already exists"},
		{2, "AlreadyAliveException", "", "dup is already active"},
		{3, "RuntimeException", "InvalidTopologyException", "Topology name cannot contain"},
		{4, "InvalidTopologyException", "", "Topology name cannot contain"},
		{5, "RuntimeException", "InvalidTopologyException", "subscribes from non-existent component [no-such-component]"},
		{6, "InvalidTopologyException", "", "subscribes from non-existent component [no-such-component]"},
		{7, "NotAliveException", "", "no-such-topology is not alive"},
		{8, "NotAliveException", "", "no-such-topology"},
		{9, "InvalidTopologyException", "", "Number of executors must be greater than 0"},
	}
	for _, tc := range cases {
		got := r[tc.i]
		msg := got.Message
		if tc.cause != "" {
			msg = got.CauseMessage
		}
		if got.OK || got.Error != tc.err || got.Cause != tc.cause || !strings.Contains(msg, tc.contains) {
			t.Errorf("%s #%d: got ok=%v %s(%q) cause %s(%q), want %s cause %q with message containing %q",
				got.Op, tc.i, got.OK, got.Error, got.Message, got.Cause, got.CauseMessage, tc.err, tc.cause, tc.contains)
		}
	}
	l := r[10].list(t)
	if len(l.Topologies) != 1 || l.Topologies[0].Name != "dup" || l.Topologies[0].Status != "ACTIVE" {
		t.Errorf("after the failed submissions: %+v, want only dup ACTIVE", l.Topologies)
	}
}
