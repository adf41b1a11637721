package zk_test

import (
	"context"
	"net"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/zktest"
)

func TestSettingsFromConf(t *testing.T) {
	s, err := zk.SettingsFromConf(conf.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	want := zk.Settings{
		Servers: []string{"localhost:2181"}, Root: "/storm",
		SessionTimeout: 20 * time.Second, ConnectionTimeout: 15 * time.Second,
		Retry: zk.Retry{Times: 5, Interval: time.Second, Ceiling: 30 * time.Second},
	}
	if !slices.Equal(s.Servers, want.Servers) || s.Root != want.Root || s.SessionTimeout != want.SessionTimeout ||
		s.ConnectionTimeout != want.ConnectionTimeout || s.Retry != want.Retry {
		t.Fatalf("defaults give %+v, want %+v", s, want)
	}
	c := conf.Defaults()
	c[conf.StormZookeeperServers] = []any{"zk1", "zk2"}
	c[conf.StormZookeeperPort] = int64(2182)
	if s, _ = zk.SettingsFromConf(c); !slices.Equal(s.Servers, []string{"zk1:2182", "zk2:2182"}) {
		t.Fatalf("servers %v", s.Servers)
	}
	c[conf.StormZookeeperServers] = []any{}
	if _, err := zk.SettingsFromConf(c); err == nil {
		t.Fatal("empty server list accepted")
	}
}

func TestFromConf(t *testing.T) {
	servers := zktest.Start(t)
	host, port, err := net.SplitHostPort(servers[0])
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.ParseInt(port, 10, 64)
	c := conf.Defaults()
	c[conf.StormZookeeperServers] = []any{host}
	c[conf.StormZookeeperPort] = p
	c[conf.StormZookeeperRoot] = zktest.Root(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := zk.FromConf(ctx, c, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Create(ctx, "/x", nil, store.Persistent); err != nil {
		t.Fatal(err)
	}
}
