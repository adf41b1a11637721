package zktest

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// TestServer starts and stops a server of its own.
func TestServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), StartupTimeout)
	defer cancel()
	start := time.Now()
	srv, err := StartServer(ctx)
	if err != nil {
		unavailable(t, err)
	}
	t.Logf("zookeeper up at %s in %v", srv.Addr, time.Since(start))
	if !serving(srv.Addr) {
		t.Fatal("not serving")
	}
	srv.Stop()
	if c, err := net.DialTimeout("tcp", srv.Addr, time.Second); err == nil {
		c.Close()
		t.Fatal("still listening after Stop")
	}
}

func TestRoot(t *testing.T) {
	a, b := Root(t), Root(t)
	if a == b || !strings.HasPrefix(a, "/gale-test-") || !strings.HasSuffix(a, "/storm") {
		t.Fatalf("roots %q %q", a, b)
	}
}
