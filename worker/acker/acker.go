package acker

import "github.com/galeproject/gale/worker/internal/rotating"

// Component and stream ids of the acker (Storm's acker.clj).
const (
	ComponentID        = "__acker"
	InitStream         = "__ack_init"
	AckStream          = "__ack_ack"
	FailStream         = "__ack_fail"
	ResetTimeoutStream = "__ack_reset_timeout"
)

// Kind says which acker stream a message belongs to.
type Kind uint8

// Kinds of acker messages.
const (
	Init Kind = iota + 1
	Ack
	Fail
	ResetTimeout
)

// Stream returns the Storm stream id for k ("" for an invalid kind).
func (k Kind) Stream() string {
	switch k {
	case Init:
		return InitStream
	case Ack:
		return AckStream
	case Fail:
		return FailStream
	case ResetTimeout:
		return ResetTimeoutStream
	}
	return ""
}

func (k Kind) String() string {
	if s := k.Stream(); s != "" {
		return s
	}
	return "invalid"
}

// KindOf maps a Storm stream id to a Kind.
func KindOf(stream string) (Kind, bool) {
	switch stream {
	case InitStream:
		return Init, true
	case AckStream:
		return Ack, true
	case FailStream:
		return Fail, true
	case ResetTimeoutStream:
		return ResetTimeout, true
	}
	return 0, false
}

// Input is one tuple received by the acker.
type Input struct {
	Kind Kind
	Root int64
	// Val is the XOR value: for Init the XOR of the spout's edge ids, for Ack the acked edge id
	// XORed with the ids of the edges the bolt anchored to it. Ignored for Fail and ResetTimeout.
	Val int64
	// SpoutTask is the task that emitted the root tuple (Init only).
	SpoutTask int32
}

// Output is a tuple the acker emits directly to a spout task, on stream Kind.Stream() with the
// single value [Root].
type Output struct {
	Kind      Kind // Ack, Fail or ResetTimeout
	Root      int64
	SpoutTask int32
}

// Options configure an Acker.
type Options struct {
	// Buckets is the number of rotating buckets of the pending map (default 3, minimum 2): an entry
	// that sees no message for Buckets-1 to Buckets ticks is dropped silently.
	Buckets int
}

// Stats are cumulative counters of an Acker.
type Stats struct {
	Acked   int64 // trees completed (Ack outputs)
	Failed  int64 // trees failed (Fail outputs)
	Expired int64 // entries dropped by Tick
}

type entry struct {
	val       int64
	spoutTask int32
	hasSpout  bool
	failed    bool
}

// Acker tracks pending tuple trees. It is not safe for concurrent use: one goroutine calls Step,
// Tick and TakeOutbox.
type Acker struct {
	pending *rotating.Map[int64, entry]
	out     []Output
	stats   Stats
	expire  func(int64, entry)
}

// New returns an empty Acker.
func New(opts Options) *Acker {
	if opts.Buckets == 0 {
		opts.Buckets = 3
	}
	a := &Acker{pending: rotating.New[int64, entry](opts.Buckets)}
	a.expire = func(int64, entry) { a.stats.Expired++ }
	return a
}

// Step applies one input. Inputs with an invalid Kind are ignored.
func (a *Acker) Step(in Input) {
	cur, found := a.pending.Take(in.Root)
	switch in.Kind {
	case Init:
		cur.val ^= in.Val
		cur.spoutTask = in.SpoutTask
		cur.hasSpout = true
	case Ack:
		cur.val ^= in.Val
	case Fail:
		cur.failed = true
	case ResetTimeout:
		if !found {
			return
		}
	default:
		if found {
			a.pending.PutNew(in.Root, cur)
		}
		return
	}
	if cur.hasSpout {
		switch {
		case cur.failed:
			a.out = append(a.out, Output{Kind: Fail, Root: in.Root, SpoutTask: cur.spoutTask})
			a.stats.Failed++
			return
		case cur.val == 0:
			a.out = append(a.out, Output{Kind: Ack, Root: in.Root, SpoutTask: cur.spoutTask})
			a.stats.Acked++
			return
		case in.Kind == ResetTimeout:
			a.out = append(a.out, Output{Kind: ResetTimeout, Root: in.Root, SpoutTask: cur.spoutTask})
		}
	}
	a.pending.PutNew(in.Root, cur)
}

// Tick rotates the pending map; entries idle for Buckets-1 to Buckets ticks are dropped without
// output (the spout times the tree out on its own).
func (a *Acker) Tick() {
	a.pending.Rotate(a.expire)
}

// TakeOutbox appends the pending outputs to dst, empties the outbox and returns dst.
func (a *Acker) TakeOutbox(dst []Output) []Output {
	dst = append(dst, a.out...)
	a.out = a.out[:0]
	return dst
}

// Pending returns the number of tracked roots.
func (a *Acker) Pending() int { return a.pending.Len() }

// Stats returns the cumulative counters.
func (a *Acker) Stats() Stats { return a.stats }
