package storm

import "github.com/galeproject/gale/compat/conf"

// Config is a topology configuration being built, with setters for the common keys (Storm's
// Config). Values are normalized when the topology is submitted.
type Config map[string]any

// Conf returns c normalized as the Conf components receive.
func (c Config) Conf() (Conf, error) { return conf.FromMap(c) }

func (c Config) SetNumWorkers(n int)          { c[conf.TopologyWorkers] = int64(n) }
func (c Config) SetNumAckers(n int)           { c[conf.TopologyAckerExecutors] = int64(n) }
func (c Config) SetNumEventLoggers(n int)     { c[conf.TopologyEventloggerExecutors] = int64(n) }
func (c Config) SetMessageTimeoutSecs(s int)  { c[conf.TopologyMessageTimeoutSecs] = int64(s) }
func (c Config) SetMaxSpoutPending(n int)     { c[conf.TopologyMaxSpoutPending] = int64(n) }
func (c Config) SetMaxTaskParallelism(n int)  { c[conf.TopologyMaxTaskParallelism] = int64(n) }
func (c Config) SetDebug(on bool)             { c[conf.TopologyDebug] = on }
func (c Config) SetStatsSampleRate(r float64) { c[conf.TopologyStatsSampleRate] = r }
func (c Config) SetTickTupleFreqSecs(s int)   { c[conf.TopologyTickTupleFreqSecs] = int64(s) }
func (c Config) SetNumTasks(n int)            { c[conf.TopologyTasks] = int64(n) }
func (c Config) SetFallBackOnJavaSerialization(on bool) {
	c[conf.TopologyFallBackOnJavaSerialization] = on
}
