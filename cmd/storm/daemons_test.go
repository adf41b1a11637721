package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/embedded"
	"github.com/galeproject/gale/internal/zktest"
)

// syncBuffer is a bytes.Buffer safe for a daemon goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freePort(t *testing.T) int64 {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return int64(ln.Addr().(*net.TCPAddr).Port)
}

// runDaemon runs a daemon command line in-process until the test cancels
// it; it returns the cancel function and a channel with the exit code.
func runDaemon(t *testing.T, cl *cluster, args ...string) (stop func() int, out *syncBuffer) {
	t.Helper()
	out = &syncBuffer{}
	a := &app{stdout: out, stderr: out, getenv: func(k string) string { return cl.env[k] }, logger: testLogger(t)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- a.run(ctx, args) }()
	stopped := false
	var code int
	stop = func() int {
		if !stopped {
			stopped = true
			cancel()
			select {
			case code = <-done:
			case <-time.After(30 * time.Second):
				t.Errorf("daemon %v did not stop within 30s", args)
			}
		}
		return code
	}
	t.Cleanup(func() { stop() })
	return stop, out
}

// waitList polls `storm list` until it succeeds.
func waitList(t *testing.T, cl *cluster, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		out, errOut, code := cl.storm("list")
		if code == 0 {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("storm list never succeeded: %s", errOut)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestDevCommand(t *testing.T) {
	cl := newCLI(t)
	cl.port = freePort(t)
	local := filepath.Join(t.TempDir(), "local")
	stop, out := runDaemon(t, cl, "-c", "nimbus.thrift.port="+strconv.FormatInt(cl.port, 10), "-c", "storm.local.dir="+local, "dev")
	if got := waitList(t, cl, 30*time.Second); got != "No topologies running.\n" {
		t.Errorf("list on a fresh dev cluster = %q", got)
	}
	want := fmt.Sprintf("Gale dev cluster: nimbus at 127.0.0.1:%d (in-memory cluster state, local dir %s)", cl.port, local)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), want); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("storm dev output lacks %q:\n%s", want, out)
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("storm dev exit code %d after interrupt, want 0; output:\n%s", code, out)
	}
	if _, _, code := cl.storm("list"); code != 1 {
		t.Errorf("list after dev stopped: exit %d, want 1", code)
	}
}

func TestDevCommandPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cl := newCLI(t)
	_, errOut, code := cl.storm("-c", "nimbus.thrift.port="+strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), "dev")
	if code != 1 || !strings.Contains(errOut, "address already in use") {
		t.Errorf("exit %d, stderr %q; want 1 and 'address already in use'", code, errOut)
	}
}

// TestNimbusCommandOnZooKeeper runs `storm nimbus` against a real
// ZooKeeper, as a cluster would, and talks to it with the CLI.
func TestNimbusCommandOnZooKeeper(t *testing.T) {
	servers := zktest.Start(t)
	host, zkPort, err := net.SplitHostPort(servers[0])
	if err != nil {
		t.Fatal(err)
	}
	cl := newCLI(t)
	cl.port = freePort(t)
	stop, out := runDaemon(t, cl,
		"-c", fmt.Sprintf(`storm.zookeeper.servers=[%q]`, host), "-c", "storm.zookeeper.port="+zkPort,
		"-c", "storm.zookeeper.root="+zktest.Root(t), "-c", "storm.local.dir="+t.TempDir(),
		"-c", "storm.local.hostname=127.0.0.1", "-c", "nimbus.thrift.port="+strconv.FormatInt(cl.port, 10), "nimbus")
	if got := waitList(t, cl, 60*time.Second); got != "No topologies running.\n" {
		t.Errorf("list = %q", got)
	}
	if code := stop(); code != 0 {
		t.Errorf("storm nimbus exit code %d after interrupt, want 0; output:\n%s", code, out)
	}
}

func TestNimbusCommandNoZooKeeper(t *testing.T) {
	cl := newCLI(t)
	_, errOut, code := cl.storm("-c", `storm.zookeeper.servers=["127.0.0.1"]`, "-c", "storm.zookeeper.port=1",
		"-c", "storm.zookeeper.connection.timeout=500", "-c", "storm.local.dir="+t.TempDir(),
		"-c", "nimbus.thrift.port=0", "nimbus")
	if code != 1 || !strings.Contains(errOut, "connect to ZooKeeper") {
		t.Errorf("exit %d, stderr %q; want 1 and a ZooKeeper connection error", code, errOut)
	}
}

// TestCLIRetriesConnect: like Storm's TBackoffConnect, a client command
// keeps trying (storm.nimbus.retry.*) while nothing listens yet. The seed
// port opens only once Nimbus leads (a forwarder to the cluster), so the
// test does not race Nimbus's election.
func TestCLIRetriesConnect(t *testing.T) {
	cl := newCLI(t)
	cl.port = freePort(t)
	go func() {
		time.Sleep(400 * time.Millisecond)
		c, err := embedded.Start(context.Background(), embedded.Options{
			Conf: conf.Conf{conf.NimbusThriftPort: int64(0)}, Logger: testLogger(t)})
		if err != nil {
			t.Error(err)
			return
		}
		t.Cleanup(func() { c.Close() })
		ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.FormatInt(cl.port, 10))
		if err != nil {
			t.Error(err)
			return
		}
		t.Cleanup(func() { ln.Close() })
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", c.NimbusAddr())
			if err != nil {
				in.Close()
				continue
			}
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
	// cl.storm passes storm.nimbus.retry.times=0; a later -c wins.
	out, errOut, code := cl.storm("-c", "storm.nimbus.retry.times=20", "-c", "storm.nimbus.retry.interval.millis=100", "list")
	if code != 0 || out != "No topologies running.\n" {
		t.Errorf("exit %d, stdout %q, stderr %q; want a list after retrying", code, out, errOut)
	}
}
