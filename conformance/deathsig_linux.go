package conformance

import (
	"os/exec"
	"syscall"
)

// setDeathSignal kills a child if the runner dies first.
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
