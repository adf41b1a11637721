package conformance

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/galeproject/gale/client"
)

// supervisorProc is one supervisor daemon of a case (Gale's or Storm's):
// the process, its storm.local.dir (where its workers write their pid
// files) and its slot ports.
type supervisorProc struct {
	p     *proc
	local string
	ports []int
}

// startGaleSupervisors runs n of Gale's supervisor daemons (`storm
// supervisor` of the binary under test) on the case's ZooKeeper root,
// each with its own conf dir, local dir and two free slot ports; their
// workers are `storm worker` processes of the same binary. It does not
// wait for them to register (see waitSupervisors).
func (cr *caseRun) startGaleSupervisors(n int, zk map[string]any) error {
	for i := 0; i < n; i++ {
		dir := filepath.Join(cr.work, fmt.Sprintf("gale-supervisor-%d", i))
		ports, err := freePorts(2)
		if err != nil {
			return err
		}
		conf := map[string]any{
			"nimbus.seeds":           []string{"127.0.0.1"},
			"nimbus.thrift.port":     cr.leader,
			"storm.local.dir":        filepath.Join(dir, "storm-local"),
			"storm.local.hostname":   "127.0.0.1",
			"storm.log.dir":          filepath.Join(dir, "logs"),
			"supervisor.slots.ports": ports,
		}
		for k, v := range zk {
			conf[k] = v
		}
		if err := writeStormYAML(filepath.Join(dir, "conf", "storm.yaml"), conf); err != nil {
			return err
		}
		home := filepath.Join(dir, "home")
		if err := os.MkdirAll(home, 0o755); err != nil {
			return err
		}
		env := []string{"STORM_CONF_DIR=" + filepath.Join(dir, "conf"), "STORM_HOME=" + home, "HOME=" + home, "GALE_LOG_LEVEL=info"}
		name := fmt.Sprintf("gale-supervisor-%d", i)
		p, err := startProc(name, []string{cr.env.StormBin, "supervisor"}, env, dir, filepath.Join(dir, "supervisor.log"))
		if err != nil {
			return err
		}
		cr.mu.Lock()
		cr.galeSups = append(cr.galeSups, &supervisorProc{p: p, local: filepath.Join(dir, "storm-local"), ports: ports})
		for j, port := range ports {
			cr.vars[fmt.Sprintf("gale.supervisor.%d.port.%d", i, j)] = itoa(port)
		}
		cr.mu.Unlock()
	}
	return nil
}

// waitSupervisors waits until the Nimbus on port lists want supervisors
// (getClusterInfo) while none of procs has exited.
func waitSupervisors(ctx context.Context, port, want int, procs []*proc) error {
	return waitFor(ctx, 90*time.Second, 250*time.Millisecond, nil, func(ctx context.Context) error {
		for _, p := range procs {
			if p.exited() {
				return fmt.Errorf("%s exited (%v): %s", p.name, p.err, p.logTail(3000))
			}
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		c, err := client.DialAddr(ctx, net.JoinHostPort("127.0.0.1", itoa(port)), client.Options{DialTimeout: 2 * time.Second})
		if err != nil {
			return err
		}
		defer c.Close()
		info, err := c.GetClusterInfo(ctx)
		if err != nil {
			return err
		}
		if got := len(info.GetSupervisors()); got != want {
			return fmt.Errorf("the Nimbus on port %d lists %d supervisors, want %d", port, got, want)
		}
		return nil
	})
}

// freePorts returns n distinct ports that were free on 127.0.0.1.
func freePorts(n int) ([]int, error) {
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// killWorkers ends the worker processes a supervisor started under
// storm.local.dir local: both Gale's and Storm's supervisors record each
// worker's pid as workers/<worker-id>/pids/<pid>. Workers outlive their
// supervisor by design, so the runner ends them itself: SIGKILL to the
// process group (Gale's workers lead their own) and to the process.
func killWorkers(local string) {
	files, _ := filepath.Glob(filepath.Join(local, "workers", "*", "pids", "*"))
	for _, f := range files {
		pid, err := strconv.Atoi(filepath.Base(f))
		if err != nil || pid <= 1 || !isWorker(pid, local) {
			continue
		}
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// isWorker reports whether pid is still a worker of this case: a live
// process whose command line or working directory mentions the case's
// local dir's parent (a pid file can outlive its process, and pids are
// reused).
func isWorker(pid int, local string) bool {
	base := filepath.Dir(local)
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	if strings.Contains(string(cmdline), base) {
		return true
	}
	cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	return err == nil && strings.HasPrefix(cwd, base)
}
