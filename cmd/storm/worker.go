package main

import (
	"context"
	"errors"

	"github.com/galeproject/gale/internal/workerproc"
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
	return workerproc.Run(ctx, full, workerproc.Options{
		Stderr: a.stderr,
		Getenv: a.getenv,
		Logger: a.logger,
	})
}
