package e2e

import (
	"fmt"
	"maps"
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestClusterSurvivesKill9 runs an endless word count over two workers on
// a real cluster and kills processes with SIGKILL:
//   - a worker: its supervisor starts a new one within seconds and every
//     spout executor acks again;
//   - a supervisor: its worker keeps running (and acking); the supervisor
//     started again on the same storm.local.dir adopts the worker instead
//     of starting another one.
func TestClusterSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries and runs a cluster of processes")
	}
	c := startRealCluster(t, 2, 2)
	wc := build(t, t.TempDir(), "github.com/galeproject/gale/examples/wordcount")
	c.run("wordcount-submit", wc, "-c", "topology.workers=2", "-c", "wordcount.repeat=0", "-c", "wordcount.rate=100",
		"-c", "topology.message.timeout.secs=10", "submit", "wc-forever")

	workerOf := func(s *supNode) (int, error) {
		pids := livePIDs(s.local)
		if len(pids) != 1 {
			return 0, fmt.Errorf("%s runs worker pids %v, want one", s.name, pids)
		}
		return pids[0], nil
	}
	// acking waits until every spout executor acked at least 50 more trees
	// than it had at the call.
	acking := func(what string) {
		t.Helper()
		info, err := c.topologyInfo("wc-forever")
		if err != nil {
			t.Fatal(err)
		}
		base := spoutAcked(info, "sentences")
		eventually(t, 45*time.Second, what, func() error {
			info, err := c.topologyInfo("wc-forever")
			if err != nil {
				return err
			}
			now := spoutAcked(info, "sentences")
			if len(now) != 2 {
				return fmt.Errorf("spout executors %v", now)
			}
			for _, k := range slices.Sorted(maps.Keys(now)) {
				if now[k] < base[k]+50 {
					return fmt.Errorf("spout executor %s acked %d, was %d", k, now[k], base[k])
				}
			}
			return nil
		})
	}

	pids := make([]int, len(c.sups))
	eventually(t, 60*time.Second, "one worker per supervisor", func() error {
		for i, s := range c.sups {
			pid, err := workerOf(s)
			if err != nil {
				return err
			}
			pids[i] = pid
		}
		return nil
	})
	acking("acking after start")

	// kill -9 a worker: its supervisor restarts it.
	if err := syscall.Kill(pids[0], syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	eventually(t, 15*time.Second, "supervisor restarts the killed worker", func() error {
		pid, err := workerOf(c.sups[0])
		if err != nil {
			return err
		}
		if pid == pids[0] {
			return fmt.Errorf("worker %d not replaced yet", pid)
		}
		pids[0] = pid
		return nil
	})
	t.Logf("worker restarted as pid %d %v after the kill", pids[0], time.Since(killed).Round(10*time.Millisecond))
	acking("acking after the worker restart")

	// kill -9 a supervisor: its worker keeps running.
	sup := c.sups[1]
	sup.proc.kill()
	time.Sleep(2 * time.Second)
	if !alive(pids[1]) {
		t.Fatalf("worker %d died with its supervisor", pids[1])
	}
	acking("acking without the supervisor")

	// Restarted on the same storm.local.dir, the supervisor adopts it.
	c.startSupervisor(sup)
	eventually(t, 30*time.Second, "restarted supervisor registers", func() error {
		if err, done := sup.proc.wait(0); done {
			return fmt.Errorf("supervisor exited: %v", err)
		}
		info, err := c.clusterInfo()
		if err != nil {
			return err
		}
		if len(info.GetSupervisors()) != 2 {
			return fmt.Errorf("%d supervisors", len(info.GetSupervisors()))
		}
		return nil
	})
	// Past a few of its sync rounds and past the expiry of its old
	// ZooKeeper session (10 s), the same worker process serves the slot.
	time.Sleep(12 * time.Second)
	if pid, err := workerOf(sup); err != nil || pid != pids[1] {
		t.Fatalf("after the supervisor restart: worker %d (%v), want the adopted %d", pid, err, pids[1])
	}
	acking("acking after the supervisor restart")
	info, err := c.clusterInfo()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range info.GetSupervisors() {
		if s.GetNumUsedWorkers() != 1 {
			t.Errorf("supervisor %s uses %d workers, want 1", s.GetSupervisorID(), s.GetNumUsedWorkers())
		}
	}

	c.kill("wc-forever")
}
