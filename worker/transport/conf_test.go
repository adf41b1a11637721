package transport

import (
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
)

func TestOptionsFromConf(t *testing.T) {
	o := OptionsFromConf(conf.Defaults()).withDefaults()
	if o.BatchBytes != 262144 || o.MinWait != 100*time.Millisecond || o.MaxWait != time.Second ||
		o.SocketBufferBytes != 5242880 || o.QueueBytes != 8*262144 {
		t.Fatalf("options from defaults: %+v", o)
	}
	c := conf.Conf{conf.StormNettyMessageBatchSize: int64(1000), conf.StormMessagingNettyMinSleepMs: int64(5)}
	if o := OptionsFromConf(c); o.BatchBytes != 1000 || o.MinWait != 5*time.Millisecond || o.MaxWait != 0 {
		t.Fatalf("options %+v", o)
	}
}
