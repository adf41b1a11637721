package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/galeproject/gale/client"
)

// stormCluster is a reference Storm 1.0.0 cluster beside Gale's: a real
// Nimbus and one of Storm's supervisors on a ZooKeeper root of their own.
type stormCluster struct {
	port   int
	root   string
	nimbus *proc
	sup    *supervisorProc
}

// startStormCluster starts Storm's Nimbus (`storm nimbus`, as storm.py
// starts it) and one supervisor; waitStormCluster waits for them. Its
// daemons do not record their Nimbus calls: the record is of calls to
// Gale.
func (cr *caseRun) startStormCluster(ctx context.Context) error {
	var rb [6]byte
	_, _ = rand.Read(rb[:])
	sc := &stormCluster{root: "/storm-reference-" + hex.EncodeToString(rb[:]) + "/storm"}
	port, err := freePort()
	if err != nil {
		return err
	}
	sc.port = port
	cr.mu.Lock()
	cr.storm = sc
	cr.vars["storm.nimbus.port"] = itoa(port)
	cr.vars["storm.zkroot"] = sc.root
	cr.mu.Unlock()
	zk, err := zkConf(cr.env.ZKServers, sc.root)
	if err != nil {
		return err
	}
	startNimbus := func() error {
		dir := filepath.Join(cr.work, "storm-nimbus")
		conf := map[string]any{
			"nimbus.seeds":             []string{"127.0.0.1"},
			"nimbus.thrift.port":       port,
			"storm.local.dir":          filepath.Join(dir, "storm-local"),
			"storm.local.hostname":     "127.0.0.1",
			"storm.log.dir":            filepath.Join(dir, "logs"),
			"nimbus.monitor.freq.secs": 2,
		}
		for k, v := range zk {
			conf[k] = v
		}
		if err := writeStormYAML(filepath.Join(dir, "conf", "storm.yaml"), conf); err != nil {
			return err
		}
		l := NewLauncher(cr.env.Java, cr.env.StormDir, filepath.Join(dir, "conf"), nil)
		argv, err := l.NimbusArgv(ctx)
		if err != nil {
			return err
		}
		p, err := startProc("storm-nimbus", argv, []string{"STORM_CONF_DIR=" + l.ConfDir}, dir, filepath.Join(dir, "nimbus.out"))
		if err != nil {
			return err
		}
		cr.mu.Lock()
		sc.nimbus = p
		cr.mu.Unlock()
		return nil
	}
	startSupervisor := func() error {
		sup, err := cr.startStormSupervisor(ctx, "storm-reference-supervisor", port, zk, false)
		if err != nil {
			return err
		}
		cr.mu.Lock()
		sc.sup = sup
		cr.mu.Unlock()
		return nil
	}
	return parallel([]func() error{startNimbus, startSupervisor})
}

// waitStormCluster waits until Storm's Nimbus answers and lists its
// supervisor.
func (cr *caseRun) waitStormCluster(ctx context.Context) error {
	sc := cr.storm
	err := waitFor(ctx, 90*time.Second, 250*time.Millisecond, sc.nimbus, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		c, err := client.DialAddr(ctx, net.JoinHostPort("127.0.0.1", itoa(sc.port)), client.Options{DialTimeout: 2 * time.Second})
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.GetClusterInfo(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("storm nimbus: %w", err)
	}
	return waitSupervisors(ctx, sc.port, 1, []*proc{sc.sup.p})
}

// stop ends the supervisor, its workers and the Nimbus.
func (sc *stormCluster) stop() {
	if sc.sup != nil {
		sc.sup.p.stop(10 * time.Second)
		killWorkers(sc.sup.local)
	}
	if sc.nimbus != nil {
		sc.nimbus.stop(10 * time.Second)
	}
}
