package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// javaLaunch is everything storm.py's exec_storm_class puts on a client
// JVM's command line.
type javaLaunch struct {
	java        string   // $JAVA_HOME/bin/java or "java"
	jvmType     string   // "-client"
	daemonName  string   // -Ddaemon.name
	confOpts    []string // -c values, for -Dstorm.options
	stormHome   string   // -Dstorm.home
	logDir      string   // -Dstorm.log.dir
	libraryPath string   // -Djava.library.path (conf java.library.path)
	confFile    string   // -Dstorm.conf.file (--config, "" if none)
	classpath   string   // -cp
	jvmOpts     []string // after -cp: extra JVM flags, $STORM_JAR_JVM_OPTS, -Dstorm.jar
	class       string
	args        []string
}

// argv is the command line, argv[0] included, in storm.py's order.
func (l javaLaunch) argv() []string {
	a := []string{
		l.java, l.jvmType,
		"-Ddaemon.name=" + l.daemonName,
		"-Dstorm.options=" + stormOptions(l.confOpts),
		"-Dstorm.home=" + l.stormHome,
		"-Dstorm.log.dir=" + l.logDir,
		"-Djava.library.path=" + l.libraryPath,
		"-Dstorm.conf.file=" + l.confFile,
		"-cp", l.classpath,
	}
	a = append(a, l.jvmOpts...)
	a = append(a, l.class)
	return append(a, l.args...)
}

// javaCmd is storm.py's JAVA_CMD: $JAVA_HOME/bin/java if JAVA_HOME is set
// (and must exist), else "java" from PATH.
func javaCmd(getenv func(string) string) (string, error) {
	home := getenv("JAVA_HOME")
	if home == "" {
		return "java", nil
	}
	p := filepath.Join(home, "bin", "java")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("JAVA_HOME is invalid.  Could not find bin/java at %s", home)
	}
	return p, nil
}

// jarJVMOpts is the JVM flag list storm.py gives `storm jar` after -cp:
// Gale's flags for running storm-core 1.0.0 on a current JVM, then
// $STORM_JAR_JVM_OPTS (shlex-split), then -Dstorm.jar=JAR.
func jarJVMOpts(getenv func(string) string, jar string) ([]string, error) {
	user, err := shellSplit(getenv("STORM_JAR_JVM_OPTS"))
	if err != nil {
		return nil, fmt.Errorf("STORM_JAR_JVM_OPTS: %w", err)
	}
	opts := append(clientJVMFlags(), user...)
	return append(opts, "-Dstorm.jar="+jar), nil
}

// jarsIn is storm.py's get_jars_full: the *.jar files directly in dir (in
// directory order), or dir itself if it is a file ending in .jar.
func jarsIn(dir string) []string {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil
	}
	if !fi.IsDir() {
		if strings.HasSuffix(dir, ".jar") {
			return []string{dir}
		}
		return nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".jar") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// userConfDir is storm.py's USER_CONF_DIR: ~/.storm if it holds storm.yaml,
// else $STORM_CONF_DIR, else <storm home>/conf.
func userConfDir(getenv func(string) string, stormHome string) string {
	if home, err := os.UserHomeDir(); err == nil {
		d := filepath.Join(home, ".storm")
		if _, err := os.Stat(filepath.Join(d, "storm.yaml")); err == nil {
			return d
		}
	}
	if d := getenv("STORM_CONF_DIR"); d != "" {
		return d
	}
	return filepath.Join(stormHome, "conf")
}

// stormHomeDir is Gale's storm.home: $STORM_HOME, else the current
// directory (storm.py uses the release directory it was started from; a Go
// binary has none).
func stormHomeDir(getenv func(string) string) (string, error) {
	if h := getenv("STORM_HOME"); h != "" {
		return filepath.Abs(h)
	}
	return os.Getwd()
}

var errJarUsage = errors.New("usage: storm jar [--classpath CP] topology-jar-path class [args...]")

// Keys storm.py reads that Storm's defaults.yaml does not set.
const (
	keyStormLogDir          = "storm.log.dir"
	keyClientJarTransformer = "client.jartransformer.class"
)
