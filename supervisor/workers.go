package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// workerIDs lists the worker directories under workers/.
func (l layout) workerIDs() ([]string, error) {
	entries, err := os.ReadDir(l.workersRoot())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.IsDir() {
			ids = append(ids, e.Name())
		}
	}
	return ids, nil
}

// readHeartbeat reads a worker's newest LocalState heartbeat; nil if it has
// written none.
func (l layout) readHeartbeat(wid string) (*Heartbeat, error) {
	dir := l.heartbeatDir(wid)
	if _, err := os.Stat(dir); err != nil {
		return nil, nil // no directory: nothing written (OpenLocalState would create it)
	}
	ls, err := compat.OpenLocalState(dir)
	if err != nil {
		return nil, err
	}
	var hb stormthrift.LSWorkerHeartbeat
	ok, err := ls.Get(compat.LSWorkerHeartbeat, &hb)
	if err != nil || !ok {
		return nil, err
	}
	return heartbeatFromLS(&hb), nil
}

// readPIDs lists the pid files of a worker (workers/<wid>/pids/<pid>).
func (l layout) readPIDs(wid string) []int {
	entries, err := os.ReadDir(l.pidsDir(wid))
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil && pid > 0 {
			pids = append(pids, pid)
		}
	}
	return pids
}

// signalablePIDs drops pids the supervisor must never signal: its own (an
// in-process worker may list it) and init.
func signalablePIDs(pids []int, self int) []int {
	return slices.DeleteFunc(slices.Clone(pids), func(p int) bool { return p <= 1 || p == self })
}

// anyAlive reports whether some pid is a live process.
func anyAlive(pids []int) bool {
	return slices.ContainsFunc(pids, pidAlive)
}

// prepareWorker creates a worker's directories and the files Storm writes
// before a launch: workers/<wid>/{pids,tmp,heartbeats}, workers-users/<wid>,
// <artifacts>/worker.yaml, and the resources and artifacts links.
func (l layout) prepareWorker(spec WorkerSpec) error {
	wid := spec.WorkerID
	for _, d := range []string{l.pidsDir(wid), l.workerTmpDir(wid), l.heartbeatDir(wid), spec.ArtifactsDir,
		filepath.Dir(l.workerUserFile(wid))} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	user := spec.Conf.StringOr(conf.TopologySubmitterUser, "")
	if err := os.WriteFile(l.workerUserFile(wid), []byte(user), 0o644); err != nil {
		return err
	}
	meta, err := yaml.Marshal(map[string]any{
		conf.TopologySubmitterUser: user,
		"worker-id":                wid,
		conf.LogsGroups:            mergedNames(spec.Conf, conf.LogsGroups, conf.TopologyGroups),
		conf.LogsUsers:             mergedNames(spec.Conf, conf.LogsUsers, conf.TopologyUsers),
	})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(spec.ArtifactsDir, "worker.yaml"), meta, 0o644); err != nil {
		return err
	}
	links := map[string]string{
		resourcesDir: filepath.Join(spec.CodeDir, resourcesDir),
		"artifacts":  spec.ArtifactsDir,
	}
	for name, target := range links {
		p := filepath.Join(l.workerDir(wid), name)
		os.Remove(p)
		if err := os.Symlink(target, p); err != nil {
			return err
		}
	}
	return nil
}

func mergedNames(c conf.Conf, keys ...string) []string {
	var out []string
	for _, k := range keys {
		out = append(out, c.Strings(k)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// removeWorker deletes a worker's heartbeats, pids, directory and user
// file, in Storm's order (pids after heartbeats, so a worker writing a pid
// file late does not keep the directory alive).
func (l layout) removeWorker(wid string) error {
	var errs []error
	for _, p := range []string{l.heartbeatDir(wid), l.pidsDir(wid), l.workerDir(wid), l.workerUserFile(wid)} {
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// killer stops workers the way Storm's shutdown-worker does.
type killer struct {
	l     layout
	sleep time.Duration // supervisor.worker.shutdown.sleep.secs
	self  int           // this process: never signalled
	log   *slog.Logger
}

// Polling period while waiting for a worker to end.
const killPoll = 50 * time.Millisecond

// kill stops worker wid and removes its directories: SIGTERM to every pid in
// workers/<wid>/pids (and a stop request to h, the launcher's handle, when
// known), up to the shutdown sleep for them to end, then SIGKILL. Unlike
// Storm it stops waiting as soon as everything has ended, and a cancelled
// ctx skips straight to SIGKILL.
func (k killer) kill(ctx context.Context, wid string, h Worker) error {
	pids := k.l.readPIDs(wid)
	if h != nil && h.PID() > 0 && !slices.Contains(pids, h.PID()) {
		pids = append(pids, h.PID())
	}
	pids = signalablePIDs(pids, k.self)
	k.log.Info("shutting down worker", "worker", wid, "pids", pids)
	var errs []error
	if h != nil {
		errs = append(errs, h.Kill(false))
	}
	for _, pid := range pids {
		errs = append(errs, signalPID(pid, false))
	}
	ended := func() bool {
		if h != nil {
			select {
			case <-h.Done():
			default:
				return false
			}
		}
		return !anyAlive(pids)
	}
	if h != nil || len(pids) > 0 {
		waitUntil(ctx, k.sleep, ended)
	}
	if !ended() {
		if h != nil {
			errs = append(errs, h.Kill(true))
		}
		for _, pid := range pids {
			errs = append(errs, signalPID(pid, true))
		}
		if h != nil {
			// Give the reaper a moment so the process does not linger.
			waitUntil(context.WithoutCancel(ctx), 5*time.Second, ended)
		}
	}
	if err := k.l.removeWorker(wid); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("supervisor: shut down worker %s: %w", wid, err)
	}
	k.log.Info("shut down worker", "worker", wid)
	return nil
}

// waitUntil polls cond until it holds, d passes or ctx is done.
func waitUntil(ctx context.Context, d time.Duration, cond func() bool) {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(killPoll)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}
