package nimbus

import (
	"context"
	"testing"
	"time"

	"github.com/galeproject/gale/stormthrift"
)

func TestLogConfigMerge(t *testing.T) {
	clock := newFakeClock()
	h := startNimbus(t, harnessOpts{clock: clock})
	ctx := context.Background()
	c := h.client()
	id := h.submit(c, "logs", `{}`, stormthrift.TopologyInitialStatus_ACTIVE)

	lc, err := c.GetLogConfig(ctx, id)
	if err != nil || len(lc.GetNamedLoggerLevel()) != 0 {
		t.Fatalf("initial log config %v %v", lc, err)
	}
	level := func(action stormthrift.LogLevelAction, lvl string, timeout int32) *stormthrift.LogLevel {
		return &stormthrift.LogLevel{Action: action, TargetLogLevel: ptr(lvl), ResetLogLevelTimeoutSecs: ptr(timeout), ResetLogLevel: ptr("INFO")}
	}
	steps := []struct {
		set  map[string]*stormthrift.LogLevel
		want map[string]stormthrift.LogLevelAction
	}{
		{map[string]*stormthrift.LogLevel{"ROOT": level(stormthrift.LogLevelAction_UPDATE, "DEBUG", 60)},
			map[string]stormthrift.LogLevelAction{"ROOT": stormthrift.LogLevelAction_UPDATE}},
		{map[string]*stormthrift.LogLevel{"com.foo": level(stormthrift.LogLevelAction_UPDATE, "WARN", 0)},
			map[string]stormthrift.LogLevelAction{"ROOT": stormthrift.LogLevelAction_UNCHANGED, "com.foo": stormthrift.LogLevelAction_UPDATE}},
		{map[string]*stormthrift.LogLevel{"com.foo": {Action: stormthrift.LogLevelAction_REMOVE}},
			map[string]stormthrift.LogLevelAction{"ROOT": stormthrift.LogLevelAction_UNCHANGED}},
	}
	for i, s := range steps {
		if err := c.SetLogConfig(ctx, id, &stormthrift.LogConfig{NamedLoggerLevel: s.set}); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		lc, err := c.GetLogConfig(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got := lc.GetNamedLoggerLevel()
		if len(got) != len(s.want) {
			t.Fatalf("step %d: loggers %v, want %v", i, got, s.want)
		}
		for name, action := range s.want {
			if got[name] == nil || got[name].GetAction() != action {
				t.Fatalf("step %d: %s = %v, want action %v", i, name, got[name], action)
			}
		}
	}
	lc, _ = c.GetLogConfig(ctx, id)
	if root := lc.GetNamedLoggerLevel()["ROOT"]; root.GetResetLogLevelTimeoutEpoch() != clock.Now().Add(60*time.Second).UnixMilli() || root.GetTargetLogLevel() != "DEBUG" {
		t.Fatalf("ROOT = %v", root)
	}
	wantErr(t, c.SetLogConfig(ctx, id, &stormthrift.LogConfig{NamedLoggerLevel: map[string]*stormthrift.LogLevel{" ": level(stormthrift.LogLevelAction_UPDATE, "DEBUG", 0)}}),
		"Internal", "Named loggers need a valid name")
	wantErr(t, c.SetLogConfig(ctx, "nope-1-1", &stormthrift.LogConfig{}), "Internal", "nope-1-1")
	_, err = c.GetLogConfig(ctx, "nope-1-1")
	wantErr(t, err, "Internal", "nope-1-1")
}

func TestProfilerRequests(t *testing.T) {
	h := startNimbus(t, harnessOpts{})
	ctx := context.Background()
	c := h.client()
	addSupervisor(t, h.state(), "sup-1", "host-a", 6700)
	id := h.submit(c, "prof", `{}`, stormthrift.TopologyInitialStatus_ACTIVE)
	h.waitAssignment(id, 1+5+8+12)
	req := func(port int64, action stormthrift.ProfileAction, ts int64) *stormthrift.ProfileRequest {
		return &stormthrift.ProfileRequest{NodeInfo: &stormthrift.NodeInfo{Node: "host-a", Port: []int64{port}}, Action: action, TimeStamp: ptr(ts)}
	}
	for _, r := range []*stormthrift.ProfileRequest{
		req(6700, stormthrift.ProfileAction_JPROFILE_STOP, 10),
		req(6700, stormthrift.ProfileAction_JSTACK_DUMP, 20),
		req(6701, stormthrift.ProfileAction_JPROFILE_STOP, 30),
	} {
		if err := c.SetWorkerProfiler(ctx, id, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := c.GetComponentPendingProfileActions(ctx, id, "split", stormthrift.ProfileAction_JPROFILE_STOP)
	if err != nil || len(got) != 1 || got[0].GetTimeStamp() != 10 {
		t.Fatalf("pending actions %v %v", got, err)
	}
	got, err = c.GetComponentPendingProfileActions(ctx, id, "split", stormthrift.ProfileAction_JMAP_DUMP)
	if err != nil || len(got) != 0 {
		t.Fatalf("pending JMAP actions %v %v", got, err)
	}
	if ok, _, _ := h.st.Exists(ctx, "/profilerconfigs/"+id+"/host-a_6700_JSTACK_DUMP"); !ok {
		t.Fatal("profiler request node missing")
	}
}
