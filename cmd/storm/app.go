package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"

	"github.com/galeproject/gale/compat/conf"
)

// app is one run of the storm command. Everything it touches outside the
// process goes through these fields, so tests run commands in-process.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	logger         *slog.Logger // set by run from $GALE_LOG_LEVEL unless preset
	// replaceProcess makes `storm jar` exec the JVM in place of this
	// process, as storm.py's execvp does; otherwise the JVM is a child whose
	// exit code becomes ours.
	replaceProcess bool
	// cacheDir overrides where the storm-core classpath is cached (tests).
	cacheDir string
}

// command is one subcommand: it gets the global flags and its own args.
type command struct {
	run     func(a *app, ctx context.Context, g globalArgs, args []string) error
	daemon  bool // logs at info level by default
	summary string
}

func commands() map[string]command {
	return map[string]command{
		"nimbus":     {(*app).nimbus, true, "run a Nimbus daemon (cluster state in ZooKeeper: storm.zookeeper.servers)"},
		"supervisor": {(*app).supervisor, true, "run a Supervisor daemon (cluster state in ZooKeeper; workers are processes)"},
		"worker":     {(*app).worker, true, "worker storm-id assignment-id port worker-id: run one worker of a jar topology (started by supervisors)"},
		"dev":        {(*app).dev, true, "run a one-process development cluster (in-memory state, Nimbus + a supervisor) on nimbus.thrift.port"},
		"jar":        {(*app).jar, false, "jar [--classpath CP] topology-jar-path class [args...]: run a topology's main class on a JVM"},
		"list":       {(*app).list, false, "list the running topologies"},
		"kill":       {(*app).kill, false, "kill topology-name [-w wait-time-secs]"},
		"activate":   {(*app).activate, false, "activate topology-name"},
		"deactivate": {(*app).deactivate, false, "deactivate topology-name"},
		"rebalance":  {(*app).rebalance, false, "rebalance topology-name [-w wait-time-secs] [-n new-num-workers] [-e component=parallelism]*"},
		"classpath":  {(*app).classpath, false, "print the client classpath `storm jar` uses"},
		"version":    {(*app).version, false, "print the version"},
		"help":       {(*app).help, false, "help [command]"},
	}
}

// stormOnlyCommands are storm.py commands Gale does not provide.
const stormOnlyCommands = "shell ui logviewer drpc localconfvalue remoteconfvalue repl dev-zookeeper monitor " +
	"upload-credentials pacemaker heartbeats blobstore get-errors set_log_level kill_workers node-health-check sql"

// usageError is a command-line mistake: the message, then the syntax.
type usageError struct {
	err    error
	syntax string
}

func (u usageError) Error() string { return u.err.Error() + "\nSyntax: [" + u.syntax + "]" }

// exitError carries a child process's exit code.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// run executes one command line (without the program name) and returns the
// process exit code, as storm.py would: 255 with no arguments, 254 for an
// unknown command, 2 for a usage error, 1 for a failure.
func (a *app) run(ctx context.Context, argv []string) int {
	if len(argv) == 0 {
		a.printCommands()
		return 255
	}
	g, err := parseGlobal(argv)
	if err != nil {
		fmt.Fprintln(a.stderr, "storm:", err)
		return 2
	}
	if len(g.rest) == 0 {
		a.printCommands()
		return 255
	}
	name, args := g.rest[0], g.rest[1:]
	cmd, ok := commands()[name]
	if !ok {
		if slices.Contains(strings.Fields(stormOnlyCommands), name) {
			fmt.Fprintf(a.stderr, "storm %s: Storm 1.0.0 has this command; Gale does not provide it (yet)\n", name)
			return 1
		}
		fmt.Fprintf(a.stdout, "Unknown command: [storm %s]\n", strings.Join(argv, " "))
		a.printCommands()
		return 254
	}
	if a.logger == nil {
		a.logger = newLogger(a.stderr, a.getenv("GALE_LOG_LEVEL"), cmd.daemon)
	}
	err = cmd.run(a, ctx, g, args)
	var ue usageError
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "storm %s: %v\n", name, ue)
		return 2
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		fmt.Fprintf(a.stderr, "storm %s: interrupted\n", name)
		return 130
	default:
		fmt.Fprintf(a.stderr, "storm %s: %s\n", name, describeErr(err))
		return 1
	}
}

// newLogger logs text to w at the level named by env ("debug", "info",
// "warn", "error"); by default info for daemons and warn for clients.
func newLogger(w io.Writer, env string, daemon bool) *slog.Logger {
	level := slog.LevelWarn
	if daemon {
		level = slog.LevelInfo
	}
	if env != "" {
		var l slog.Level
		if err := l.UnmarshalText([]byte(env)); err == nil {
			level = l
		}
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// loadConf is the client's view of the configuration: defaults, storm.yaml
// (--config, else $STORM_CONF_DIR or ~/.storm), then the -c overrides.
func (a *app) loadConf(g globalArgs) (conf.Conf, error) {
	c, err := conf.Load(conf.LoadOptions{ConfFile: g.confFile, Overrides: g.confOpts, Getenv: a.getenv})
	if err != nil {
		return nil, fmt.Errorf("load configuration: %w", err)
	}
	return c, nil
}

func (a *app) printCommands() {
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(a.stdout, "Usage: storm [-c key=value]... [--config FILE] COMMAND [ARGS...]")
	fmt.Fprintln(a.stdout, "\nCommands:")
	for _, n := range names {
		fmt.Fprintf(a.stdout, "\t%-11s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(a.stdout, "\nHelp: storm help COMMAND")
	fmt.Fprintln(a.stdout, "\nDocumentation for Storm 1.0.0's client commands: http://storm.apache.org/releases/1.0.0/Command-line-client.html")
}

func (a *app) help(ctx context.Context, g globalArgs, args []string) error {
	if len(args) == 0 {
		a.printCommands()
		return nil
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(a.stdout, "<%s> is not a valid command\n", args[0])
		return nil
	}
	fmt.Fprintf(a.stdout, "storm %s: %s\n", args[0], cmd.summary)
	return nil
}
