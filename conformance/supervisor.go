package conformance

import (
	"context"
	"fmt"
	"path/filepath"
)

// stormWorkerChildopts replaces Storm 1.0.0's default worker.childopts
// ("-Xmx%HEAP-MEM%m -XX:+PrintGCDetails -Xloggc:... -XX:+PrintGCDateStamps
// ..."), whose GC logging flags JDK 9 and later reject ("Unrecognized VM
// option 'PrintGCDateStamps'"): on Java 17 a Storm 1.0.0 supervisor
// cannot start a worker without this setting.
const stormWorkerChildopts = "-Xmx256m"

// startStormSupervisorN runs the i-th of Storm 1.0.0's own supervisor
// daemons (`storm supervisor`, as storm.py starts it) on the case's
// ZooKeeper root, with its own conf dir, local dir and two free slot
// ports (${storm.supervisor.I.port.J}). It does not wait for it to
// register (see waitSupervisors).
func (cr *caseRun) startStormSupervisorN(ctx context.Context, i int, zk map[string]any) error {
	sp, err := cr.startStormSupervisor(ctx, fmt.Sprintf("storm-supervisor-%d", i), cr.leader, zk, true)
	if err != nil {
		return err
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	cr.stormSups = append(cr.stormSups, sp)
	for j, port := range sp.ports {
		cr.vars[fmt.Sprintf("storm.supervisor.%d.port.%d", i, j)] = itoa(port)
	}
	return nil
}

// startStormSupervisor starts one of Storm's supervisor daemons named name
// (its directory under the case's, its GALE_RPC_PEER) for the Nimbus on
// nimbusPort. With record, its Nimbus calls go to the case's RPC record.
func (cr *caseRun) startStormSupervisor(ctx context.Context, name string, nimbusPort int, zk map[string]any, record bool) (*supervisorProc, error) {
	dir := filepath.Join(cr.work, name)
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	conf := map[string]any{
		"nimbus.seeds":           []string{"127.0.0.1"},
		"nimbus.thrift.port":     nimbusPort,
		"storm.local.dir":        filepath.Join(dir, "storm-local"),
		"storm.local.hostname":   "127.0.0.1",
		"storm.log.dir":          filepath.Join(dir, "logs"),
		"supervisor.slots.ports": ports,
		"worker.childopts":       stormWorkerChildopts,
	}
	if record {
		conf["nimbus.thrift.transport"] = "gale.conformance.RecordingTransportPlugin"
	}
	for k, v := range zk {
		conf[k] = v
	}
	if err := writeStormYAML(filepath.Join(dir, "conf", "storm.yaml"), conf); err != nil {
		return nil, err
	}
	l := NewLauncher(cr.env.Java, cr.env.StormDir, filepath.Join(dir, "conf"), cr.launcher.Env)
	argv, err := l.SupervisorArgv(ctx)
	if err != nil {
		return nil, err
	}
	// storm.py reads CLUSTER_CONF_DIR from $STORM_CONF_DIR, and Storm's
	// supervisor puts $STORM_CONF_DIR (else <storm.home>/conf) on its
	// workers' classpath: the workers read this storm.yaml too.
	env := append(append([]string{}, l.Env...), "GALE_RPC_PEER="+name, "STORM_CONF_DIR="+l.ConfDir)
	p, err := startProc(name, argv, env, dir, filepath.Join(dir, "supervisor.out"))
	if err != nil {
		return nil, err
	}
	return &supervisorProc{p: p, local: filepath.Join(dir, "storm-local"), ports: ports}, nil
}
