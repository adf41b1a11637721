package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/testutil"
)

// TestBinaryDevStopsOnSignal builds the storm binary, runs `storm dev`, and
// checks that SIGINT and SIGTERM stop it cleanly (exit 0).
func TestBinaryDevStopsOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "storm")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			port := freePort(t)
			cmd := exec.Command(bin, "-c", "nimbus.thrift.port="+strconv.FormatInt(port, 10), "dev")
			cmd.Env = append(os.Environ(), "STORM_CONF_DIR="+t.TempDir(), "HOME="+t.TempDir())
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = testutil.Writer(t)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			ready := make(chan string, 1)
			go func() {
				line, _ := bufio.NewReader(stdout).ReadString('\n')
				ready <- line
			}()
			select {
			case line := <-ready:
				if !strings.HasPrefix(line, "Gale dev cluster: nimbus at 127.0.0.1:"+strconv.FormatInt(port, 10)) {
					t.Fatalf("first line %q", line)
				}
			case <-time.After(60 * time.Second):
				t.Fatal("storm dev did not report ready")
			}
			cmd.Process.Signal(sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("storm dev after %v: %v, want exit 0", sig, err)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("storm dev did not stop on %v", sig)
			}
		})
	}
}
