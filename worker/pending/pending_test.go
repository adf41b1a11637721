package pending

import (
	"errors"
	"testing"
)

func TestLimit(t *testing.T) {
	tests := []struct {
		p    int64
		n    int
		want int
	}{{0, 3, 0}, {-1, 3, 0}, {10, 1, 10}, {10, 3, 30}}
	for _, tt := range tests {
		if got := Limit(tt.p, tt.n); got != tt.want {
			t.Errorf("Limit(%d,%d) = %d, want %d", tt.p, tt.n, got, tt.want)
		}
	}
}

func TestAckFailLatency(t *testing.T) {
	tr := New(Options{})
	tr.Add(1, Entry{Task: 5, MsgID: "m1", Stream: "default", StartMs: 1000})
	tr.Add(2, Entry{Task: 5, MsgID: "m2", Stream: "s2", StartMs: 1100})
	if ok, err := tr.Ack(1, 5, 1250); !ok || err != nil {
		t.Fatalf("Ack = %v, %v", ok, err)
	}
	if ok, err := tr.Fail(2, 5, 1300); !ok || err != nil {
		t.Fatalf("Fail = %v, %v", ok, err)
	}
	if ok, _ := tr.Ack(1, 5, 1400); ok {
		t.Fatal("duplicate ack found the root")
	}
	got := tr.TakeOutbox(nil)
	want := []Result{
		{Root: 1, Entry: Entry{Task: 5, MsgID: "m1", Stream: "default", StartMs: 1000}, Reason: Acked, LatencyMs: 250},
		{Root: 2, Entry: Entry{Task: 5, MsgID: "m2", Stream: "s2", StartMs: 1100}, Reason: Failed, LatencyMs: 200},
	}
	if len(got) != len(want) {
		t.Fatalf("outbox %+v", got)
	}
	for i := range want {
		if got[i].Root != want[i].Root || got[i].MsgID != want[i].MsgID || got[i].Reason != want[i].Reason ||
			got[i].LatencyMs != want[i].LatencyMs || got[i].Stream != want[i].Stream {
			t.Fatalf("result %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if tr.Len() != 0 {
		t.Fatalf("Len = %d", tr.Len())
	}
}

func TestTaskMismatch(t *testing.T) {
	tr := New(Options{})
	tr.Add(9, Entry{Task: 3})
	_, err := tr.Ack(9, 4, 0)
	var tm *TaskMismatchError
	if !errors.As(err, &tm) || tm.Expected != 3 || tm.Task != 4 {
		t.Fatalf("err = %v", err)
	}
}

func TestTimeoutsAfterOneToTwoTicks(t *testing.T) {
	tr := New(Options{})
	for root := int64(10); root > 0; root-- { // emission order 10, 9, ..., 1
		tr.Add(root, Entry{Task: 1, MsgID: root, StartMs: 100 - root})
	}
	tr.Tick(1000)
	if out := tr.TakeOutbox(nil); len(out) != 0 {
		t.Fatalf("timed out after one tick: %v", out)
	}
	tr.Add(11, Entry{Task: 1, MsgID: int64(11), StartMs: 500}) // emitted between the ticks
	if !tr.ResetTimeout(4) {
		t.Fatal("ResetTimeout(4) not found")
	}
	if tr.ResetTimeout(99) {
		t.Fatal("ResetTimeout(99) found")
	}
	tr.Tick(2000)
	out := tr.TakeOutbox(nil)
	if len(out) != 9 {
		t.Fatalf("%d timeouts after two ticks, want 9: %v", len(out), out)
	}
	wantOrder := []int64{10, 9, 8, 7, 6, 5, 3, 2, 1}
	for i, r := range out {
		if r.Root != wantOrder[i] || r.Reason != TimedOut {
			t.Fatalf("timeout %d = root %d reason %v, want %d TIMEOUT", i, r.Root, r.Reason, wantOrder[i])
		}
		if r.LatencyMs != 2000-r.StartMs {
			t.Fatalf("latency %d", r.LatencyMs)
		}
	}
	if tr.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (reset root 4 and late root 11)", tr.Len())
	}
	tr.Tick(3000)
	out = tr.TakeOutbox(out[:0])
	if len(out) != 2 || out[0].Root != 4 || out[1].Root != 11 { // emission order
		t.Fatalf("third tick: %v", out)
	}
}

func TestWindow(t *testing.T) {
	tr := New(Options{MaxPending: Limit(2, 1)})
	if tr.Full() {
		t.Fatal("empty tracker full")
	}
	tr.Add(1, Entry{})
	tr.Add(2, Entry{})
	if !tr.Full() || tr.Max() != 2 {
		t.Fatal("window of 2 not full with 2 in flight")
	}
	tr.Ack(1, 0, 0)
	if tr.Full() {
		t.Fatal("full after an ack")
	}
	if New(Options{}).Full() {
		t.Fatal("unbounded tracker full")
	}
}

func TestReasonString(t *testing.T) {
	for r, s := range map[Reason]string{Acked: "ACKED", Failed: "FAIL-STREAM", TimedOut: "TIMEOUT", 0: "invalid"} {
		if r.String() != s {
			t.Errorf("%d.String() = %q", r, r.String())
		}
	}
}

func TestAddAckAllocs(t *testing.T) {
	tr := New(Options{})
	out := make([]Result, 0, 4)
	var msg any = "id"
	for i := range int64(1000) {
		tr.Add(i, Entry{Task: 1, MsgID: msg})
		tr.Ack(i, 1, 0)
	}
	out = tr.TakeOutbox(out[:0])
	root := int64(1 << 40)
	allocs := testing.AllocsPerRun(1000, func() {
		root++
		tr.Add(root, Entry{Task: 1, MsgID: msg, Stream: "default"})
		tr.Ack(root, 1, 5)
		out = tr.TakeOutbox(out[:0])
	})
	if allocs > 0 {
		t.Fatalf("allocs per add+ack = %v", allocs)
	}
}
