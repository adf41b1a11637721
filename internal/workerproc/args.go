package workerproc

import (
	"errors"
	"fmt"
	"strconv"
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
	var pos []string
	for i := 0; i < len(args); i++ {
		switch tok := args[i]; tok {
		case "-c", "--config":
			if i+1 >= len(args) {
				return a, fmt.Errorf("%s needs a value", tok)
			}
			i++
			if tok == "-c" {
				a.ConfOpts = append(a.ConfOpts, args[i])
			} else {
				a.ConfFile = args[i]
			}
		default:
			pos = append(pos, tok)
		}
	}
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
