package supervisor

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/compat/conf"
)

// DefaultVersion is what the supervisor reports as SupervisorInfo.version:
// the Storm release Gale speaks for, marked as Gale's (the UI shows it).
const DefaultVersion = "1.0.0-gale"

// Defaults for zero Config fields.
const (
	DefaultPollInterval     = 10 * time.Second // Storm's fixed synchronize-supervisor period
	DefaultMaxResourceBytes = 1 << 30          // bytes extracted from one jar's resources/
)

// Config is what a Supervisor runs with. Conf, State, Launcher and Blobs are
// required; the rest have defaults.
type Config struct {
	// Conf is the daemon configuration (defaults + storm.yaml + -c).
	Conf conf.Conf
	// State is the cluster state the supervisor registers in and reads
	// assignments from. The supervisor does not close it.
	State *cluster.State
	// Launcher starts workers (ProcessLauncher, or FuncLauncher in-process).
	Launcher Launcher
	// Blobs fetches topology code (NimbusBlobs, or LocalBlobs in-process).
	Blobs BlobSource
	// Clock is the time source for every liveness decision; nil = time.Now.
	Clock func() time.Time
	// Logger; nil discards.
	Logger *slog.Logger
	// Hostname is reported to Nimbus; "" = storm.local.hostname, else the
	// host name.
	Hostname string
	// WorkerArgs follow "worker <storm-id> <assignment-id> <port> <worker-id>"
	// on every worker command line: the daemon's own --config FILE and
	// -c key=value flags, so a worker reads the same configuration.
	WorkerArgs []string
	// LogDir holds workers-artifacts; "" = conf "storm.log.dir" if set,
	// else <storm.local.dir>/logs.
	LogDir string
	// Version is SupervisorInfo.version; "" = DefaultVersion.
	Version string
	// PollInterval is the period of the assignment poll that backs up the
	// watches; 0 = DefaultPollInterval.
	PollInterval time.Duration
	// MaxResourceBytes bounds what one jar's resources/ may expand to;
	// 0 = DefaultMaxResourceBytes.
	MaxResourceBytes int64
	// Restart is the slots' restart policy; zero = DefaultRestartPolicy().
	Restart RestartPolicy
}

// settings are the resolved, typed values the supervisor runs with.
type settings struct {
	enabled        bool // supervisor.enable: false registers without running workers
	ports          []int
	heartbeatEvery time.Duration // supervisor.heartbeat.frequency.secs
	monitorEvery   time.Duration // supervisor.monitor.frequency.secs
	pollEvery      time.Duration
	timeouts       Timeouts
	shutdownSleep  time.Duration // supervisor.worker.shutdown.sleep.secs
	memoryMB       float64
	cpu            float64
	schedulerMeta  map[string]string
	hostname       string
	version        string
	maxResources   int64
}

func secs(c conf.Conf, key string, def int64) time.Duration {
	return time.Duration(c.IntOr(key, def)) * time.Second
}

func resolve(cfg Config) (settings, layout, error) {
	c := cfg.Conf
	var s settings
	var l layout
	switch {
	case c == nil:
		return s, l, errors.New("supervisor: Config.Conf is required")
	case cfg.State == nil:
		return s, l, errors.New("supervisor: Config.State is required")
	case cfg.Launcher == nil:
		return s, l, errors.New("supervisor: Config.Launcher is required")
	case cfg.Blobs == nil:
		return s, l, errors.New("supervisor: Config.Blobs is required")
	}
	local, ok := c.String(conf.StormLocalDir)
	if !ok || local == "" {
		return s, l, fmt.Errorf("supervisor: %s is not set", conf.StormLocalDir)
	}
	local, err := filepath.Abs(local)
	if err != nil {
		return s, l, fmt.Errorf("supervisor: %s: %w", conf.StormLocalDir, err)
	}
	logDir := cfg.LogDir
	if logDir == "" {
		logDir = c.StringOr(conf.PropStormLogDir, filepath.Join(local, "logs"))
	}
	if logDir, err = filepath.Abs(logDir); err != nil {
		return s, l, fmt.Errorf("supervisor: log dir: %w", err)
	}
	artifacts := c.StringOr(conf.StormWorkersArtifactsDir, "workers-artifacts")
	if !filepath.IsAbs(artifacts) {
		artifacts = filepath.Join(logDir, artifacts)
	}
	l = layout{local: local, logDir: logDir, artifacts: artifacts}

	for _, p := range c.Ints(conf.SupervisorSlotsPorts) {
		if p <= 0 || p > 65535 {
			return s, l, fmt.Errorf("supervisor: %s: bad port %d", conf.SupervisorSlotsPorts, p)
		}
		if !slices.Contains(s.ports, int(p)) {
			s.ports = append(s.ports, int(p))
		}
	}
	if c.Has(conf.SupervisorSlotsPorts) && s.ports == nil && len(c.Strings(conf.SupervisorSlotsPorts)) > 0 {
		return s, l, fmt.Errorf("supervisor: %s must be a list of ports", conf.SupervisorSlotsPorts)
	}
	slices.Sort(s.ports)
	s.enabled = c.BoolOr(conf.SupervisorEnable, true)
	s.heartbeatEvery = secs(c, conf.SupervisorHeartbeatFrequencySecs, 5)
	s.monitorEvery = secs(c, conf.SupervisorMonitorFrequencySecs, 3)
	s.timeouts = Timeouts{
		Start:  secs(c, conf.SupervisorWorkerStartTimeoutSecs, 120),
		Worker: secs(c, conf.SupervisorWorkerTimeoutSecs, 30),
	}
	s.shutdownSleep = secs(c, conf.SupervisorWorkerShutdownSleepSecs, 1)
	for _, d := range []*time.Duration{&s.heartbeatEvery, &s.monitorEvery} {
		if *d <= 0 {
			*d = time.Second
		}
	}
	s.pollEvery = cfg.PollInterval
	if s.pollEvery <= 0 {
		s.pollEvery = DefaultPollInterval
	}
	s.memoryMB = c.FloatOr(conf.SupervisorMemoryCapacityMb, 3072)
	s.cpu = c.FloatOr(conf.SupervisorCPUCapacity, 400)
	if m := c.Map(conf.SupervisorSchedulerMeta); m != nil {
		s.schedulerMeta = make(map[string]string, len(m))
		for k, v := range m {
			s.schedulerMeta[k] = fmt.Sprint(v)
		}
	}
	s.hostname = cfg.Hostname
	if s.hostname == "" {
		s.hostname = c.StringOr(conf.StormLocalHostname, "")
	}
	if s.hostname == "" {
		if s.hostname, err = os.Hostname(); err != nil {
			return s, l, fmt.Errorf("supervisor: hostname: %w", err)
		}
	}
	s.version = cfg.Version
	if s.version == "" {
		s.version = DefaultVersion
	}
	s.maxResources = cfg.MaxResourceBytes
	if s.maxResources <= 0 {
		s.maxResources = DefaultMaxResourceBytes
	}
	return s, l, nil
}
