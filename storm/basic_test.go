package storm_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/galeproject/gale/storm"
)

// recorder is an OutputCollector that records calls (the real one is the worker's executor).
type recorder struct{ calls []string }

func (r *recorder) Emit(values storm.Values, anchors ...*storm.Tuple) []int32 {
	return r.EmitStream(storm.DefaultStream, values, anchors...)
}
func (r *recorder) EmitStream(stream string, values storm.Values, anchors ...*storm.Tuple) []int32 {
	r.calls = append(r.calls, fmt.Sprintf("emit %s %v anchors=%d", stream, values, len(anchors)))
	return nil
}
func (r *recorder) EmitDirect(task int32, stream string, values storm.Values, anchors ...*storm.Tuple) {
	r.calls = append(r.calls, fmt.Sprintf("direct %d %s %v anchors=%d", task, stream, values, len(anchors)))
}
func (r *recorder) Ack(t *storm.Tuple)          { r.calls = append(r.calls, "ack") }
func (r *recorder) Fail(t *storm.Tuple)         { r.calls = append(r.calls, "fail") }
func (r *recorder) ResetTimeout(t *storm.Tuple) { r.calls = append(r.calls, "reset") }
func (r *recorder) ReportError(err error)       { r.calls = append(r.calls, "report "+err.Error()) }

type scripted struct {
	storm.BaseBasicBolt
	err error
}

func (scripted) DeclareOutputFields(d storm.OutputFieldsDeclarer) { d.Declare("w") }
func (s scripted) Execute(t *storm.Tuple, out storm.BasicOutputCollector) error {
	out.Emit(storm.Values{"a"})
	out.EmitStream("s2", storm.Values{"b"})
	out.EmitDirect(7, "d", storm.Values{"c"})
	out.ResetTimeout(t)
	return s.err
}

func TestBasicBoltExecutor(t *testing.T) {
	tests := []struct {
		name string
		err  error
		last []string
	}{
		{"success acks", nil, []string{"ack"}},
		{"error fails", errors.New("boom"), []string{"fail"}},
		{"reported error reports and fails", storm.ReportedFailure(errors.New("bad")), []string{"report bad", "fail"}},
	}
	for _, tt := range tests {
		rec := &recorder{}
		b := storm.NewBasicBoltExecutor(scripted{err: tt.err})
		if err := b.Prepare(nil, nil, rec); err != nil {
			t.Fatal(err)
		}
		b.Execute(&storm.Tuple{Values: storm.Values{"x"}})
		b.Cleanup()
		want := append([]string{"emit default [a] anchors=1", "emit s2 [b] anchors=1", "direct 7 d [c] anchors=1", "reset"}, tt.last...)
		if !slices.Equal(rec.calls, want) {
			t.Errorf("%s: calls %q, want %q", tt.name, rec.calls, want)
		}
	}
}
