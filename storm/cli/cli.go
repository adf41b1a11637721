package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/profiling"
	"github.com/galeproject/gale/internal/workerproc"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
)

// Topology is what a Go topology executable provides.
type Topology struct {
	// Name is the topology name dev mode uses when none is given.
	Name string
	// App creates the components, in the worker and while building.
	App *storm.App
	// Build builds the topology and its configuration. opts holds the -c
	// options of the command line (normalized values), so a topology can
	// read its own settings; they are also merged over the returned
	// configuration before it is submitted.
	Build func(opts storm.Conf) (*stormthrift.StormTopology, storm.Config, error)
	// Dev, when set, runs in dev mode once the topology is submitted; when
	// it returns, the cluster stops and the program exits (non-zero if it
	// returned an error). Without it dev mode reports progress until
	// interrupted.
	Dev func(ctx context.Context, l *Local, stdout io.Writer) error
}

// Env is what Run touches outside the process.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Logger, when set, replaces the text logger on Stderr.
	Logger *slog.Logger
	// Executable is the artifact submit and dev upload; "" means
	// os.Executable().
	Executable string
}

// Main runs the command line of os.Args and exits with its status. SIGINT
// and SIGTERM stop the running mode.
func Main(t Topology) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, t, os.Args[1:], Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// Run runs one command line (without the program name) and returns the
// exit status: 0 on success, 1 on failure, 2 on a usage error.
func Run(ctx context.Context, t Topology, args []string, env Env) int {
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	prog := filepath.Base(os.Args[0])
	// As storm.py does, -c and --config may come anywhere on the line.
	line, err := parseCmdline(args)
	if err != nil || len(line.pos) == 0 {
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: %v\n", prog, err)
		}
		usage(env.Stderr, prog)
		return 2
	}
	mode := line.pos[0]
	line.pos = line.pos[1:]
	stopProfile, err := profiling.Start(env.Getenv(profiling.EnvDir), filepath.Base(prog)+"-"+mode)
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %v\n", prog, err)
		return 1
	}
	defer func() {
		if err := stopProfile(); err != nil {
			fmt.Fprintf(env.Stderr, "%s: %v\n", prog, err)
		}
	}()
	switch mode {
	case "worker":
		err = workerproc.Run(ctx, line.args(), workerproc.Options{
			Components: t.App, Stderr: env.Stderr, Getenv: env.Getenv, Logger: env.Logger})
	case "submit":
		err = submitMode(ctx, t, line, env)
	case "dev":
		err = devMode(ctx, t, line, env)
	case "help", "-h", "--help":
		usage(env.Stdout, prog)
		return 0
	default:
		fmt.Fprintf(env.Stderr, "%s: unknown mode %q\n", prog, mode)
		usage(env.Stderr, prog)
		return 2
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "%s %s: %v\n", prog, mode, ue.err)
		usage(env.Stderr, prog)
		return 2
	default:
		fmt.Fprintf(env.Stderr, "%s %s: %v\n", prog, mode, err)
		return 1
	}
}

func usage(w io.Writer, prog string) {
	fmt.Fprintf(w, `Usage:
  %[1]s submit [-c key=value]... [--config FILE] NAME   submit this topology to the cluster (nimbus.seeds)
  %[1]s dev [-c key=value]... [--config FILE] [NAME]    run it on a one-process cluster
  %[1]s %[2]s
                                                      (run by supervisors)
`, prog, workerproc.Usage)
}

type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }

// cmdline is a mode's command line after storm.py's option parsing.
type cmdline struct {
	confOpts []string
	confFile string
	pos      []string
}

func parseCmdline(args []string) (cmdline, error) {
	c, err := conf.ParseCommandLine(args)
	if err != nil {
		return cmdline{}, usageError{err}
	}
	return cmdline{confOpts: c.Overrides, confFile: c.ConfFile, pos: c.Args}, nil
}

// args renders the line back: positional arguments, then the options.
func (c cmdline) args() []string {
	out := append([]string{}, c.pos...)
	if c.confFile != "" {
		out = append(out, "--config", c.confFile)
	}
	for _, o := range c.confOpts {
		out = append(out, "-c", o)
	}
	return out
}

// overrides returns the -c options as a configuration.
func (c cmdline) overrides() (conf.Conf, error) {
	o := conf.Conf{}
	for _, s := range c.confOpts {
		k, v, err := conf.ParseOverride(s)
		if err != nil {
			return nil, usageError{err}
		}
		o[k] = v
	}
	return o, nil
}

// clientConf is defaults + storm.yaml (or --config) + -c.
func (c cmdline) clientConf(getenv func(string) string) (conf.Conf, error) {
	cc, err := conf.Load(conf.LoadOptions{ConfFile: c.confFile, Overrides: c.confOpts, Getenv: getenv})
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return cc, nil
}

// build builds the topology and the configuration to submit: Build's,
// with the -c options merged over it.
func build(t Topology, overrides conf.Conf) (*stormthrift.StormTopology, conf.Conf, error) {
	if t.App == nil || t.Build == nil {
		return nil, nil, errors.New("cli: Topology needs App and Build")
	}
	topo, cfg, err := t.Build(overrides.Clone())
	if err != nil {
		return nil, nil, fmt.Errorf("build topology: %w", err)
	}
	tc, err := conf.FromMap(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("topology configuration: %w", err)
	}
	if tc == nil {
		tc = conf.Conf{}
	}
	return topo, tc.Merge(overrides), nil
}

func (env Env) executable() (string, error) {
	if env.Executable != "" {
		return env.Executable, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("this executable: %w", err)
	}
	return exe, nil
}

func (env Env) logger(daemon bool) *slog.Logger {
	if env.Logger != nil {
		return env.Logger
	}
	level := slog.LevelWarn
	if daemon {
		level = slog.LevelInfo
	}
	if s := env.Getenv("GALE_LOG_LEVEL"); s != "" {
		var l slog.Level
		if err := l.UnmarshalText([]byte(s)); err == nil {
			level = l
		}
	}
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level}))
}

// submitMode is `prog submit [-c k=v]... [--config F] NAME`.
func submitMode(ctx context.Context, t Topology, c cmdline, env Env) error {
	if len(c.pos) != 1 {
		return usageError{errors.New("want exactly one topology NAME")}
	}
	name := c.pos[0]
	overrides, err := c.overrides()
	if err != nil {
		return err
	}
	cc, err := c.clientConf(env.Getenv)
	if err != nil {
		return err
	}
	topo, tc, err := build(t, overrides)
	if err != nil {
		return err
	}
	exe, err := env.executable()
	if err != nil {
		return err
	}
	id, err := Submit(ctx, cc, Submission{Name: name, Topology: topo, Conf: tc, Artifact: exe}, env.logger(false))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Finished submitting topology: %s (%s)\n", name, id)
	return nil
}
