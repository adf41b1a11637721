package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/galeproject/gale/compat/conf"
)

// jar runs `storm jar [--classpath CP] JAR CLASS ARGS...` as storm.py's
// jar function: the class's main method on a client JVM whose classpath is
// storm-core 1.0.0, the jar and the user conf dir, with -Dstorm.jar set so
// StormSubmitter uploads that jar.
func (a *app) jar(ctx context.Context, g globalArgs, args []string) error {
	var explicit string
	if len(args) >= 1 && (args[0] == "--classpath" || strings.HasPrefix(args[0], "--classpath=")) {
		if v, ok := strings.CutPrefix(args[0], "--classpath="); ok {
			explicit, args = v, args[1:]
		} else if len(args) >= 2 {
			explicit, args = args[1], args[2:]
		}
	}
	if len(args) < 2 {
		return usageError{errors.New("missing topology jar or class"), "storm jar [--classpath CP] topology-jar-path class ..."}
	}
	jarFile, class, rest := args[0], args[1], args[2:]
	if _, err := os.Stat(jarFile); err != nil {
		return fmt.Errorf("topology jar: %w", err)
	}
	c, err := a.loadConf(g)
	if err != nil {
		return err
	}
	base, err := a.launchBase(ctx, g, c, explicit)
	if err != nil {
		return err
	}
	transformer := c.StringOr(keyClientJarTransformer, "")
	if transformer == "" {
		l, err := base.withJar(ctx, a, jarFile)
		if err != nil {
			return err
		}
		l.class, l.args = class, rest
		return a.runJava(ctx, l.argv(), a.replaceProcess)
	}

	// client.jartransformer.class: rewrite the jar first, then submit the
	// rewritten one (both JVMs forked, as storm.py does).
	tmp := filepath.Join(os.TempDir(), fmt.Sprintf("gale-%d-%d.jar", os.Getpid(), time.Now().UnixNano()))
	defer os.Remove(tmp)
	t := base
	t.classpath, err = a.resolver().clientClasspath(ctx, explicit)
	if err != nil {
		return err
	}
	t.class, t.args = "org.apache.storm.daemon.ClientJarTransformerRunner", []string{transformer, jarFile, tmp}
	if err := a.runJava(ctx, t.argv(), false); err != nil {
		return err
	}
	l, err := base.withJar(ctx, a, tmp)
	if err != nil {
		return err
	}
	l.class, l.args = class, rest
	return a.runJava(ctx, l.argv(), false)
}

// jarBase is a javaLaunch without classpath, class and JVM options, plus
// what is needed to finish it for one jar.
type jarBase struct {
	javaLaunch
	explicitCP string
	confDir    string
	binDir     string
}

func (a *app) resolver() classpathResolver {
	return classpathResolver{getenv: a.getenv, logger: a.logger, cacheDir: a.cacheDir}
}

// launchBase fills the parts of the command line every client JVM shares.
func (a *app) launchBase(ctx context.Context, g globalArgs, c conf.Conf, explicitCP string) (jarBase, error) {
	java, err := javaCmd(a.getenv)
	if err != nil {
		return jarBase{}, err
	}
	home, err := stormHomeDir(a.getenv)
	if err != nil {
		return jarBase{}, err
	}
	logDir := c.StringOr(keyStormLogDir, "")
	if logDir == "" || logDir == "nil" {
		logDir = filepath.Join(home, "logs")
	}
	return jarBase{
		javaLaunch: javaLaunch{
			java:        java,
			jvmType:     "-client",
			confOpts:    g.confOpts,
			stormHome:   home,
			logDir:      logDir,
			libraryPath: c.StringOr(conf.JavaLibraryPath, ""),
			confFile:    g.confFile,
		},
		explicitCP: explicitCP,
		confDir:    userConfDir(a.getenv, home),
		binDir:     filepath.Join(home, "bin"),
	}, nil
}

// withJar completes the launch for topology jar: classpath
// <storm jars>:<jar>:<user conf dir>:<storm bin dir> and the JVM options.
func (b jarBase) withJar(ctx context.Context, a *app, jar string) (javaLaunch, error) {
	l := b.javaLaunch
	var err error
	l.classpath, err = a.resolver().clientClasspath(ctx, b.explicitCP, jar, b.confDir, b.binDir)
	if err != nil {
		return l, err
	}
	l.jvmOpts, err = jarJVMOpts(a.getenv, jar)
	return l, err
}

// runJava prints the command line as storm.py does ("Running: ..."), then
// either replaces this process with it or runs it as a child and returns
// its exit status.
func (a *app) runJava(ctx context.Context, argv []string, replace bool) error {
	fmt.Fprintln(a.stdout, "Running: "+strings.Join(argv, " "))
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return fmt.Errorf("cannot run java: %w", err)
	}
	if replace {
		return syscall.Exec(path, argv, os.Environ())
	}
	cmd := exec.CommandContext(ctx, path, argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, a.stdout, a.stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() > 0 {
		return exitError{ee.ExitCode()}
	}
	return err
}

// classpath prints the client classpath (storm.py's `storm classpath`).
func (a *app) classpath(ctx context.Context, g globalArgs, args []string) error {
	var explicit string
	if len(args) == 2 && args[0] == "--classpath" {
		explicit = args[1]
	}
	cp, err := a.resolver().clientClasspath(ctx, explicit)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, cp)
	return nil
}
