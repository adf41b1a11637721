package components

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// WordSpoutSleep is how long TestWordSpout.nextTuple sleeps before each
// emit.
const WordSpoutSleep = 100 * time.Millisecond

// TestWordSpoutWords returns the words TestWordSpout picks from.
func TestWordSpoutWords() []string {
	return []string{"nathan", "mike", "jackson", "golda", "bertels"}
}

// WordSpout is TestWordSpout: every nextTuple sleeps WordSpoutSleep, then
// emits one random word, unreliably (no message id), on the default
// stream. ack and fail do nothing.
type WordSpout struct {
	words []string
}

// NewWordSpout returns the logic of a TestWordSpout.
func NewWordSpout() *WordSpout { return &WordSpout{words: TestWordSpoutWords()} }

// Next returns the values of the next tuple, choosing with r. The caller
// sleeps WordSpoutSleep first.
func (s *WordSpout) Next(r *rand.Rand) []any {
	return []any{s.words[r.IntN(len(s.words))]}
}

// Emit is one tuple a built-in bolt emits on its default stream.
type Emit struct {
	Values []any
	// Anchored is set when the tuple is anchored to the input.
	Anchored bool
}

// BoltLogic is the behaviour of a built-in bolt. Execute takes one input's
// values and returns the tuples to emit; the input is then acked (all the
// built-ins ack every input). An error is what Java would have thrown (a
// ClassCastException on an unexpected value); Storm's worker dies of it.
type BoltLogic interface {
	Execute(values []any) ([]Emit, error)
}

// OutputFields returns the fields a built-in declares on its default
// stream (IdentityBolt: the fields it was built with).
func (b *Builtin) OutputFields() []string {
	switch b.Class {
	case TestWordSpoutClass:
		return []string{"word"}
	case TestWordCounterClass:
		return []string{"word", "count"}
	case TestGlobalCountClass:
		return []string{"global-count"}
	case TestAggregatesCounterClass:
		return []string{"agg-global"}
	case IdentityBoltClass:
		f, _ := b.Fields["_fields"].([]string)
		return f
	}
	return nil
}

// Bolt returns fresh logic for a built-in bolt (state as after prepare).
func (b *Builtin) Bolt() (BoltLogic, error) {
	switch b.Class {
	case TestWordCounterClass:
		return &wordCounter{counts: map[any]int32{}}, nil
	case TestGlobalCountClass:
		return &globalCount{}, nil
	case TestAggregatesCounterClass:
		return &aggregatesCounter{counts: map[any]int32{}}, nil
	case IdentityBoltClass:
		return identity{}, nil
	}
	return nil, fmt.Errorf("%s is not a built-in bolt", b.Class)
}

// wordCounter is TestWordCounter (a BaseBasicBolt): counts each word and
// emits (word, count), anchored.
type wordCounter struct{ counts map[any]int32 } // keys: string or nil (Java null)

func (c *wordCounter) Execute(values []any) ([]Emit, error) {
	word, err := stringAt(values, 0)
	if err != nil {
		return nil, err
	}
	c.counts[word]++
	return []Emit{{Values: []any{word, c.counts[word]}, Anchored: true}}, nil
}

// globalCount is TestGlobalCount: emits the number of tuples seen so far,
// anchored.
type globalCount struct{ n int32 }

func (c *globalCount) Execute([]any) ([]Emit, error) {
	c.n++
	return []Emit{{Values: []any{c.n}, Anchored: true}}, nil
}

// aggregatesCounter is TestAggregatesCounter: remembers the latest count
// of each word (input (word, count)) and emits their sum, unanchored.
type aggregatesCounter struct{ counts map[any]int32 } // keys: string or nil

func (c *aggregatesCounter) Execute(values []any) ([]Emit, error) {
	word, err := stringAt(values, 0)
	if err != nil {
		return nil, err
	}
	n, err := intAt(values, 1)
	if err != nil {
		return nil, err
	}
	c.counts[word] = n
	var sum int32
	for _, v := range c.counts {
		sum += v // Java int arithmetic wraps the same way
	}
	return []Emit{{Values: []any{sum}}}, nil
}

// identity is IdentityBolt (a BaseBasicBolt): emits its input's values,
// anchored.
type identity struct{}

func (identity) Execute(values []any) ([]Emit, error) {
	return []Emit{{Values: values, Anchored: true}}, nil
}

// stringAt reads a java.lang.String: a string, or nil for null.
func stringAt(values []any, i int) (any, error) {
	if i >= len(values) {
		return nil, fmt.Errorf("tuple has %d values, no index %d", len(values), i)
	}
	switch v := values[i].(type) {
	case string, nil:
		return v, nil
	}
	return nil, fmt.Errorf("value %d is %T, cannot be cast to java.lang.String", i, values[i])
}

// intAt reads a java.lang.Integer; other Go integer types are accepted
// within its range (values from multilang children arrive as int64).
func intAt(values []any, i int) (int32, error) {
	if i >= len(values) {
		return 0, fmt.Errorf("tuple has %d values, no index %d", len(values), i)
	}
	var n int64
	switch v := values[i].(type) {
	case int32:
		return v, nil
	case int:
		n = int64(v)
	case int64:
		n = v
	case int16:
		n = int64(v)
	case int8:
		n = int64(v)
	default:
		return 0, fmt.Errorf("value %d is %T, cannot be cast to java.lang.Integer", i, values[i])
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, fmt.Errorf("value %d (%d) does not fit a java.lang.Integer", i, n)
	}
	return int32(n), nil
}
