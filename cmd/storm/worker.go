package main

import (
	"context"
	"errors"

	"github.com/galeproject/gale/internal/workerproc"
	"github.com/galeproject/gale/shellhost"
)

// worker runs one worker of a jar topology: Gale's stock worker, which
// runs built-in and multilang components (a Go topology's supervisors run
// the topology's own executable instead). Supervisors start it as
//
//	storm worker <storm-id> <assignment-id> <port> <worker-id> [-c key=value]... [--config FILE]
func (a *app) worker(ctx context.Context, g globalArgs, args []string) error {
	// parseGlobal took -c and --config out of the line; give them back.
	full := append([]string{}, args...)
	if g.confFile != "" {
		full = append(full, "--config", g.confFile)
	}
	for _, o := range g.confOpts {
		full = append(full, "-c", o)
	}
	if len(args) != 4 {
		return usageError{errors.New("want 4 arguments"), "storm " + workerproc.Usage}
	}
	err := workerproc.Run(ctx, full, workerproc.Options{
		Stderr: a.stderr,
		Getenv: a.getenv,
		Logger: a.logger,
	})
	if code, ok := workerExitCode(err); ok {
		a.logger.Error("worker exits: a multilang subprocess failed", "err", err, "code", code)
		return exitError{code}
	}
	return err
}

// workerExitCode maps a worker's failure to Storm's exit status where Storm
// has a specific one: a multilang subprocess that died or hung ends the
// worker with 11 (ShellBolt.die / ShellSpout.die call System.exit(11)).
func workerExitCode(err error) (int, bool) {
	var shell *shellhost.FatalError
	if errors.As(err, &shell) {
		return shellExitCode, true
	}
	return 0, false
}

// shellExitCode is the exit status of a worker whose multilang subprocess
// failed (ShellBolt.die / ShellSpout.die in Storm 1.0.0).
const shellExitCode = 11
