package storm

import "errors"

// ReportedFailedError makes a BasicBolt's failure also reported to the cluster (Storm's
// ReportedFailedException). Return ReportedFailure(err) from Execute.
type ReportedFailedError struct{ Err error }

func (e *ReportedFailedError) Error() string { return e.Err.Error() }
func (e *ReportedFailedError) Unwrap() error { return e.Err }

// ReportedFailure wraps err so that the input fails and err is reported.
func ReportedFailure(err error) error { return &ReportedFailedError{Err: err} }

// NewBasicBoltExecutor adapts a BasicBolt to a Bolt (Storm's BasicBoltExecutor): emits are anchored
// on the input; the input is acked when Execute returns nil and failed when it returns an error,
// which is also reported when it is a ReportedFailedError.
func NewBasicBoltExecutor(b BasicBolt) Bolt { return &basicBoltExecutor{bolt: b} }

type basicBoltExecutor struct {
	bolt BasicBolt
	out  OutputCollector
	bc   basicCollector
}

func (e *basicBoltExecutor) DeclareOutputFields(d OutputFieldsDeclarer) {
	e.bolt.DeclareOutputFields(d)
}

// ComponentConfiguration forwards the wrapped bolt's configuration.
func (e *basicBoltExecutor) ComponentConfiguration() map[string]any {
	if c, ok := e.bolt.(ComponentConfigurer); ok {
		return c.ComponentConfiguration()
	}
	return nil
}

func (e *basicBoltExecutor) Prepare(conf Conf, ctx *TopologyContext, out OutputCollector) error {
	e.out = out
	e.bc.out = out
	return e.bolt.Prepare(conf, ctx)
}

func (e *basicBoltExecutor) Execute(t *Tuple) {
	e.bc.input = t
	err := e.bolt.Execute(t, &e.bc)
	e.bc.input = nil
	if err == nil {
		e.out.Ack(t)
		return
	}
	var rep *ReportedFailedError
	if errors.As(err, &rep) {
		e.out.ReportError(rep.Err)
	}
	e.out.Fail(t)
}

func (e *basicBoltExecutor) Cleanup() { e.bolt.Cleanup() }

type basicCollector struct {
	out   OutputCollector
	input *Tuple
}

func (c *basicCollector) Emit(values Values) []int32 {
	return c.out.EmitStream(DefaultStream, values, c.input)
}

func (c *basicCollector) EmitStream(stream string, values Values) []int32 {
	return c.out.EmitStream(stream, values, c.input)
}

func (c *basicCollector) EmitDirect(task int32, stream string, values Values) {
	c.out.EmitDirect(task, stream, values, c.input)
}

func (c *basicCollector) ResetTimeout(t *Tuple) { c.out.ResetTimeout(t) }

func (c *basicCollector) ReportError(err error) { c.out.ReportError(err) }
