package conformance

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/galeproject/gale/client"
)

// startStormSupervisors runs n of Storm 1.0.0's own supervisor daemons
// (`storm supervisor`, as storm.py starts it) on the case's ZooKeeper
// root, each with its own conf dir, local dir and two free slot ports,
// and waits until Gale's leader lists all of them in getClusterInfo.
func (cr *caseRun) startStormSupervisors(ctx context.Context, n int, zk map[string]any) error {
	for i := 0; i < n; i++ {
		dir := filepath.Join(cr.work, fmt.Sprintf("storm-supervisor-%d", i))
		conf := map[string]any{
			"nimbus.seeds":            []string{"127.0.0.1"},
			"nimbus.thrift.port":      cr.leader,
			"nimbus.thrift.transport": "gale.conformance.RecordingTransportPlugin",
			"storm.local.dir":         filepath.Join(dir, "storm-local"),
			"storm.local.hostname":    "127.0.0.1",
			"storm.log.dir":           filepath.Join(dir, "logs"),
		}
		for k, v := range zk {
			conf[k] = v
		}
		var ports []int
		for range 2 {
			p, err := freePort()
			if err != nil {
				return err
			}
			ports = append(ports, p)
		}
		conf["supervisor.slots.ports"] = ports
		if err := writeStormYAML(filepath.Join(dir, "conf", "storm.yaml"), conf); err != nil {
			return err
		}
		l := NewLauncher(cr.env.Java, cr.env.StormDir, filepath.Join(dir, "conf"), cr.launcher.Env)
		argv, err := l.SupervisorArgv(ctx)
		if err != nil {
			return err
		}
		env := append(append([]string{}, l.Env...), fmt.Sprintf("GALE_RPC_PEER=storm-supervisor-%d", i))
		p, err := startProc(fmt.Sprintf("storm-supervisor-%d", i), argv, env, dir, filepath.Join(dir, "supervisor.out"))
		if err != nil {
			return err
		}
		cr.supervisors = append(cr.supervisors, p)
	}
	want := n
	return waitFor(ctx, 90*time.Second, 250*time.Millisecond, nil, func(ctx context.Context) error {
		for _, p := range cr.supervisors {
			if p.exited() {
				return fmt.Errorf("%s exited (%v): %s", p.name, p.err, p.logTail(3000))
			}
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		c, err := client.DialAddr(ctx, net.JoinHostPort("127.0.0.1", itoa(cr.leader)), client.Options{DialTimeout: 2 * time.Second})
		if err != nil {
			return err
		}
		defer c.Close()
		info, err := c.GetClusterInfo(ctx)
		if err != nil {
			return err
		}
		if got := len(info.GetSupervisors()); got != want {
			return fmt.Errorf("Gale's Nimbus lists %d supervisors, want %d", got, want)
		}
		return nil
	})
}
