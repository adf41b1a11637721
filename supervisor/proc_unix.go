//go:build unix

package supervisor

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// detach puts a worker in its own process group, so that a signal for the
// supervisor's group (Ctrl-C in a terminal) does not reach it: a
// supervisor that stops leaves its workers running.
func detach(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

func sig(force bool) syscall.Signal {
	if force {
		return syscall.SIGKILL
	}
	return syscall.SIGTERM
}

// signalPID sends SIGTERM (or SIGKILL with force) to pid. A process that
// is already gone is not an error.
func signalPID(pid int, force bool) error {
	if err := syscall.Kill(pid, sig(force)); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// signalGroup signals the process group led by pid (a worker and the
// subprocesses it started).
func signalGroup(pid int, force bool) error {
	if err := syscall.Kill(-pid, sig(force)); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// pidAlive reports whether pid names a live (not zombie) process.
func pidAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	if err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	// On Linux a zombie still answers signal 0: look at its state.
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) {
		return b[i+2] != 'Z' && b[i+2] != 'X'
	}
	return true
}
