package acker

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkAckerTree measures one three-message tree (init + two acks), the shape of a spout
// tuple processed by a two-bolt chain. One op = one complete tree.
func BenchmarkAckerTree(b *testing.B) {
	a := New(Options{})
	r := rand.New(rand.NewPCG(1, 2))
	// Keep a realistic number of trees in flight.
	for range 10000 {
		a.Step(Input{Kind: Init, Root: r.Int64(), Val: 1, SpoutTask: 1})
	}
	out := make([]Output, 0, 16)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		root, e1, e2 := r.Int64(), r.Int64(), r.Int64()
		a.Step(Input{Kind: Init, Root: root, Val: e1, SpoutTask: 1})
		a.Step(Input{Kind: Ack, Root: root, Val: e1 ^ e2})
		a.Step(Input{Kind: Ack, Root: root, Val: e2})
		out = a.TakeOutbox(out[:0])
	}
}

func TestAckerStepAllocs(t *testing.T) {
	a := New(Options{})
	out := make([]Output, 0, 16)
	// Warm the maps so steady state is measured.
	for i := range int64(1000) {
		a.Step(Input{Kind: Init, Root: i, Val: 1, SpoutTask: 1})
		a.Step(Input{Kind: Ack, Root: i, Val: 1})
	}
	out = a.TakeOutbox(out[:0])
	var root int64 = 1 << 40
	allocs := testing.AllocsPerRun(1000, func() {
		root++
		a.Step(Input{Kind: Init, Root: root, Val: 3, SpoutTask: 1})
		a.Step(Input{Kind: Ack, Root: root, Val: 3})
		out = a.TakeOutbox(out[:0])
	})
	if allocs > 0 {
		t.Fatalf("allocs per tree = %v, want 0", allocs)
	}
}
