package zktest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"
)

// Environment variables.
const (
	EnvServers = "GALE_TEST_ZK"     // reuse this ZooKeeper (host:port,...)
	EnvRequire = "GALE_REQUIRE_ZK"  // "1": fail instead of skip when unavailable
	envNoZK    = "GALE_TEST_ZK_OFF" // set by Main when its server failed
)

// Debian's zookeeper package.
const (
	ZooKeeperJar = "/usr/share/java/zookeeper.jar"
	SLF4JJar     = "/usr/share/java/slf4j-simple.jar"
	mainClass    = "org.apache.zookeeper.server.ZooKeeperServerMain"
)

// StartupTimeout bounds how long a server may take to answer.
const StartupTimeout = 60 * time.Second

// Main runs a test binary's tests with one shared ZooKeeper (unless
// $GALE_TEST_ZK names one) and stops it afterwards. Call it from TestMain.
func Main(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if os.Getenv(EnvServers) == "" {
		srv, err := StartServer(context.Background())
		if err != nil {
			os.Setenv(envNoZK, err.Error())
		} else {
			defer srv.Stop()
			os.Setenv(EnvServers, srv.Addr)
		}
	}
	return m.Run()
}

// Start returns the servers of a ZooKeeper for t, starting one (stopped at
// t's end) if neither $GALE_TEST_ZK nor Main provides it. If ZooKeeper is
// unavailable t is skipped, or failed when $GALE_REQUIRE_ZK=1.
func Start(t testing.TB) []string {
	t.Helper()
	if addr := os.Getenv(EnvServers); addr != "" {
		return strings.Split(addr, ",")
	}
	if reason := os.Getenv(envNoZK); reason != "" {
		unavailable(t, errors.New(reason))
	}
	ctx, cancel := context.WithTimeout(context.Background(), StartupTimeout)
	defer cancel()
	srv, err := StartServer(ctx)
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(srv.Stop)
	return []string{srv.Addr}
}

func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv(EnvRequire) == "1" {
		t.Fatalf("ZooKeeper required ($%s=1) but unavailable: %v", EnvRequire, err)
	}
	t.Skipf("ZooKeeper unavailable (set $%s or install Debian's zookeeper package): %v", EnvServers, err)
}

// Root returns a chroot unique to this call, "/gale-test-<random>/storm".
func Root(t testing.TB) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "/gale-test-" + hex.EncodeToString(b[:]) + "/storm"
}

// Server is a ZooKeeper process.
type Server struct {
	Addr string // 127.0.0.1:port
	dir  string
	cmd  *exec.Cmd
	done chan struct{}
}

// StartServer starts a standalone ZooKeeper on a free 127.0.0.1 port, with
// a 200 ms tick (so tests can use short session timeouts) and waits until
// it answers.
func StartServer(ctx context.Context) (*Server, error) {
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, fmt.Errorf("zktest: no java: %w", err)
	}
	for _, jar := range []string{ZooKeeperJar, SLF4JJar} {
		if _, err := os.Stat(jar); err != nil {
			return nil, fmt.Errorf("zktest: %w", err)
		}
	}
	var lastErr error
	for range 3 { // the free port may be taken before the JVM binds it
		srv, err := startOnce(ctx, java)
		if err == nil {
			return srv, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, lastErr
}

func startOnce(ctx context.Context, java string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "gale-zk-")
	if err != nil {
		return nil, fmt.Errorf("zktest: %w", err)
	}
	cfg := strings.Join([]string{
		"tickTime=200",
		"dataDir=" + filepath.Join(dir, "data"),
		"clientPort=" + strconv.Itoa(port),
		"clientPortAddress=127.0.0.1",
		"admin.enableServer=false",
		"maxClientCnxns=0",
		"maxSessionTimeout=60000",
		"4lw.commands.whitelist=ruok,srvr",
		"",
	}, "\n")
	cfgPath := filepath.Join(dir, "zoo.cfg")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("zktest: %w", err)
	}
	logf, err := os.Create(filepath.Join(dir, "zookeeper.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("zktest: %w", err)
	}
	cmd := exec.Command(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
		"-cp", ZooKeeperJar+":"+SLF4JJar, mainClass, cfgPath)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logf, logf
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		logf.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("zktest: start java: %w", err)
	}
	logf.Close()
	srv := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir: dir, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(srv.done) }()

	deadline := time.Now().Add(StartupTimeout)
	for {
		if serving(srv.Addr) {
			return srv, nil
		}
		select {
		case <-srv.done:
			err := fmt.Errorf("zktest: zookeeper exited: %s", srv.logTail())
			srv.Stop()
			return nil, err
		case <-ctx.Done():
			srv.Stop()
			return nil, fmt.Errorf("zktest: waiting for zookeeper: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			err := fmt.Errorf("zktest: zookeeper did not answer within %v: %s", StartupTimeout, srv.logTail())
			srv.Stop()
			return nil, err
		}
	}
}

// Stop kills the server and removes its data.
func (s *Server) Stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
	}
	<-s.done
	os.RemoveAll(s.dir)
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "zookeeper.log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// serving reports whether the server grants a session (it answers "ruok"
// before it serves requests).
func serving(addr string) bool {
	c, events, err := gozk.Connect([]string{addr}, 2*time.Second,
		gozk.WithLogInfo(false), gozk.WithLogger(quietLogger{}))
	if err != nil {
		return false
	}
	defer c.Close()
	timeout := time.After(2 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.State == gozk.StateHasSession {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

type quietLogger struct{}

func (quietLogger) Printf(string, ...any) {}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("zktest: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
