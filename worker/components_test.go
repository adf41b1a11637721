package worker

import (
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/galeproject/gale/storm"
)

// ledger records what the test components saw; it is shared by every task of a test.
type ledger struct {
	mu        sync.Mutex
	n         int
	acked     map[int]int
	failed    map[int]int
	attempts  map[int]int // split bolt executions per sentence id
	counts    map[string]int64
	ticks     int
	maxPend   int
	opened    int
	activated int
	deact     int
	closed    int
	nextCalls int
	latencies []time.Duration
}

func newLedger(n int) *ledger {
	return &ledger{n: n, acked: map[int]int{}, failed: map[int]int{}, attempts: map[int]int{}, counts: map[string]int64{}}
}

func sentence(i int) string { return fmt.Sprintf("w%d x%d y%d w%d", i%7, i%11, i%3, i%5) }

func expectedCounts(n int) map[string]int64 {
	m := map[string]int64{}
	for i := range n {
		for _, w := range strings.Fields(sentence(i)) {
			m[w]++
		}
	}
	return m
}

func (l *ledger) allAcked() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.acked) != l.n {
		return fmt.Errorf("%d of %d ids acked (%d failures so far)", len(l.acked), l.n, len(l.failed))
	}
	return nil
}

func (l *ledger) snapshotCounts() map[string]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.counts)
}

// sentenceSpout emits sentences [id, sentence] with the id as message id, each id once, and
// re-emits failed ids. Tasks split the ids between them.
type sentenceSpout struct {
	storm.BaseSpout
	l      *ledger
	out    storm.SpoutOutputCollector
	k      int // ids of this task: next, next+k, … below l.n
	next   int
	replay []int
	sent   map[int]time.Time
}

func (s *sentenceSpout) DeclareOutputFields(d storm.OutputFieldsDeclarer) {
	d.Declare("id", "sentence")
}

func (s *sentenceSpout) Open(_ storm.Conf, ctx *storm.TopologyContext, out storm.SpoutOutputCollector) error {
	s.out = out
	s.sent = map[int]time.Time{}
	s.k = len(ctx.ComponentTasks(ctx.ThisComponentID()))
	s.next = ctx.ThisTaskIndex()
	s.l.mu.Lock()
	s.l.opened++
	s.l.mu.Unlock()
	return nil
}

func (s *sentenceSpout) Activate() {
	s.l.mu.Lock()
	s.l.activated++
	s.l.mu.Unlock()
}

func (s *sentenceSpout) Deactivate() {
	s.l.mu.Lock()
	s.l.deact++
	s.l.mu.Unlock()
}

func (s *sentenceSpout) Close() {
	s.l.mu.Lock()
	s.l.closed++
	s.l.mu.Unlock()
}

func (s *sentenceSpout) NextTuple() {
	s.l.mu.Lock()
	s.l.nextCalls++
	s.l.maxPend = max(s.l.maxPend, s.out.PendingCount())
	s.l.mu.Unlock()
	var id int
	switch {
	case len(s.replay) > 0:
		id, s.replay = s.replay[0], s.replay[1:]
	case s.next < s.l.n:
		id = s.next
		s.next += s.k
	default:
		return
	}
	s.sent[id] = time.Now()
	s.out.Emit(storm.Values{int64(id), sentence(id)}, id)
}

func (s *sentenceSpout) Ack(msgID any) {
	id := msgID.(int)
	s.l.mu.Lock()
	s.l.acked[id]++
	if t, ok := s.sent[id]; ok {
		s.l.latencies = append(s.l.latencies, time.Since(t))
	}
	s.l.mu.Unlock()
}

func (s *sentenceSpout) Fail(msgID any) {
	id := msgID.(int)
	s.l.mu.Lock()
	s.l.failed[id]++
	s.l.mu.Unlock()
	s.replay = append(s.replay, id)
}

// splitBolt splits sentences into words, anchored on the sentence. mode makes the first attempt
// of every tenth id fail ("fail") or vanish without ack or fail ("drop").
type splitBolt struct {
	storm.BaseBolt
	l    *ledger
	mode string
	out  storm.OutputCollector
}

func (b *splitBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("word") }

func (b *splitBolt) Prepare(_ storm.Conf, _ *storm.TopologyContext, out storm.OutputCollector) error {
	b.out = out
	return nil
}

func (b *splitBolt) Execute(t *storm.Tuple) {
	if t.IsTick() {
		b.l.mu.Lock()
		b.l.ticks++
		b.l.mu.Unlock()
		b.out.Ack(t)
		return
	}
	id, _ := t.Int64(0)
	b.l.mu.Lock()
	b.l.attempts[int(id)]++
	first := b.l.attempts[int(id)] == 1
	b.l.mu.Unlock()
	if first && id%10 == 0 {
		switch b.mode {
		case "fail":
			b.out.Fail(t)
			return
		case "drop":
			return
		}
	}
	s, _ := t.String(1)
	for _, w := range strings.Fields(s) {
		b.out.Emit(storm.Values{w}, t)
	}
	b.out.Ack(t)
}

// countBolt counts words into the ledger.
type countBolt struct {
	storm.BaseBolt
	l   *ledger
	out storm.OutputCollector
}

func (b *countBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("word", "count") }

func (b *countBolt) Prepare(_ storm.Conf, _ *storm.TopologyContext, out storm.OutputCollector) error {
	b.out = out
	return nil
}

func (b *countBolt) Execute(t *storm.Tuple) {
	w, _ := t.String(0)
	b.l.mu.Lock()
	b.l.counts[w]++
	b.l.mu.Unlock()
	b.out.Ack(t)
}

// wordCountApp registers the word count components over l.
func wordCountApp(l *ledger, splitMode string) *storm.App {
	app := storm.NewApp()
	app.RegisterSpout("test.sentences", func() storm.Spout { return &sentenceSpout{l: l} })
	app.RegisterBolt("test.split", func() storm.Bolt { return &splitBolt{l: l, mode: splitMode} })
	app.RegisterBolt("test.count", func() storm.Bolt { return &countBolt{l: l} })
	return app
}

// numberSpout emits [n] for n in 0..l.n-1 with message id n, replaying failures. With badEvery
// > 0 the first attempt of every badEvery-th id is emitted on an undeclared stream instead.
type numberSpout struct {
	storm.BaseSpout
	l        *ledger
	badEvery int
	side     bool // also emit every n unanchored on stream "side"
	out      storm.SpoutOutputCollector
	next     int
	replay   []int
	tried    map[int]bool
}

func (s *numberSpout) DeclareOutputFields(d storm.OutputFieldsDeclarer) {
	d.Declare("n")
	if s.side {
		d.DeclareStream("side", "n")
	}
}

func (s *numberSpout) Open(_ storm.Conf, _ *storm.TopologyContext, out storm.SpoutOutputCollector) error {
	s.out, s.tried = out, map[int]bool{}
	return nil
}

func (s *numberSpout) NextTuple() {
	var id int
	switch {
	case len(s.replay) > 0:
		id, s.replay = s.replay[0], s.replay[1:]
	case s.next < s.l.n:
		id = s.next
		s.next++
	default:
		return
	}
	if s.badEvery > 0 && id%s.badEvery == 0 && !s.tried[id] {
		s.tried[id] = true
		s.out.EmitStream("undeclared", storm.Values{int64(id)}, id)
		return
	}
	s.out.Emit(storm.Values{int64(id)}, id)
	if s.side {
		s.out.EmitStream("side", storm.Values{int64(id)}, nil)
	}
}

func (s *numberSpout) Ack(msgID any) {
	s.l.mu.Lock()
	s.l.acked[msgID.(int)]++
	s.l.mu.Unlock()
}

func (s *numberSpout) Fail(msgID any) {
	s.l.mu.Lock()
	s.l.failed[msgID.(int)]++
	s.l.mu.Unlock()
	s.replay = append(s.replay, msgID.(int))
}

// recorder keeps what record bolts received: component → task → values.
type recorder struct {
	mu   sync.Mutex
	seen map[string]map[int32][]any
}

func newRecorder() *recorder { return &recorder{seen: map[string]map[int32][]any{}} }

func (r *recorder) add(comp string, task int32, v any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[comp] == nil {
		r.seen[comp] = map[int32][]any{}
	}
	r.seen[comp][task] = append(r.seen[comp][task], v)
}

func (r *recorder) get(comp string) map[int32][]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[int32][]any{}
	for k, v := range r.seen[comp] {
		out[k] = append([]any(nil), v...)
	}
	return out
}

func (r *recorder) total(comp string) int {
	n := 0
	for _, v := range r.get(comp) {
		n += len(v)
	}
	return n
}

// recordBolt records the first value of every input and acks it; hold, if set, blocks Execute
// until it is closed; sleep slows Execute down.
type recordBolt struct {
	storm.BaseBolt
	r     *recorder
	hold  chan struct{}
	sleep time.Duration
	ctx   *storm.TopologyContext
	out   storm.OutputCollector
}

func (b *recordBolt) DeclareOutputFields(storm.OutputFieldsDeclarer) {}

func (b *recordBolt) Prepare(_ storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	b.ctx, b.out = ctx, out
	return nil
}

func (b *recordBolt) Execute(t *storm.Tuple) {
	if b.hold != nil {
		<-b.hold
	}
	for start := time.Now(); time.Since(start) < b.sleep; { // spin: sleeps are too coarse
	}
	b.r.add(b.ctx.ThisComponentID(), b.ctx.ThisTaskID(), t.Value(0))
	b.out.Ack(t)
}

// routerBolt emits every n directly to sink task n%len(sinks) on stream "direct" and to every
// task of "asink" on stream "all", anchored; once it also tries an emitDirect to a spout task,
// which does not subscribe (a reported error).
type routerBolt struct {
	storm.BaseBolt
	out   storm.OutputCollector
	ctx   *storm.TopologyContext
	tried bool
}

func (b *routerBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) {
	d.DeclareDirectStream("direct", "n")
	d.DeclareStream("all", "n")
}

func (b *routerBolt) Prepare(_ storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	b.ctx, b.out = ctx, out
	return nil
}

func (b *routerBolt) Execute(t *storm.Tuple) {
	n, _ := t.Int64(0)
	sinks := b.ctx.ComponentTasks("dsink")
	if !b.tried {
		b.tried = true
		b.out.EmitDirect(b.ctx.ComponentTasks("spout")[0], "direct", storm.Values{n})
	}
	b.out.EmitDirect(sinks[int(n)%len(sinks)], "direct", storm.Values{n}, t)
	b.out.EmitStream("all", storm.Values{n}, t)
	b.out.Ack(t)
}

// hopBolt sends [n, hops+1] on until hops reaches 20; ping and pong form a cycle.
type hopBolt struct {
	storm.BaseBolt
	r   *recorder
	ctx *storm.TopologyContext
	out storm.OutputCollector
}

func (b *hopBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("n", "hops") }

func (b *hopBolt) Prepare(_ storm.Conf, ctx *storm.TopologyContext, out storm.OutputCollector) error {
	b.ctx, b.out = ctx, out
	return nil
}

func (b *hopBolt) Execute(t *storm.Tuple) {
	n, _ := t.Int64(0)
	hops, _ := t.Int64(1) // 0 from the spout, which sends one field
	if hops < 20 {
		b.out.Emit(storm.Values{n, hops + 1}, t)
	} else {
		b.r.add("done", 0, n)
	}
	b.out.Ack(t)
}

// pairBolt emits one tuple per two inputs, anchored on both, then acks both.
type pairBolt struct {
	storm.BaseBolt
	out  storm.OutputCollector
	prev *storm.Tuple
}

func (b *pairBolt) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("a", "b") }

func (b *pairBolt) Prepare(_ storm.Conf, _ *storm.TopologyContext, out storm.OutputCollector) error {
	b.out = out
	return nil
}

func (b *pairBolt) Execute(t *storm.Tuple) {
	if b.prev == nil {
		b.prev = t
		return
	}
	b.out.Emit(storm.Values{b.prev.Value(0), t.Value(0)}, b.prev, t)
	b.out.Ack(b.prev)
	b.out.Ack(t)
	b.prev = nil
}

// failOnceBolt fails the first pair it sees whose first value is a multiple of 10, acks the rest.
type failOnceBolt struct {
	storm.BaseBolt
	out  storm.OutputCollector
	seen map[int64]bool
}

func (b *failOnceBolt) DeclareOutputFields(storm.OutputFieldsDeclarer) {}

func (b *failOnceBolt) Prepare(_ storm.Conf, _ *storm.TopologyContext, out storm.OutputCollector) error {
	b.out, b.seen = out, map[int64]bool{}
	return nil
}

func (b *failOnceBolt) Execute(t *storm.Tuple) {
	a, _ := t.Int64(0)
	if a%10 == 0 && !b.seen[a] {
		b.seen[a] = true
		b.out.Fail(t)
		return
	}
	b.out.Ack(t)
}
