package e2e

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/client"
	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/stormthrift"
)

// realCluster is ZooKeeper, `storm nimbus` and supervisors, each a
// process, on 127.0.0.1.
type realCluster struct {
	t          *testing.T
	storm      string // the storm binary
	env        []string
	common     []string // -c options every process gets
	nimbusPort int
	nimbus     *proc
	sups       []*supNode
}

// supNode is one `storm supervisor` process and its storm.local.dir.
type supNode struct {
	name  string
	local string
	ports []int
	args  []string
	proc  *proc
}

// startRealCluster starts Nimbus and nsup supervisors with slots worker
// slots each, and waits until Nimbus leads and lists every supervisor.
func startRealCluster(t *testing.T, nsup, slots int) *realCluster {
	t.Helper()
	servers := zktest.Start(t)
	zkHost, zkPort, err := net.SplitHostPort(servers[0])
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	c := &realCluster{t: t, storm: build(t, dir, "github.com/galeproject/gale/cmd/storm"), env: cleanEnv(t)}
	ports := freePorts(t, 1+nsup*slots)
	c.nimbusPort = ports[0]
	c.common = []string{
		"-c", fmt.Sprintf("storm.zookeeper.servers=[%q]", zkHost), "-c", "storm.zookeeper.port=" + zkPort,
		"-c", "storm.zookeeper.root=" + zktest.Root(t), "-c", "storm.zookeeper.session.timeout=10000",
		"-c", "storm.local.hostname=127.0.0.1",
		"-c", `nimbus.seeds=["127.0.0.1"]`, "-c", "nimbus.thrift.port=" + strconv.Itoa(c.nimbusPort),
	}
	for i := range nsup {
		s := &supNode{name: fmt.Sprintf("supervisor%d", i), local: filepath.Join(dir, fmt.Sprintf("sup%d", i))}
		s.ports = ports[1+i*slots : 1+(i+1)*slots]
		var ps []string
		for _, p := range s.ports {
			ps = append(ps, strconv.Itoa(p))
		}
		s.args = append(append([]string{}, c.common...), "-c", "storm.local.dir="+s.local,
			"-c", "supervisor.slots.ports=["+strings.Join(ps, ",")+"]", "supervisor")
		c.sups = append(c.sups, s)
	}
	// Cleanups run last-in first-out: this one, registered before any
	// daemon starts, runs after the daemons are killed. Workers run in
	// their own process groups and outlive supervisors, so they are
	// killed here; their logs are shown when the test failed.
	t.Cleanup(func() {
		for _, s := range c.sups {
			if t.Failed() {
				t.Logf("worker logs of %s:\n%s", s.name, workerLogs(filepath.Join(s.local, "logs"), 4000))
			}
			killWorkers(s.local)
		}
	})
	c.nimbus = start(t, "nimbus", c.env, c.storm, append(append([]string{}, c.common...),
		"-c", "storm.local.dir="+filepath.Join(dir, "nimbus"), "-c", "nimbus.monitor.freq.secs=1", "nimbus")...)
	for _, s := range c.sups {
		c.startSupervisor(s)
	}
	eventually(t, 60*time.Second, "nimbus leads and lists the supervisors", func() error {
		info, err := c.clusterInfo()
		if err != nil {
			return err
		}
		if len(info.GetSupervisors()) != nsup {
			return fmt.Errorf("%d supervisors", len(info.GetSupervisors()))
		}
		return nil
	})
	return c
}

// startSupervisor (re)starts a supervisor process.
func (c *realCluster) startSupervisor(s *supNode) {
	s.proc = start(c.t, s.name, c.env, c.storm, s.args...)
}

func (c *realCluster) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 20*time.Second)
}

// client connects to the leader Nimbus.
func (c *realCluster) client(ctx context.Context) (*client.Client, error) {
	return client.DialLeader(ctx, client.Options{Seeds: []string{"127.0.0.1"}, Port: c.nimbusPort, DialTimeout: 5 * time.Second})
}

func (c *realCluster) clusterInfo() (*stormthrift.ClusterSummary, error) {
	ctx, cancel := c.ctx()
	defer cancel()
	n, err := c.client(ctx)
	if err != nil {
		return nil, err
	}
	defer n.Close()
	return n.GetClusterInfo(ctx)
}

// topologyInfo is getTopologyInfo of the topology called name.
func (c *realCluster) topologyInfo(name string) (*stormthrift.TopologyInfo, error) {
	ctx, cancel := c.ctx()
	defer cancel()
	n, err := c.client(ctx)
	if err != nil {
		return nil, err
	}
	defer n.Close()
	info, err := n.GetClusterInfo(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range info.GetTopologies() {
		if s.GetName() == name {
			return n.GetTopologyInfo(ctx, s.GetID())
		}
	}
	return nil, fmt.Errorf("topology %s is not running", name)
}

// run runs a client program (storm, or a topology's submit mode) to its end
// and returns its output; it must succeed.
func (c *realCluster) run(name, bin string, args ...string) string {
	c.t.Helper()
	p := start(c.t, name, c.env, bin, append(append([]string{}, c.common...), args...)...)
	err, done := p.wait(60 * time.Second)
	if !done {
		c.t.Fatalf("%s did not finish within 60s:\n%s", name, p.output())
	}
	if err != nil {
		c.t.Fatalf("%s: %v\n%s", name, err, p.output())
	}
	return p.output()
}

// kill kills a topology with no wait and waits until no worker runs.
func (c *realCluster) kill(name string) {
	c.t.Helper()
	c.run("storm-kill", c.storm, "kill", name, "-w", "0")
	eventually(c.t, 60*time.Second, "workers stop after kill", func() error {
		for _, s := range c.sups {
			if pids := livePIDs(s.local); len(pids) > 0 {
				return fmt.Errorf("%s still runs workers %v", s.name, pids)
			}
		}
		return nil
	})
}

// spoutAcked is the acked count of every spout executor ("start-end").
func spoutAcked(info *stormthrift.TopologyInfo, spout string) map[string]int64 {
	out := map[string]int64{}
	for _, e := range info.GetExecutors() {
		if e.GetComponentID() != spout {
			continue
		}
		key := fmt.Sprintf("%d-%d", e.GetExecutorInfo().GetTaskStart(), e.GetExecutorInfo().GetTaskEnd())
		var n int64
		if st := e.GetStats(); st != nil && st.GetSpecific() != nil && st.GetSpecific().GetSpout() != nil {
			sp := st.GetSpecific().GetSpout()
			for _, v := range sp.GetAcked()[":all-time"] {
				n += v
			}
		}
		out[key] = n
	}
	return out
}
