package transport

import (
	"time"

	"github.com/galeproject/gale/compat/conf"
)

// OptionsFromConf reads Storm's messaging settings from a worker's configuration:
// storm.messaging.netty.transfer.batch.size (BatchBytes), min_wait_ms / max_wait_ms (reconnect
// backoff) and buffer_size (SocketBufferBytes). Other fields keep their defaults.
func OptionsFromConf(c conf.Conf) Options {
	var o Options
	if n, ok := c.Int(conf.StormNettyMessageBatchSize); ok && n > 0 {
		o.BatchBytes = int(n)
	}
	if n, ok := c.Int(conf.StormMessagingNettyMinSleepMs); ok && n > 0 {
		o.MinWait = time.Duration(n) * time.Millisecond
	}
	if n, ok := c.Int(conf.StormMessagingNettyMaxSleepMs); ok && n > 0 {
		o.MaxWait = time.Duration(n) * time.Millisecond
	}
	if n, ok := c.Int(conf.StormMessagingNettyBufferSize); ok && n > 0 {
		o.SocketBufferBytes = int(n)
	}
	return o
}
