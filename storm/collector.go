package storm

// Collectors are implemented by the worker runtime and handed to Open/Prepare. They are used only
// from the component's goroutine. Slices of task ids they return belong to the collector and are
// valid until its next call.
//
// Emitting on a stream the component did not declare, with a different number of values than the
// stream's fields, a regular emit on a direct stream or a direct emit on a regular one are
// programming errors: as in Storm, the executor reports the error and the worker dies.

// SpoutOutputCollector emits a spout's tuples (Storm's SpoutOutputCollector).
type SpoutOutputCollector interface {
	// Emit emits values on the default stream. A non-nil msgID makes the tuple reliable: the
	// spout's Ack or Fail is called with it once its tuple tree completes or fails. It returns the
	// task ids the tuple was sent to.
	Emit(values Values, msgID any) []int32
	// EmitStream emits values on stream.
	EmitStream(stream string, values Values, msgID any) []int32
	// EmitDirect emits values on a direct stream to task.
	EmitDirect(task int32, stream string, values Values, msgID any)
	// PendingCount returns the number of reliable tuples in flight.
	PendingCount() int
	// ReportError reports an error to the cluster (shown in the UI); the spout keeps running.
	ReportError(err error)
}

// OutputCollector emits a bolt's tuples and acks its inputs (Storm's OutputCollector).
type OutputCollector interface {
	// Emit emits values on the default stream, anchored on anchors (none: unanchored, so the
	// tuple is not part of any tuple tree). It returns the task ids the tuple was sent to.
	Emit(values Values, anchors ...*Tuple) []int32
	// EmitStream emits values on stream, anchored on anchors.
	EmitStream(stream string, values Values, anchors ...*Tuple) []int32
	// EmitDirect emits values on a direct stream to task, anchored on anchors.
	EmitDirect(task int32, stream string, values Values, anchors ...*Tuple)
	// Ack marks an input processed.
	Ack(t *Tuple)
	// Fail fails an input: the spout that emitted its root is told at once.
	Fail(t *Tuple)
	// ResetTimeout restarts the message timeout of the trees the input belongs to.
	ResetTimeout(t *Tuple)
	// ReportError reports an error to the cluster; the bolt keeps running.
	ReportError(err error)
}

// BasicOutputCollector emits a BasicBolt's tuples, anchored on the input being executed.
type BasicOutputCollector interface {
	Emit(values Values) []int32
	EmitStream(stream string, values Values) []int32
	EmitDirect(task int32, stream string, values Values)
	// ResetTimeout restarts the message timeout of the input's trees.
	ResetTimeout(t *Tuple)
	ReportError(err error)
}
