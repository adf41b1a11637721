package acker

import (
	"math/rand/v2"
	"testing"
)

// tree is one random tuple tree as the acker sees it: the messages Storm's executors would send
// for it, in emission order.
type tree struct {
	root      int64
	spoutTask int32
	msgs      []Input
	failing   bool
}

// genTree builds a tuple tree the way Storm's executors do: the spout sends k tuples with fresh
// edge ids and __ack_init with their XOR; every bolt that receives a tuple with edge id e may emit
// children anchored on it (fresh edge ids c_j, XORed into its ack value) and then acks with
// e ^ c_1 ^ … or fails.
func genTree(r *rand.Rand, root int64, spoutTask int32, failRate float64) tree {
	tr := tree{root: root, spoutTask: spoutTask}
	var live []int64
	var init int64
	for range 1 + r.IntN(3) {
		e := r.Int64()
		init ^= e
		live = append(live, e)
	}
	tr.msgs = append(tr.msgs, Input{Kind: Init, Root: root, Val: init, SpoutTask: spoutTask})
	budget := 4 + r.IntN(30)
	for len(live) > 0 {
		e := live[0]
		live = live[1:]
		ackVal := int64(0)
		if budget > 0 {
			for range r.IntN(4) {
				c := r.Int64()
				ackVal ^= c
				live = append(live, c)
				budget--
			}
		}
		if r.Float64() < failRate {
			tr.failing = true
			tr.msgs = append(tr.msgs, Input{Kind: Fail, Root: root})
		} else {
			tr.msgs = append(tr.msgs, Input{Kind: Ack, Root: root, Val: e ^ ackVal})
		}
		if r.IntN(10) == 0 {
			tr.msgs = append(tr.msgs, Input{Kind: ResetTimeout, Root: root})
		}
	}
	return tr
}

type delivery struct {
	tree int
	msg  Input
}

// TestPropertyXORZeroOnlyOnCompleteTree interleaves many random trees in random order and checks
// after every single message that: an Ack is emitted for a tree exactly when its last init/ack
// message has been delivered and it has no failure; a Fail is emitted exactly when its init and its first fail
// have both been delivered; nothing else is ever emitted except reset-timeouts after init.
func TestPropertyXORZeroOnlyOnCompleteTree(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
		a := New(Options{Buckets: 2 + r.IntN(3)})
		ntrees := 1 + r.IntN(20)
		trees := make([]tree, ntrees)
		var all []delivery
		for i := range trees {
			trees[i] = genTree(r, r.Int64(), int32(r.IntN(5)+1), []float64{0, 0.05, 0.3}[r.IntN(3)])
			for _, m := range trees[i].msgs {
				all = append(all, delivery{i, m})
			}
		}
		r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })

		remaining := make([]int, ntrees)
		initSeen := make([]bool, ntrees)
		failSeen := make([]bool, ntrees)
		done := make([]bool, ntrees)
		for i, tr := range trees {
			for _, m := range tr.msgs {
				if m.Kind != ResetTimeout {
					remaining[i]++ // reset-timeouts may trail the last ack
				}
			}
		}
		byRoot := map[int64]int{}
		for i, tr := range trees {
			byRoot[tr.root] = i
		}
		var buf []Output
		for step, d := range all {
			a.Step(d.msg)
			if d.msg.Kind != ResetTimeout {
				remaining[d.tree]--
			}
			switch d.msg.Kind {
			case Init:
				initSeen[d.tree] = true
			case Fail:
				failSeen[d.tree] = true
			}
			buf = a.TakeOutbox(buf[:0])
			// Expected terminal output for the tree touched by this message, if any.
			i := d.tree
			tr := trees[i]
			wantAck := !done[i] && !tr.failing && remaining[i] == 0
			wantFail := !done[i] && initSeen[i] && failSeen[i]
			wantReset := !done[i] && !wantAck && !wantFail && initSeen[i] && d.msg.Kind == ResetTimeout
			var got []Output
			for _, o := range buf {
				if byRoot[o.Root] != i {
					t.Fatalf("seed %d step %d: output %v for a tree not touched", seed, step, o)
				}
				got = append(got, o)
			}
			switch {
			case wantAck:
				if len(got) != 1 || got[0] != (Output{Ack, tr.root, tr.spoutTask}) {
					t.Fatalf("seed %d step %d: want ack of complete tree, got %v", seed, step, got)
				}
				done[i] = true
			case wantFail:
				if len(got) != 1 || got[0] != (Output{Fail, tr.root, tr.spoutTask}) {
					t.Fatalf("seed %d step %d: want fail, got %v", seed, step, got)
				}
				done[i] = true
			case wantReset:
				if len(got) != 1 || got[0] != (Output{ResetTimeout, tr.root, tr.spoutTask}) {
					t.Fatalf("seed %d step %d: want reset-timeout, got %v", seed, step, got)
				}
			default:
				if len(got) != 0 {
					t.Fatalf("seed %d step %d (remaining %d, failing %v): unexpected %v",
						seed, step, remaining[i], tr.failing, got)
				}
			}
		}
		for i, tr := range trees {
			if !done[i] {
				t.Fatalf("seed %d: tree %d (failing %v) never finished", seed, i, tr.failing)
			}
		}
		if s := a.Stats(); int(s.Acked+s.Failed) != ntrees {
			t.Fatalf("seed %d: stats %+v for %d trees", seed, s, ntrees)
		}
	}
}
