package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/galeproject/gale/client"
)

// nimbusProc is one Gale Nimbus (`storm nimbus`) of a case.
type nimbusProc struct {
	port int
	dir  string
	p    *proc
}

// writeStormYAML writes conf as storm.yaml: one "key: <JSON value>" line
// per key (JSON values are YAML flow values), sorted.
func writeStormYAML(path string, conf map[string]any) error {
	keys := make([]string, 0, len(conf))
	for k := range conf {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("# written by Gale's conformance runner\n")
	for _, k := range keys {
		v, err := json.Marshal(conf[k])
		if err != nil {
			return fmt.Errorf("storm.yaml %s: %w", k, err)
		}
		fmt.Fprintf(&b, "%s: %s\n", k, v)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// zkConf is the storm.zookeeper.* part of a daemon conf for servers
// ("host:port", one port for all, as Storm's conf has it) and root.
func zkConf(servers []string, root string) (map[string]any, error) {
	var hosts []string
	port := ""
	for _, s := range servers {
		h, p, err := net.SplitHostPort(s)
		if err != nil {
			return nil, fmt.Errorf("zookeeper server %q: %w", s, err)
		}
		if port != "" && p != port {
			return nil, fmt.Errorf("zookeeper servers on different ports (%v): storm.zookeeper.port is one port", servers)
		}
		port = p
		hosts = append(hosts, h)
	}
	pn, err := strconv.Atoi(port)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"storm.zookeeper.servers": hosts,
		"storm.zookeeper.port":    pn,
		"storm.zookeeper.root":    root,
	}, nil
}

// startNimbuses starts n Gale Nimbus processes on one ZooKeeper root, one
// after the other: the first must become leader before the next starts,
// and each later one must register under /nimbuses (seen through the
// leader's getClusterInfo).
func (e *Env) startNimbuses(ctx context.Context, work string, n int, extra map[string]any, zkRoot string) ([]*nimbusProc, error) {
	var out []*nimbusProc
	fail := func(err error) ([]*nimbusProc, error) {
		for _, np := range out {
			np.p.stop(10 * time.Second)
		}
		return nil, err
	}
	for i := 0; i < n; i++ {
		port, err := freePort()
		if err != nil {
			return fail(err)
		}
		dir := filepath.Join(work, "nimbus-"+itoa(i))
		conf, err := zkConf(e.ZKServers, zkRoot)
		if err != nil {
			return fail(err)
		}
		conf["nimbus.thrift.port"] = port
		conf["nimbus.seeds"] = []string{"127.0.0.1"}
		conf["storm.local.dir"] = filepath.Join(dir, "storm-local")
		conf["storm.local.hostname"] = "127.0.0.1"
		for k, v := range extra {
			conf[k] = v
		}
		if err := writeStormYAML(filepath.Join(dir, "conf", "storm.yaml"), conf); err != nil {
			return fail(err)
		}
		home := filepath.Join(dir, "home")
		if err := os.MkdirAll(home, 0o755); err != nil {
			return fail(err)
		}
		env := []string{"STORM_CONF_DIR=" + filepath.Join(dir, "conf"), "STORM_HOME=" + home, "HOME=" + home, "GALE_LOG_LEVEL=info"}
		p, err := startProc("nimbus-"+itoa(i), []string{e.StormBin, "nimbus"}, env, dir, filepath.Join(dir, "nimbus.log"))
		if err != nil {
			return fail(err)
		}
		np := &nimbusProc{port: port, dir: dir, p: p}
		out = append(out, np)
		leaderPort := out[0].port
		ready := func(ctx context.Context) error {
			return nimbusListed(ctx, leaderPort, port, i == 0)
		}
		if err := waitFor(ctx, 60*time.Second, 100*time.Millisecond, p, ready); err != nil {
			return fail(fmt.Errorf("nimbus %d on port %d: %w", i, port, err))
		}
	}
	return out, nil
}

// nimbusListed asks the Nimbus on askPort for getClusterInfo and checks
// that the Nimbus on port is listed (and is leader, if leader).
func nimbusListed(ctx context.Context, askPort, port int, leader bool) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := client.DialAddr(ctx, net.JoinHostPort("127.0.0.1", itoa(askPort)), client.Options{DialTimeout: 2 * time.Second})
	if err != nil {
		return err
	}
	defer c.Close()
	info, err := c.GetClusterInfo(ctx)
	if err != nil {
		return err
	}
	for _, ns := range info.GetNimbuses() {
		if int(ns.GetPort()) == port && (!leader || ns.GetIsLeader()) {
			return nil
		}
	}
	return fmt.Errorf("nimbus :%d not listed (leader=%v) in %v", port, leader, info.GetNimbuses())
}
