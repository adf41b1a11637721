package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/stormthrift"
)

// oddScript is a complete multilang bolt in plain Python 3 (Storm's JSON
// protocol, no library): it emits 2n+1 anchored on each tuple and acks it.
const oddScript = `import json, os, sys

def read():
    lines = []
    while True:
        line = sys.stdin.readline()
        if not line:
            sys.exit(0)
        line = line.rstrip("\n")
        if line == "end":
            return json.loads("\n".join(lines))
        lines.append(line)

def send(msg):
    sys.stdout.write(json.dumps(msg) + "\nend\n")
    sys.stdout.flush()

setup = read()
open(os.path.join(setup["pidDir"], str(os.getpid())), "w").close()
send({"pid": os.getpid()})
while True:
    msg = read()
    if isinstance(msg, list):
        continue
    if msg.get("stream") == "__heartbeat":
        send({"command": "sync"})
        continue
    send({"command": "emit", "anchors": [msg["id"]], "tuple": [msg["tuple"][0] * 2 + 1], "need_task_ids": False})
    send({"command": "ack", "id": msg["id"]})
`

// TestShellBoltInGoTopology declares a multilang bolt with SetShellBolt in
// a Go topology (a ShellComponent; the artifact has no resources/, so the
// script path is absolute) and runs it on an embedded cluster: every
// number comes back transformed once and every tree is acked.
func TestShellBoltInGoTopology(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("GALE_REQUIRE_MULTILANG") == "1" {
			t.Fatal(err)
		}
		t.Skip("python3 not installed")
	}
	script := filepath.Join(t.TempDir(), "odd.py")
	if err := os.WriteFile(script, []byte(oddScript), 0o644); err != nil {
		t.Fatal(err)
	}
	const n = 200
	got := &received{byTask: map[int64]int32{}}
	app := storm.NewApp()
	app.RegisterSpout("numbers", func() storm.Spout { return &numberSpout{n: n} })
	app.RegisterBolt("recorder", func() storm.Bolt { return &recorder{got: got} })
	top := Topology{
		Name: "shell",
		App:  app,
		Build: func(storm.Conf) (*stormthrift.StormTopology, storm.Config, error) {
			b := storm.NewTopologyBuilder(app)
			b.SetSpout("numbers", "numbers", 1)
			b.SetShellBolt("odd", python, script, 2, "n").ShuffleGrouping("numbers")
			b.SetBolt("sink", "recorder", 1).ShuffleGrouping("odd")
			topo, err := b.CreateTopology()
			return topo, storm.Config{}, err
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	l, err := StartLocal(ctx, top, LocalOptions{ClusterConf: conf.Conf{conf.NimbusThriftPort: int64(0)}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var last string
	for {
		info, err := l.Info(ctx)
		if err == nil {
			if c := CountsOf(info); c.Acked == n {
				break
			} else {
				last = c.String()
			}
		} else {
			last = err.Error()
		}
		if ctx.Err() != nil {
			t.Fatalf("acked counts: %s", last)
		}
		time.Sleep(100 * time.Millisecond)
	}
	got.mu.Lock()
	defer got.mu.Unlock()
	if len(got.byTask) != n || got.dups != 0 {
		t.Fatalf("%d values received (%d twice), want %d once", len(got.byTask), got.dups, n)
	}
	for i := int64(0); i < n; i++ {
		if _, ok := got.byTask[2*i+1]; !ok {
			t.Fatalf("value %d (from %d) not received", 2*i+1, i)
		}
	}
}
