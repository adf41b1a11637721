package zk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/compat/conf"
)

// Settings are the connection settings Storm's daemons read from their
// configuration.
type Settings struct {
	Servers           []string // host:port
	Root              string
	SessionTimeout    time.Duration
	ConnectionTimeout time.Duration
	Retry             Retry
}

// SettingsFromConf reads storm.zookeeper.{servers,port,root,
// session.timeout,connection.timeout,retry.*}, with Storm's defaults for
// missing keys.
func SettingsFromConf(c conf.Conf) (Settings, error) {
	hosts := c.Strings(conf.StormZookeeperServers)
	if len(hosts) == 0 {
		return Settings{}, errors.New("zk: storm.zookeeper.servers is empty")
	}
	port := c.IntOr(conf.StormZookeeperPort, DefaultPort)
	servers := make([]string, len(hosts))
	for i, h := range hosts {
		servers[i] = net.JoinHostPort(h, strconv.FormatInt(port, 10))
	}
	ms := func(key string, def time.Duration) time.Duration {
		return time.Duration(c.IntOr(key, def.Milliseconds())) * time.Millisecond
	}
	return Settings{
		Servers:           servers,
		Root:              c.StringOr(conf.StormZookeeperRoot, DefaultRoot),
		SessionTimeout:    ms(conf.StormZookeeperSessionTimeout, DefaultSessionTimeout),
		ConnectionTimeout: ms(conf.StormZookeeperConnectionTimeout, DefaultConnectionTimeout),
		Retry: Retry{
			Times:    int(c.IntOr(conf.StormZookeeperRetryTimes, DefaultRetryTimes)),
			Interval: ms(conf.StormZookeeperRetryInterval, DefaultRetryInterval),
			Ceiling:  ms(conf.StormZookeeperRetryIntervalCeiling, DefaultRetryIntervalCeiling),
		},
	}, nil
}

// FromConf dials the ZooKeeper a Storm configuration names, chrooted to
// storm.zookeeper.root.
func FromConf(ctx context.Context, c conf.Conf, logger *slog.Logger) (store.Store, error) {
	s, err := SettingsFromConf(c)
	if err != nil {
		return nil, err
	}
	return DialSettings(ctx, s, logger)
}

// DialSettings dials with s.
func DialSettings(ctx context.Context, s Settings, logger *slog.Logger) (store.Store, error) {
	st, err := Dial(ctx, s.Servers, s.Root, s.SessionTimeout, logger,
		WithConnectionTimeout(s.ConnectionTimeout), WithRetry(s.Retry))
	if err != nil {
		return nil, fmt.Errorf("zk: %v%s: %w", s.Servers, s.Root, err)
	}
	return st, nil
}
