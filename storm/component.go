package storm

// Component is what spouts and bolts share: the declaration of their output streams.
type Component interface {
	// DeclareOutputFields declares the component's output streams and their fields. It is called
	// when the topology is built (and must not depend on Open/Prepare having run).
	DeclareOutputFields(d OutputFieldsDeclarer)
}

// ComponentConfigurer is implemented by components that carry their own configuration (Storm's
// getComponentConfiguration); it is stored in the component's json_conf when the topology is built.
type ComponentConfigurer interface {
	ComponentConfiguration() map[string]any
}

// Spout is a source of tuples (Storm's ISpout/IRichSpout). One goroutine calls its methods.
type Spout interface {
	Component
	// Open is called once before anything else, with the topology configuration merged with the
	// component's, the task's context and the collector to emit with.
	Open(conf Conf, ctx *TopologyContext, out SpoutOutputCollector) error
	// Close is called when the spout shuts down (not guaranteed on a killed worker).
	Close()
	// Activate is called when the topology becomes active (also after Open when it is active).
	Activate()
	// Deactivate is called when the topology is deactivated; NextTuple is not called meanwhile.
	Deactivate()
	// NextTuple emits zero or more tuples. It must not block: the executor calls Ack, Fail and
	// NextTuple from the same loop.
	NextTuple()
	// Ack is called when the tuple tree of a message id completed.
	Ack(msgID any)
	// Fail is called when the tuple tree of a message id failed or timed out.
	Fail(msgID any)
}

// Bolt processes tuples (Storm's IBolt/IRichBolt). One goroutine calls its methods.
type Bolt interface {
	Component
	// Prepare is called once before Execute.
	Prepare(conf Conf, ctx *TopologyContext, out OutputCollector) error
	// Execute processes one input tuple; the bolt must Ack or Fail every input (now or later).
	Execute(t *Tuple)
	// Cleanup is called when the bolt shuts down (not guaranteed on a killed worker).
	Cleanup()
}

// BasicBolt is a bolt whose emits are anchored on the input and whose inputs are acked after
// Execute returns nil, or failed when it returns an error (Storm's IBasicBolt). Register one with
// App.RegisterBasicBolt or wrap it with NewBasicBoltExecutor.
type BasicBolt interface {
	Component
	Prepare(conf Conf, ctx *TopologyContext) error
	Execute(t *Tuple, out BasicOutputCollector) error
	Cleanup()
}

// BaseSpout has no-op Close, Activate, Deactivate, Ack and Fail, for embedding.
type BaseSpout struct{}

func (BaseSpout) Close()      {}
func (BaseSpout) Activate()   {}
func (BaseSpout) Deactivate() {}
func (BaseSpout) Ack(any)     {}
func (BaseSpout) Fail(any)    {}

// BaseBolt has a no-op Cleanup, for embedding.
type BaseBolt struct{}

func (BaseBolt) Cleanup() {}

// BaseBasicBolt has no-op Prepare and Cleanup, for embedding.
type BaseBasicBolt struct{}

func (BaseBasicBolt) Prepare(Conf, *TopologyContext) error { return nil }
func (BaseBasicBolt) Cleanup()                             {}
