package stormhome

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Local is a LocalCluster JVM running one topology (gale.perf.PerfMain local): Storm's
// in-process ZooKeeper, Nimbus, Supervisor and workers in one process.
type Local struct {
	cmd    *exec.Cmd
	submit chan time.Time
	done   chan struct{}
	logDir string
}

// LocalCommand is the LocalCluster JVM's command line: a `storm jar`-style client JVM (the
// usual way to run a LocalCluster) logging to <logDir>/local.log instead of standard output.
func (h *Home) LocalCommand(logDir, jar, name, topology, confJSON string) ([]string, error) {
	cp, err := h.Classpath(jar)
	if err != nil {
		return nil, err
	}
	return []string{h.Java, "-client",
		"-Ddaemon.name=",
		"-Dstorm.options=",
		"-Dstorm.home=" + h.Dir,
		"-Dstorm.log.dir=" + logDir,
		"-Djava.library.path=" + DefaultJavaLibraryPath,
		"-Dstorm.conf.file=",
		"-cp", cp,
		"-Dlogfile.name=local.log",
		"-Dlog4j.configurationFile=" + filepath.Join(h.Dir, "log4j2", "cluster.xml"),
		"gale.perf.PerfMain", "local", name, topology, confJSON}, nil
}

// StartLocal starts the LocalCluster JVM in dir and returns once it has called submitTopology.
func (h *Home) StartLocal(ctx context.Context, dir, jar, name, topology, confJSON string, logger *slog.Logger) (*Local, time.Time, error) {
	logDir := filepath.Join(dir, "logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return nil, time.Time{}, fmt.Errorf("stormhome: %w", err)
	}
	argv, err := h.LocalCommand(logDir, jar, name, topology, confJSON)
	if err != nil {
		return nil, time.Time{}, err
	}
	errf, err := os.Create(filepath.Join(logDir, "local.err"))
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("stormhome: %w", err)
	}
	defer errf.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stderr = errf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("stormhome: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, time.Time{}, fmt.Errorf("stormhome: start LocalCluster: %w", err)
	}
	logger.Info("started LocalCluster", "pid", cmd.Process.Pid, "topology", name)
	l := &Local{cmd: cmd, submit: make(chan time.Time, 1), done: make(chan struct{}), logDir: logDir}
	go func() {
		sc := bufio.NewScanner(stdout)
		var lines []string
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "SUBMIT_MS=") || strings.HasPrefix(line, "SUBMITTED_MS=") {
				lines = append(lines, line)
			}
			if strings.HasPrefix(line, "SUBMITTED_MS=") {
				if t, err := parseMillis([]byte(strings.Join(lines, "\n")), "SUBMIT_MS="); err == nil {
					l.submit <- t
				}
			}
		}
		_ = cmd.Wait()
		close(l.done)
	}()
	select {
	case t := <-l.submit:
		return l, t, nil
	case <-l.done:
		return nil, time.Time{}, fmt.Errorf("stormhome: LocalCluster exited before submitting; see %s", logDir)
	case <-time.After(3 * time.Minute):
		l.Stop()
		return nil, time.Time{}, fmt.Errorf("stormhome: LocalCluster did not submit within 3 minutes")
	case <-ctx.Done():
		l.Stop()
		return nil, time.Time{}, ctx.Err()
	}
}

// PID is the LocalCluster JVM (every process of the run descends from it).
func (l *Local) PID() int { return l.cmd.Process.Pid }

// Stop ends the JVM and its process group (shell subprocesses included).
func (l *Local) Stop() {
	StopGroups([]int{l.cmd.Process.Pid}, 5*time.Second)
	<-l.done
}
