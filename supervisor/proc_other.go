//go:build !unix

package supervisor

import (
	"errors"
	"os/exec"
)

var errUnsupported = errors.New("supervisor: worker signals are supported on unix only")

func detach(*exec.Cmd)            {}
func signalPID(int, bool) error   { return errUnsupported }
func signalGroup(int, bool) error { return errUnsupported }
func pidAlive(int) bool           { return false }
