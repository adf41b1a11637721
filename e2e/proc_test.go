package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// build compiles the package with import path pkg into dir and returns the
// binary's path.
func build(t *testing.T, dir, pkg string) string {
	t.Helper()
	bin := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// cleanEnv is the environment of every process: no storm.yaml of the
// machine's (STORM_CONF_DIR, HOME point at empty directories).
func cleanEnv(t *testing.T) []string {
	home := t.TempDir()
	env := []string{"HOME=" + home, "STORM_CONF_DIR=" + filepath.Join(home, "conf"), "GALE_LOG_LEVEL=info"}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "STORM_CONF_DIR", "GALE_LOG_LEVEL", "STORM_HOME":
		default:
			env = append(env, kv)
		}
	}
	return env
}

// proc is a process a test started. Its output goes to a log file that is
// shown when the test fails.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error // set before done is closed
}

// start runs bin with args; the process is killed (SIGKILL) and reaped at
// the end of the test, and dies with the test binary (Pdeathsig).
func start(t *testing.T, name string, env []string, bin string, args ...string) *proc {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("--- tail of %s log (%s):\n%s", name, logPath, tailFile(logPath, 6000))
		}
	})
	return p
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// kill sends SIGKILL and waits for the process to end.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// wait waits for the process to end, at most d.
func (p *proc) wait(d time.Duration) (error, bool) {
	select {
	case <-p.done:
		return p.err, true
	case <-time.After(d):
		return nil, false
	}
}

func (p *proc) output() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// tailFile returns the last n bytes of a file.
func tailFile(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// freePorts returns n distinct ports free on 127.0.0.1 a moment ago.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// alive reports whether pid is a live process (not a zombie).
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) {
		return b[i+2] != 'Z'
	}
	return true
}

// workerPIDs returns the pids the workers under a storm.local.dir wrote
// (workers/<id>/pids/<pid>), by worker id.
func workerPIDs(local string) map[string][]int {
	out := map[string][]int{}
	files, _ := filepath.Glob(filepath.Join(local, "workers", "*", "pids", "*"))
	for _, f := range files {
		pid, err := strconv.Atoi(filepath.Base(f))
		if err != nil {
			continue
		}
		id := filepath.Base(filepath.Dir(filepath.Dir(f)))
		out[id] = append(out[id], pid)
	}
	return out
}

// livePIDs are the live worker pids under local.
func livePIDs(local string) []int {
	var pids []int
	for _, ps := range workerPIDs(local) {
		for _, p := range ps {
			if alive(p) {
				pids = append(pids, p)
			}
		}
	}
	return pids
}

// killWorkers SIGKILLs every live worker process under local (and its
// process group): test cleanup, since workers outlive their supervisor.
func killWorkers(local string) {
	for _, pid := range livePIDs(local) {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// workerLogs returns the tails of every worker.log under a log dir.
func workerLogs(logDir string, n int) string {
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(logDir, "workers-artifacts", "*", "*", "worker.log"))
	for _, f := range files {
		fmt.Fprintf(&b, "--- %s:\n%s\n", f, tailFile(f, n))
	}
	return b.String()
}

// eventually polls check every interval until it returns nil, or fails the
// test with its last error after d.
func eventually(t *testing.T, d time.Duration, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v: %v", what, d, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
