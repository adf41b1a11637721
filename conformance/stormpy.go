package conformance

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// cliNamespaces maps storm.py's client commands to the Clojure namespace
// (a class with main) each one runs, from bin/storm.py at v1.0.0. All run
// with jvmtype -client, extrajars [USER_CONF_DIR, STORM_BIN_DIR] and
// daemon=True (storm.py's default).
var cliNamespaces = map[string]string{
	"kill":               "org.apache.storm.command.kill_topology",
	"activate":           "org.apache.storm.command.activate",
	"deactivate":         "org.apache.storm.command.deactivate",
	"rebalance":          "org.apache.storm.command.rebalance",
	"list":               "org.apache.storm.command.list",
	"set_log_level":      "org.apache.storm.command.set_log_level",
	"blobstore":          "org.apache.storm.command.blobstore",
	"upload-credentials": "org.apache.storm.command.upload_credentials",
	"get-errors":         "org.apache.storm.command.get_errors",
}

// Launcher builds and runs JVM command lines exactly as Storm 1.0.0's
// bin/storm.py does (exec_storm_class, get_classpath, confvalue), for a
// Storm release directory and one configuration. Two deliberate
// differences, neither of which changes a command line's meaning:
// USER_CONF_DIR is always the cluster conf dir (storm.py picks ~/.storm
// when it holds a storm.yaml; the suite must not depend on the home
// directory), and the jars of a directory are listed sorted (storm.py
// uses os.listdir order, which is the file system's).
type Launcher struct {
	Java     string   // storm.py's JAVA_CMD
	StormDir string   // STORM_DIR: lib/, extlib/, bin/, public/, log4j2/
	ConfDir  string   // CLUSTER_CONF_DIR ($STORM_CONF_DIR) = USER_CONF_DIR
	Options  []string // the -c key=value options, in order
	ConfFile string   // --config FILE, "" if none
	// Env is added to the environment of every JVM (after os.Environ()).
	Env []string

	cache *confCache // shared by WithOptions copies; nil: no caching
}

// confCache keeps confvalue results; the key has everything that decides
// the value (name, classpath, options, conf file).
type confCache struct {
	mu sync.Mutex
	m  map[string]string
}

// NewLauncher returns a launcher that caches confvalue results.
func NewLauncher(java, stormDir, confDir string, env []string) *Launcher {
	return &Launcher{Java: java, StormDir: stormDir, ConfDir: confDir, Env: env, cache: &confCache{m: map[string]string{}}}
}

// WithOptions is a copy of l with the given -c options (sharing the cache).
func (l *Launcher) WithOptions(opts []string) *Launcher {
	c := *l
	c.Options = opts
	return &c
}

// binDir is STORM_BIN_DIR.
func (l *Launcher) binDir() string { return filepath.Join(l.StormDir, "bin") }

// jarsFull is storm.py's get_jars_full: the *.jar entries of a directory,
// or the path itself when it is an existing file (whatever its name; the
// .jar filter applies to both, as in storm.py).
func jarsFull(dir string) []string {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil
	}
	var names []string
	if fi.IsDir() {
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil
		}
		for _, e := range ents {
			names = append(names, filepath.Join(dir, e.Name()))
		}
	} else {
		names = []string{dir}
	}
	var out []string
	for _, n := range names {
		if strings.HasSuffix(n, ".jar") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Classpath is storm.py's get_classpath(extrajars, daemon).
func (l *Launcher) Classpath(extrajars []string, daemon bool) string {
	cp := jarsFull(l.StormDir)
	cp = append(cp, jarsFull(l.StormDir+"/lib")...)
	cp = append(cp, jarsFull(l.StormDir+"/extlib")...)
	if daemon {
		cp = append(cp, jarsFull(l.StormDir+"/extlib-daemon")...)
	}
	cp = append(cp, extrajars...)
	return strings.Join(cp, string(os.PathListSeparator))
}

// StormOptions is storm.py's get_config_opts(): "-Dstorm.options=" and
// the comma-joined quote_plus of each -c value.
func StormOptions(opts []string) string {
	enc := make([]string, len(opts))
	for i, o := range opts {
		enc[i] = quotePlus(o)
	}
	return "-Dstorm.options=" + strings.Join(enc, ",")
}

// quotePlus is Python 2's urllib.quote_plus: letters, digits and "_.-"
// stay, space becomes "+", every other byte %XX.
func quotePlus(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '.', c == '-':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// ConfValue is storm.py's confvalue(name, extrapaths, daemon): it runs
// org.apache.storm.command.config_value on a JVM and returns what follows
// "VALUE: " (the empty string when there is no such line). Results are
// cached per launcher.
func (l *Launcher) ConfValue(ctx context.Context, name string, extrapaths []string, daemon bool) (string, error) {
	cp := l.Classpath(extrapaths, daemon)
	key := strings.Join(append([]string{name, cp, l.ConfFile}, l.Options...), "\x00")
	if l.cache != nil {
		l.cache.mu.Lock()
		v, ok := l.cache.m[key]
		l.cache.mu.Unlock()
		if ok {
			return v, nil
		}
	}
	argv := []string{l.Java, "-client", StormOptions(l.Options), "-Dstorm.conf.file=" + l.ConfFile,
		"-cp", cp, "org.apache.storm.command.config_value", name}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), l.Env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("confvalue %s: %w: %s", name, err, tail(stderr.String(), 2000))
	}
	v := ""
	for _, line := range strings.Split(string(out), "\n") {
		tok := strings.Split(line, " ")
		if tok[0] == "VALUE:" {
			v = strings.Join(tok[1:], " ")
			break
		}
	}
	if l.cache != nil {
		l.cache.mu.Lock()
		l.cache.m[key] = v
		l.cache.mu.Unlock()
	}
	return v, nil
}

// ExecArgv is the argv storm.py's exec_storm_class builds (argv[0] is
// JAVA_CMD); it runs the two confvalue JVMs storm.py runs first.
func (l *Launcher) ExecArgv(ctx context.Context, klass, jvmtype string, jvmopts, extrajars, args []string, daemon bool, daemonName string) ([]string, error) {
	logDir, err := l.ConfValue(ctx, "storm.log.dir", []string{l.ConfDir}, true)
	if err != nil {
		return nil, err
	}
	if logDir == "" || logDir == "nil" {
		logDir = filepath.Join(l.StormDir, "logs")
	}
	libPath, err := l.ConfValue(ctx, "java.library.path", extrajars, daemon)
	if err != nil {
		return nil, err
	}
	argv := []string{l.Java, jvmtype,
		"-Ddaemon.name=" + daemonName,
		StormOptions(l.Options),
		"-Dstorm.home=" + l.StormDir,
		"-Dstorm.log.dir=" + logDir,
		"-Djava.library.path=" + libPath,
		"-Dstorm.conf.file=" + l.ConfFile,
		"-cp", l.Classpath(extrajars, daemon),
	}
	argv = append(argv, jvmopts...)
	argv = append(argv, klass)
	return append(argv, args...), nil
}

// JarArgv is `storm jar JAR CLASS ARGS...` (storm.py's jar function,
// without a client.jartransformer.class, which the suite does not set;
// STORM_JAR_JVM_OPTS is empty).
func (l *Launcher) JarArgv(ctx context.Context, jar, class string, args []string) ([]string, error) {
	tr, err := l.ConfValue(ctx, "client.jartransformer.class", []string{l.ConfDir}, true)
	if err != nil {
		return nil, err
	}
	if tr != "" && tr != "nil" {
		return nil, fmt.Errorf("client.jartransformer.class %q is set; the suite does not emulate the transformer", tr)
	}
	return l.ExecArgv(ctx, class, "-client", []string{"-Dstorm.jar=" + jar},
		[]string{jar, l.ConfDir, l.binDir()}, args, false, "")
}

// CommandArgv is a storm.py client command (list, kill, blobstore, ...).
func (l *Launcher) CommandArgv(ctx context.Context, command string, args []string) ([]string, error) {
	ns, ok := cliNamespaces[command]
	if !ok {
		return nil, fmt.Errorf("unknown storm command %q", command)
	}
	return l.ExecArgv(ctx, ns, "-client", nil, []string{l.ConfDir, l.binDir()}, args, true, "")
}

// log4j2ConfDir is storm.py's get_log4j2_conf_dir.
func (l *Launcher) log4j2ConfDir(ctx context.Context) (string, error) {
	d, err := l.ConfValue(ctx, "storm.log4j2.conf.dir", []string{l.ConfDir}, true)
	if err != nil {
		return "", err
	}
	switch {
	case d == "" || d == "nil":
		return filepath.Join(l.StormDir, "log4j2"), nil
	case !filepath.IsAbs(d):
		return filepath.Join(l.StormDir, d), nil
	}
	return d, nil
}

// daemonArgv is what storm.py's ui and supervisor functions build: the
// daemon's childopts, its log file name, the async logger selector and
// <log4j2 conf dir>/cluster.xml, on a -server JVM.
func (l *Launcher) daemonArgv(ctx context.Context, klass, name, childoptsKey, logfile string, extrajars []string) ([]string, error) {
	childopts, err := l.ConfValue(ctx, childoptsKey, []string{l.ConfDir}, true)
	if err != nil {
		return nil, err
	}
	opts := strings.Fields(childopts) // storm.py's parse_args; the suite's values have no quotes
	if childopts == "nil" {
		opts = nil
	}
	logDir, err := l.log4j2ConfDir(ctx)
	if err != nil {
		return nil, err
	}
	opts = append(opts,
		"-Dlogfile.name="+logfile,
		"-DLog4jContextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
		"-Dlog4j.configurationFile="+filepath.Join(logDir, "cluster.xml"))
	return l.ExecArgv(ctx, klass, "-server", opts, extrajars, nil, true, name)
}

// UIArgv is `storm ui`: STORM_DIR (for public/) and the conf dir on the
// classpath.
func (l *Launcher) UIArgv(ctx context.Context) ([]string, error) {
	return l.daemonArgv(ctx, "org.apache.storm.ui.core", "ui", "ui.childopts", "ui.log", []string{l.StormDir, l.ConfDir})
}

// SupervisorArgv is `storm supervisor` (STORM_SUPERVISOR_LOG_FILE unset).
func (l *Launcher) SupervisorArgv(ctx context.Context) ([]string, error) {
	return l.daemonArgv(ctx, "org.apache.storm.daemon.supervisor", "supervisor", "supervisor.childopts", "supervisor.log", []string{l.ConfDir})
}

// NimbusArgv is `storm nimbus` (Storm's own Nimbus daemon).
func (l *Launcher) NimbusArgv(ctx context.Context) ([]string, error) {
	return l.daemonArgv(ctx, "org.apache.storm.daemon.nimbus", "nimbus", "nimbus.childopts", "nimbus.log", []string{l.ConfDir})
}
