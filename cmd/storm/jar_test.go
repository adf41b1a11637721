package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestJavaLaunchArgv(t *testing.T) {
	l := javaLaunch{
		java: "java", jvmType: "-client",
		confOpts:  []string{`nimbus.seeds=["h1"]`, "topology.workers=2"},
		stormHome: "/opt/storm", logDir: "/opt/storm/logs", libraryPath: "/usr/local/lib:/opt/local/lib:/usr/lib",
		confFile: "", classpath: "/m2/storm-core-1.0.0.jar:/w/topo.jar:/opt/storm/conf:/opt/storm/bin",
		jvmOpts: []string{"-Xmx1g", "-Dstorm.jar=/w/topo.jar"}, class: "org.example.Topo", args: []string{"name", "-x"},
	}
	want := []string{
		"java", "-client", "-Ddaemon.name=",
		"-Dstorm.options=nimbus.seeds%3D%5B%22h1%22%5D,topology.workers%3D2",
		"-Dstorm.home=/opt/storm", "-Dstorm.log.dir=/opt/storm/logs",
		"-Djava.library.path=/usr/local/lib:/opt/local/lib:/usr/lib", "-Dstorm.conf.file=",
		"-cp", "/m2/storm-core-1.0.0.jar:/w/topo.jar:/opt/storm/conf:/opt/storm/bin",
		"-Xmx1g", "-Dstorm.jar=/w/topo.jar", "org.example.Topo", "name", "-x",
	}
	if got := l.argv(); !reflect.DeepEqual(got, want) {
		t.Errorf("argv\n got %q\nwant %q", got, want)
	}
}

// fakeJava makes a $JAVA_HOME whose bin/java prints its arguments one per
// line, so the whole `storm jar` command line can be checked without a JVM.
func fakeJava(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	bin := filepath.Join(home, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\nexit 3\n"
	if err := os.WriteFile(filepath.Join(bin, "java"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return home
}

func TestJarCommandLine(t *testing.T) {
	javaHome := fakeJava(t)
	stormHome := t.TempDir()
	work := t.TempDir()
	jar := filepath.Join(work, "topo.jar")
	if err := os.WriteFile(jar, []byte("PK"), 0o644); err != nil {
		t.Fatal(err)
	}
	extDir := filepath.Join(work, "ext")
	os.MkdirAll(extDir, 0o755)
	os.WriteFile(filepath.Join(extDir, "extra.jar"), nil, 0o644)
	os.WriteFile(filepath.Join(extDir, "notes.txt"), nil, 0o644)
	confFile := filepath.Join(work, "my.yaml")
	os.WriteFile(confFile, []byte("storm.log.dir: /var/log/storm\n"), 0o644)

	env := map[string]string{
		"JAVA_HOME":           javaHome,
		"STORM_HOME":          stormHome,
		"STORM_CLASSPATH":     "/cp/storm-core-1.0.0.jar:/cp/kryo.jar",
		"STORM_EXT_CLASSPATH": extDir,
		"STORM_JAR_JVM_OPTS":  `-Xmx256m "-Dgreeting=hello world"`,
		"STORM_CONF_DIR":      filepath.Join(work, "noconf"),
		"HOME":                work,
	}
	var stdout, stderr bytes.Buffer
	a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
	code := a.run(context.Background(), []string{"-c", "topology.workers=2", "--config", confFile,
		"jar", jar, "org.example.Topo", "wc", "-c", `nimbus.seeds=["h"]`, "--flag"})
	if code != 3 {
		t.Fatalf("exit code %d, want the JVM's 3; stderr: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	if !strings.HasPrefix(lines[0], "Running: "+filepath.Join(javaHome, "bin", "java")+" -client ") {
		t.Errorf("first line %q, want storm.py's Running: echo", lines[0])
	}
	want := []string{
		"-client", "-Ddaemon.name=",
		"-Dstorm.options=topology.workers%3D2,nimbus.seeds%3D%5B%22h%22%5D",
		"-Dstorm.home=" + stormHome,
		"-Dstorm.log.dir=/var/log/storm",
		"-Djava.library.path=/usr/local/lib:/opt/local/lib:/usr/lib",
		"-Dstorm.conf.file=" + confFile,
		"-cp", strings.Join([]string{"/cp/storm-core-1.0.0.jar", "/cp/kryo.jar", filepath.Join(extDir, "extra.jar"), jar,
			filepath.Join(work, "noconf"), filepath.Join(stormHome, "bin")}, ":"),
		"-Xmx256m", "-Dgreeting=hello world", "-Dstorm.jar=" + jar,
		"org.example.Topo", "wc", "--flag",
	}
	if got := lines[1:]; !reflect.DeepEqual(got, want) {
		t.Errorf("java argv\n got %q\nwant %q", got, want)
	}
}

func TestJarUserConfDir(t *testing.T) {
	// ~/.storm wins over $STORM_CONF_DIR when it holds storm.yaml.
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".storm"), 0o755)
	env := map[string]string{"STORM_CONF_DIR": "/etc/storm"}
	getenv := func(k string) string { return env[k] }
	t.Setenv("HOME", home)
	if got := userConfDir(getenv, "/opt/storm"); got != "/etc/storm" {
		t.Errorf("without ~/.storm/storm.yaml: %q, want /etc/storm", got)
	}
	os.WriteFile(filepath.Join(home, ".storm", "storm.yaml"), nil, 0o644)
	if got := userConfDir(getenv, "/opt/storm"); got != filepath.Join(home, ".storm") {
		t.Errorf("with ~/.storm/storm.yaml: %q", got)
	}
	env = nil
	os.Remove(filepath.Join(home, ".storm", "storm.yaml"))
	if got := userConfDir(getenv, "/opt/storm"); got != "/opt/storm/conf" {
		t.Errorf("fallback: %q, want /opt/storm/conf", got)
	}
}

func TestJarErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		msg  string
	}{
		{"missing class", []string{"jar", "x.jar"}, nil, 2, "Syntax: [storm jar"},
		{"missing jar file", []string{"jar", "/nonexistent/x.jar", "Main"}, nil, 1, "topology jar"},
		{"bad JAVA_HOME", []string{"jar", "jar_test.go", "Main"}, map[string]string{"JAVA_HOME": "/nonexistent"}, 1, "JAVA_HOME is invalid"},
		{"bad STORM_JAR_JVM_OPTS", []string{"jar", "jar_test.go", "Main"},
			map[string]string{"STORM_CLASSPATH": "/x.jar", "STORM_JAR_JVM_OPTS": `"open`, "STORM_CONF_DIR": "/nonexistent"}, 1, "no closing quotation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			a := &app{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return tt.env[k] }}
			if code := a.run(context.Background(), tt.args); code != tt.code {
				t.Errorf("code %d, want %d; stderr %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.msg) {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.msg)
			}
		})
	}
}
