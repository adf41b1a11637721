package embedded

import (
	"context"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/testutil"
)

// testLogger logs at info and above into t's output until the test ends.
func testLogger(t *testing.T) *slog.Logger { return testutil.Logger(t, slog.LevelInfo) }

func TestStartServesAndCloses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl, err := Start(ctx, Options{Conf: conf.Conf{conf.NimbusThriftPort: int64(0)}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	addr := cl.NimbusAddr()
	if !strings.HasPrefix(addr, Host+":") || strings.HasSuffix(addr, ":0") {
		t.Errorf("NimbusAddr %q, want 127.0.0.1 and a real port", addr)
	}
	cc := cl.ClientConf()
	if got := cc.Strings(conf.NimbusSeeds); len(got) != 1 || got[0] != Host {
		t.Errorf("client nimbus.seeds %v", got)
	}
	if p := cc.IntOr(conf.NimbusThriftPort, 0); net.JoinHostPort(Host, strconv.FormatInt(p, 10)) != addr {
		t.Errorf("client nimbus.thrift.port %d does not match %s", p, addr)
	}
	ok, err := isLeader(ctx, addr)
	if err != nil || !ok {
		t.Fatalf("getClusterInfo leader: %v, %v", ok, err)
	}
	dir := cl.Dir()
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("local dir: %v", err)
	}

	if err := cl.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := cl.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	select {
	case <-cl.Done():
	default:
		t.Error("Done not closed after Close")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary local dir %s left behind (%v)", dir, err)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after Close", addr)
	}
}

func TestStartKeepsGivenDir(t *testing.T) {
	dir := t.TempDir() + "/local"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl, err := Start(ctx, Options{Conf: conf.Conf{conf.NimbusThriftPort: int64(0)}, Dir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if cl.Dir() != dir || cl.ClientConf().StringOr(conf.StormLocalDir, "") != dir {
		t.Errorf("Dir %q / storm.local.dir %q, want %q", cl.Dir(), cl.ClientConf().StringOr(conf.StormLocalDir, ""), dir)
	}
	if err := cl.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("given dir removed: %v", err)
	}
}

func TestStartPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", Host+":0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := int64(ln.Addr().(*net.TCPAddr).Port)
	_, err = Start(context.Background(), Options{Conf: conf.Conf{conf.NimbusThriftPort: port}, Logger: testLogger(t)})
	if err == nil || !strings.Contains(err.Error(), "listen") {
		t.Fatalf("Start on a busy port: %v, want a listen error", err)
	}
}
