package worker

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/shellhost"
	"github.com/galeproject/gale/stormthrift"
)

// dieSh is a multilang bolt that completes the handshake and exits with code 3.
const dieSh = `while IFS= read -r line; do [ "$line" = end ] && break; done
echo '{"pid":'$$'}'
echo end
echo "dying on purpose" >&2
exit 3
`

// TestShellDeathReportedOnce: a shell bolt that exits makes the worker fail with the
// subprocess's error, which reaches the component's errors exactly once (Storm's ShellBolt.die
// reports it once, then exits the worker).
func TestShellDeathReportedOnce(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skipf("no sh: %v", err)
	}
	l := newLedger(10)
	b := wordCount(t, l, "", nil)
	b.top.Bolts["split"].BoltObject = &stormthrift.ComponentObject{Shell: &stormthrift.ShellComponent{ExecutionCommand: sh, Script: "die.sh"}}
	one := int32(1)
	b.top.Bolts["split"].Common.ParallelismHint = &one
	st := newMemState(t)
	c := newTestCluster(t, st, b.app, b.top, nil, 1)
	res := filepath.Join(c.workerConfig(0).CodeDir, ResourcesDir)
	if err := os.WriteFile(filepath.Join(res, "die.sh"), []byte(dieSh), 0o755); err != nil {
		t.Fatal(err)
	}
	c.start(0)
	err, ok := c.wait(0, 30*time.Second)
	var fatal *shellhost.FatalError
	if !ok || !errors.As(err, &fatal) || !errors.Is(err, shellhost.ErrExited) {
		t.Fatalf("Run = %v (stopped %v), want the subprocess's exit", err, ok)
	}
	errs, err := st.Errors(c.ctx, c.stormID, "split")
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 {
		t.Fatalf("errors of split: %v, want the death once", errs)
	}
	msg := errs[0].GetError()
	for _, want := range []string{"shell component split died", "exited with code 3", "dying on purpose"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if strings.Count(msg, "died") != 1 {
		t.Errorf("error %q repeats itself", msg)
	}
}
