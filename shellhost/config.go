package shellhost

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/compat/multilang"
)

// ExitCode is the status Storm's worker exits with when a shell component
// dies (ShellBolt/ShellSpout.die → System.exit(11)).
const ExitCode = 11

// JSONSerializer is the only topology.multilang.serializer Gale speaks.
const JSONSerializer = "org.apache.storm.multilang.JsonSerializer"

// Defaults of Storm 1.0.0 used when neither Config nor the conf says.
const (
	DefaultHeartbeatInterval = time.Second
	DefaultTimeout           = 30 * time.Second // supervisor.worker.timeout.secs
	DefaultMaxPending        = 100              // topology.shellbolt.max.pending
	DefaultKillGrace         = 2 * time.Second
)

// Config describes one subprocess.
type Config struct {
	// Command is the program and its arguments, e.g. ["python",
	// "splitsentence.py"]. A program name without a slash is looked up in
	// the worker's PATH; a relative path is relative to Dir.
	Command []string
	// Dir is the working directory: the resources directory the supervisor
	// extracted from the topology jar (stormdist/<id>/resources).
	Dir string
	// Env is added to the worker's environment; a PATH entry is appended
	// to the worker's PATH, as ShellProcess does.
	Env map[string]string
	// Conf is the executor's topology configuration, sent in the
	// handshake; timeouts, max pending and the serializer are read from it.
	Conf conf.Conf
	// Context describes the task (multilang.NewContext).
	Context *multilang.Context
	// PidDir is the worker's pids directory; the child creates an empty
	// file named after its pid there. Created if missing.
	PidDir string

	// Timeout overrides the conf (topology.subprocess.timeout.secs, else
	// supervisor.worker.timeout.secs): how long the child may be silent.
	Timeout time.Duration
	// HandshakeTimeout bounds the wait for the child's pid after start
	// (Storm waits forever); the larger of Timeout and one minute if zero.
	HandshakeTimeout time.Duration
	// HeartbeatInterval is the period of heartbeat tuples and timeout
	// checks; 1 s if zero.
	HeartbeatInterval time.Duration
	// MaxPending overrides topology.shellbolt.max.pending: tuples queued
	// for a bolt subprocess before Execute blocks.
	MaxPending int
	// MaxMessageBytes bounds one message from the child
	// (multilang.DefaultMaxMessageBytes if zero).
	MaxMessageBytes int
	// KillGrace is how long Close waits after SIGTERM before SIGKILL.
	KillGrace time.Duration
	// Logger receives the child's log commands and stderr; nil discards.
	Logger *slog.Logger
}

// settings are the resolved values of a Config.
type settings struct {
	timeout, handshake     time.Duration
	heartbeat, killGrace   time.Duration
	maxPending, maxMessage int
	logger                 *slog.Logger
	component              string
	task                   int32
}

func resolve(cfg *Config) (settings, error) {
	s := settings{
		timeout: cfg.Timeout, handshake: cfg.HandshakeTimeout, heartbeat: cfg.HeartbeatInterval, killGrace: cfg.KillGrace,
		maxPending: cfg.MaxPending, maxMessage: cfg.MaxMessageBytes, logger: cfg.Logger,
	}
	if len(cfg.Command) == 0 || cfg.Command[0] == "" {
		return s, errors.New("shellhost: empty command")
	}
	if cfg.Context == nil {
		return s, errors.New("shellhost: no topology context")
	}
	s.component, s.task = cfg.Context.ComponentID, cfg.Context.TaskID
	if name, ok := cfg.Conf.String(conf.TopologyMultilangSerializer); ok && name != JSONSerializer {
		return s, fmt.Errorf("shellhost: %s %q is not supported; Gale speaks %s only",
			conf.TopologyMultilangSerializer, name, JSONSerializer)
	}
	if s.timeout <= 0 {
		secs, ok := cfg.Conf.Int(conf.TopologySubprocessTimeoutSecs)
		if !ok {
			secs, ok = cfg.Conf.Int(conf.SupervisorWorkerTimeoutSecs)
		}
		s.timeout = DefaultTimeout
		if ok && secs > 0 {
			s.timeout = time.Duration(secs) * time.Second
		}
	}
	if s.handshake <= 0 {
		s.handshake = max(s.timeout, time.Minute)
	}
	if s.heartbeat <= 0 {
		s.heartbeat = DefaultHeartbeatInterval
	}
	if s.killGrace <= 0 {
		s.killGrace = DefaultKillGrace
	}
	if s.maxPending <= 0 {
		s.maxPending = DefaultMaxPending
		if n, ok := cfg.Conf.Int(conf.TopologyShellboltMaxPending); ok && n > 0 {
			s.maxPending = int(n)
		}
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// environment returns the child's environment: the worker's, with env
// added; PATH from env is appended to the worker's PATH.
func environment(env map[string]string) []string {
	base := os.Environ()
	if len(env) == 0 {
		return base
	}
	out := make([]string, 0, len(base)+len(env))
	path := os.Getenv("PATH")
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, override := env[k]; !override {
			out = append(out, kv)
		}
	}
	for k, v := range env {
		if k == "PATH" {
			v = path + string(os.PathListSeparator) + v
		}
		out = append(out, k+"="+v)
	}
	return out
}
