package worker

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/galeproject/gale/components"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/worker/tuple"
)

// Storm's built-in test components (TestWordSpout, TestWordCounter, …), driven natively from the
// logic in package components.

// builtinSpout is TestWordSpout: every NextTuple waits components.WordSpoutSleep, then emits a
// random word without a message id.
type builtinSpout struct {
	x     *executor
	logic *components.WordSpout
	rng   *rand.Rand
	out   storm.SpoutOutputCollector
	timer *time.Timer
}

func newBuiltinSpout(x *executor, _ *components.Builtin) *builtinSpout {
	return &builtinSpout{x: x, logic: components.NewWordSpout(), rng: rand.New(rand.NewPCG(x.rng.Uint64(), x.rng.Uint64()))}
}

func (s *builtinSpout) DeclareOutputFields(storm.OutputFieldsDeclarer) {}

func (s *builtinSpout) Open(_ storm.Conf, _ *storm.TopologyContext, out storm.SpoutOutputCollector) error {
	s.out = out
	s.timer = time.NewTimer(time.Hour)
	s.timer.Stop()
	return nil
}

func (s *builtinSpout) NextTuple() {
	s.timer.Reset(components.WordSpoutSleep)
	select {
	case <-s.timer.C:
	case <-s.x.w.stop:
		s.timer.Stop()
		return
	}
	s.out.Emit(s.logic.Next(s.rng), nil)
}

func (s *builtinSpout) Close()      {}
func (s *builtinSpout) Activate()   {}
func (s *builtinSpout) Deactivate() {}
func (s *builtinSpout) Ack(any)     {}
func (s *builtinSpout) Fail(any)    {}

// builtinBolt runs a built-in bolt's logic: emits (anchored where the Java bolt anchors), then
// acks the input. An error is what the Java bolt would have thrown: the worker dies of it.
type builtinBolt struct {
	x     *executor
	logic components.BoltLogic
	out   storm.OutputCollector
}

func (b *builtinBolt) DeclareOutputFields(storm.OutputFieldsDeclarer) {}

func (b *builtinBolt) Prepare(_ storm.Conf, _ *storm.TopologyContext, out storm.OutputCollector) error {
	b.out = out
	return nil
}

func (b *builtinBolt) Execute(t *tuple.Tuple) {
	if t.IsTick() {
		b.out.Ack(t)
		return
	}
	emits, err := b.logic.Execute(t.Values)
	if err != nil {
		panic(fmt.Errorf("built-in bolt %s: %w", b.x.comp.id, err))
	}
	for _, e := range emits {
		if e.Anchored {
			b.out.Emit(e.Values, t)
		} else {
			b.out.Emit(e.Values)
		}
	}
	b.out.Ack(t)
}

func (b *builtinBolt) Cleanup() {}
