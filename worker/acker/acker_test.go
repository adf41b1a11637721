package acker

import (
	"testing"
)

func outs(a *Acker) []Output { return a.TakeOutbox(nil) }

func TestStreams(t *testing.T) {
	for _, k := range []Kind{Init, Ack, Fail, ResetTimeout} {
		got, ok := KindOf(k.Stream())
		if !ok || got != k {
			t.Errorf("KindOf(%q) = %v,%v", k.Stream(), got, ok)
		}
	}
	if _, ok := KindOf("default"); ok {
		t.Error("KindOf(default) ok")
	}
	if Kind(0).String() != "invalid" {
		t.Error("invalid kind string")
	}
}

func TestSequences(t *testing.T) {
	const root, task = int64(42), int32(7)
	tests := []struct {
		name    string
		inputs  []Input
		want    []Output
		pending int
	}{
		{
			name:   "init then ack completes",
			inputs: []Input{{Kind: Init, Root: root, Val: 5, SpoutTask: task}, {Kind: Ack, Root: root, Val: 5}},
			want:   []Output{{Ack, root, task}},
		},
		{
			name:   "ack before init completes on init",
			inputs: []Input{{Kind: Ack, Root: root, Val: 5}, {Kind: Init, Root: root, Val: 5, SpoutTask: task}},
			want:   []Output{{Ack, root, task}},
		},
		{
			name:    "partial tree stays pending",
			inputs:  []Input{{Kind: Init, Root: root, Val: 5, SpoutTask: task}, {Kind: Ack, Root: root, Val: 4}},
			pending: 1,
		},
		{
			name:   "fail after init",
			inputs: []Input{{Kind: Init, Root: root, Val: 5, SpoutTask: task}, {Kind: Fail, Root: root}},
			want:   []Output{{Fail, root, task}},
		},
		{
			name:   "fail before init reported on init",
			inputs: []Input{{Kind: Fail, Root: root}, {Kind: Init, Root: root, Val: 5, SpoutTask: task}},
			want:   []Output{{Fail, root, task}},
		},
		{
			name: "failure wins over a zero value",
			inputs: []Input{{Kind: Fail, Root: root}, {Kind: Ack, Root: root, Val: 5},
				{Kind: Init, Root: root, Val: 5, SpoutTask: task}},
			want: []Output{{Fail, root, task}},
		},
		{
			name:    "reset timeout forwarded to spout",
			inputs:  []Input{{Kind: Init, Root: root, Val: 5, SpoutTask: task}, {Kind: ResetTimeout, Root: root}},
			want:    []Output{{ResetTimeout, root, task}},
			pending: 1,
		},
		{
			name:    "reset timeout before init is silent",
			inputs:  []Input{{Kind: Ack, Root: root, Val: 3}, {Kind: ResetTimeout, Root: root}},
			pending: 1,
		},
		{
			name:   "reset timeout for unknown root creates nothing",
			inputs: []Input{{Kind: ResetTimeout, Root: root}},
		},
		{
			name:    "invalid kind ignored",
			inputs:  []Input{{Kind: Init, Root: root, Val: 5, SpoutTask: task}, {Kind: 99, Root: root}},
			pending: 1,
		},
		{
			name: "late acks after completion leave an orphan without output",
			inputs: []Input{{Kind: Init, Root: root, Val: 5, SpoutTask: task}, {Kind: Ack, Root: root, Val: 5},
				{Kind: Ack, Root: root, Val: 9}},
			want:    []Output{{Ack, root, task}},
			pending: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(Options{})
			for _, in := range tt.inputs {
				a.Step(in)
			}
			got := outs(a)
			if len(got) != len(tt.want) {
				t.Fatalf("outputs %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("outputs %v, want %v", got, tt.want)
				}
			}
			if a.Pending() != tt.pending {
				t.Fatalf("pending %d, want %d", a.Pending(), tt.pending)
			}
		})
	}
}

func TestTickExpiresIdleEntries(t *testing.T) {
	a := New(Options{Buckets: 3})
	a.Step(Input{Kind: Init, Root: 1, Val: 1, SpoutTask: 2})
	a.Step(Input{Kind: Init, Root: 2, Val: 1, SpoutTask: 2})
	a.Tick()
	a.Tick()
	// Root 2 stays alive: every message moves it to the newest bucket.
	a.Step(Input{Kind: ResetTimeout, Root: 2})
	if a.Pending() != 2 {
		t.Fatalf("pending %d after 2 ticks, want 2", a.Pending())
	}
	a.Tick()
	if a.Pending() != 1 || a.Stats().Expired != 1 {
		t.Fatalf("pending %d expired %d after 3 ticks, want 1,1", a.Pending(), a.Stats().Expired)
	}
	a.Step(Input{Kind: Ack, Root: 2, Val: 1})
	if got := outs(a); len(got) != 2 || got[1] != (Output{Ack, 2, 2}) {
		t.Fatalf("outputs %v", got)
	}
	// Expired root 1 is forgotten: its late ack makes an orphan, not an output.
	a.Step(Input{Kind: Ack, Root: 1, Val: 1})
	if got := outs(a); len(got) != 0 {
		t.Fatalf("outputs for expired root: %v", got)
	}
	if s := a.Stats(); s.Acked != 1 || s.Failed != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestTakeOutboxReusesDst(t *testing.T) {
	a := New(Options{})
	buf := make([]Output, 0, 8)
	a.Step(Input{Kind: Init, Root: 1, Val: 0, SpoutTask: 3})
	buf = a.TakeOutbox(buf[:0])
	if len(buf) != 1 || buf[0].Kind != Ack {
		t.Fatalf("outbox %v", buf)
	}
	if got := a.TakeOutbox(buf[:0]); len(got) != 0 {
		t.Fatalf("outbox not emptied: %v", got)
	}
}
