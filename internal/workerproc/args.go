package workerproc

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/galeproject/gale/compat/conf"
)

// Args is a parsed worker command line (after the word "worker").
type Args struct {
	StormID      string
	AssignmentID string
	Port         int
	WorkerID     string
	// ConfOpts are the -c key=value options, in order; ConfFile the last
	// --config FILE ("" if none).
	ConfOpts []string
	ConfFile string
}

// Usage is the worker command line syntax.
const Usage = "worker <storm-id> <assignment-id> <port> <worker-id> [-c key=value]... [--config FILE]"

// ParseArgs parses "<storm-id> <assignment-id> <port> <worker-id>" with -c
// and --config options anywhere on the line, as storm.py takes them.
func ParseArgs(args []string) (Args, error) {
	var a Args
	c, err := conf.ParseCommandLine(args)
	if err != nil {
		return a, err
	}
	a.ConfOpts, a.ConfFile = c.Overrides, c.ConfFile
	pos := c.Args
	if len(pos) != 4 {
		return a, fmt.Errorf("want 4 arguments, got %d", len(pos))
	}
	a.StormID, a.AssignmentID, a.WorkerID = pos[0], pos[1], pos[3]
	for name, v := range map[string]string{"storm id": a.StormID, "assignment id": a.AssignmentID, "worker id": a.WorkerID} {
		if v == "" {
			return a, fmt.Errorf("empty %s", name)
		}
	}
	p, err := strconv.Atoi(pos[2])
	if err != nil || p <= 0 || p > 65535 {
		return a, fmt.Errorf("bad port %q", pos[2])
	}
	a.Port = p
	return a, nil
}

var errUsage = errors.New("usage: " + Usage)
