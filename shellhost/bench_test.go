package shellhost

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
)

// BenchmarkBoltNodeRelay drives perf's relay.js (the perf case's relay:
// one anchored emit and one ack per input) on Storm's storm.js under node,
// as the worker does: a Poster collector whose functions, and Execute,
// run on one goroutine, with at most 1000 inputs in flight (the perf
// case's max.spout.pending). ns/op is per input, end to end; it reports
// the CPU time per input of node and of this process (the host and the
// benchmark's trivial collector).
func BenchmarkBoltNodeRelay(b *testing.B) {
	node := interpreter(b, jsLang)
	dir := resourcesFrom(b, jsLang, perfRelay)
	cfg := Config{
		Command: []string{node, "relay.js"},
		Dir:     dir,
		Conf:    conf.Conf{"topology.name": "bench"},
		Context: testContext(),
		PidDir:  filepath.Join(b.TempDir(), "pids"),
	}
	col := &benchCollector{calls: make(chan func())}
	bolt, err := StartBolt(context.Background(), cfg, col)
	if err != nil {
		b.Fatal(err)
	}
	defer bolt.Close()
	const window = 1000
	values := []any{int64(12345678)}
	run := func(n int) {
		col.acked.Store(0)
		for sent := 0; sent < n; {
			if sent-int(col.acked.Load()) >= window {
				col.runOne(bolt)
				continue
			}
			select { // as the worker's Execute: run a waiting batch first
			case f := <-col.calls:
				f()
			default:
			}
			ok, err := bolt.TryExecute(Input{Ref: sent, Component: "spout", Stream: "default", Task: 3, Values: values})
			if err != nil {
				b.Fatal(err)
			}
			if ok {
				sent++
				continue
			}
			select {
			case <-bolt.Room():
			case f := <-col.calls:
				f()
			case <-bolt.Done():
				b.Fatal(bolt.Err())
			}
		}
		for int(col.acked.Load()) < n {
			col.runOne(bolt)
		}
	}
	run(10000) // warm up node's JIT
	nodeCPU0, selfCPU0 := procCPU(b, bolt.Pid()), selfCPU()
	b.ResetTimer()
	run(b.N)
	b.StopTimer()
	nodeCPU, self := procCPU(b, bolt.Pid())-nodeCPU0, selfCPU()-selfCPU0
	b.ReportMetric(float64(nodeCPU.Nanoseconds())/float64(b.N), "node-ns/op")
	b.ReportMetric(float64(self.Nanoseconds())/float64(b.N), "host-ns/op")
}

type benchCollector struct {
	calls chan func()
	acked atomic.Int64
}

func (c *benchCollector) Post(f func()) error {
	c.calls <- f
	return nil
}

func (c *benchCollector) runOne(bolt *Bolt) {
	select {
	case f := <-c.calls:
		f()
	case <-bolt.Done():
		panic(bolt.Err())
	case <-time.After(10 * time.Second):
		panic("no progress")
	}
}

var benchTaskIDs = []int32{8}

func (c *benchCollector) Emit(Emission) ([]int32, error) { return benchTaskIDs, nil }
func (c *benchCollector) Ack(any) error                  { c.acked.Add(1); return nil }
func (c *benchCollector) Fail(any) error                 { return fmt.Errorf("fail") }
func (c *benchCollector) ReportError(string)             {}
func (c *benchCollector) Metrics(string, any) error      { return nil }

// procCPU is the user+system CPU time of process pid.
func procCPU(b *testing.B, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
