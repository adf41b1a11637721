package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Env is what all cases of a run share; the test (conformance_test.go)
// builds it once.
type Env struct {
	StormBin    string   // Gale's storm command, built from ./cmd/storm
	Java        string   // storm.py's JAVA_CMD
	StormDir    string   // the release directory (see Release)
	TopologyJar string   // conformance/java's classes minus the recorder
	ZKServers   []string // a real ZooKeeper: host:port
	Chromium    string   // "" when Chromium is not installed
	// TestData is the absolute path of this package's testdata/
	// (${testdata} in case files).
	TestData string
	// StreamparseVenv is the virtualenv with streamparse that
	// scripts/lib.sh's ensure_streamparse builds (see StreamparseVenv),
	// "" when it is missing; cases that require "streamparse" are then
	// skipped, or fail with RequireStreamparse (GALE_REQUIRE_STREAMPARSE=1).
	StreamparseVenv    string
	RequireStreamparse bool
	// UIPublic is the Storm UI 1.0.0 front end (public/), "" when no copy
	// was found (see UIPublicDir); browser cases are then a known gap.
	UIPublic string
	// RequireBrowser turns a missing Chromium from a skip into a failure
	// (GALE_REQUIRE_BROWSER=1).
	RequireBrowser bool
	Results        string // report, screenshots and logs of failed cases
	Work           string // scratch space; one directory per case
}

// Status of a case in the report.
const (
	StatusPass = "pass"
	StatusFail = "fail"
	StatusGap  = "gap"  // a known gap: not run, never a pass
	StatusSkip = "skip" // could not run here (a missing optional tool)
)

// CaseResult is a case's entry in the report.
type CaseResult struct {
	Case     string       `json:"case"`
	Peer     string       `json:"peer"`
	Summary  string       `json:"summary"`
	File     string       `json:"file"`
	Status   string       `json:"status"`
	Reason   string       `json:"reason,omitempty"`
	Duration float64      `json:"duration_secs"`
	Steps    []StepResult `json:"evidence"`
	// NimbusMethods are the Nimbus methods Storm's client classes called in
	// this case (from the RPC record).
	NimbusMethods []string `json:"nimbus_methods,omitempty"`
	Logs          []string `json:"logs,omitempty"` // copied into the results for failed cases
}

// StepResult is the evidence one step left.
type StepResult struct {
	Step       string        `json:"step"`
	Run        string        `json:"run"`
	Command    string        `json:"command,omitempty"`
	Exit       *int          `json:"exit,omitempty"`
	HTTPStatus int           `json:"http_status,omitempty"`
	Duration   float64       `json:"duration_secs"`
	Attempts   int           `json:"attempts"`
	OK         bool          `json:"ok"`
	Error      string        `json:"error,omitempty"`
	Stdout     string        `json:"stdout,omitempty"`
	Stderr     string        `json:"stderr,omitempty"`
	Checks     []CheckResult `json:"checks,omitempty"`
	Screenshot string        `json:"screenshot,omitempty"`
	Captured   Vars          `json:"captured,omitempty"`
}

// caseRun is the state of one running case.
type caseRun struct {
	env       *Env
	c         *Case
	work      string
	vars      Vars
	launcher  *Launcher
	rpcLog    string
	nimbuses  []*nimbusProc
	stormSups []*supervisorProc // Storm's own supervisor daemons
	galeSups  []*supervisorProc // Gale's supervisor daemons
	storm     *stormCluster     // the reference Storm cluster, if any
	ui        *proc
	leader    int // the leader's port
	zkRoot    string
	// mu guards vars and the process fields while setup starts daemons
	// side by side.
	mu sync.Mutex
}

// RunCase runs one case and returns its result; it never panics on a
// case's failure and always stops what it started.
func (e *Env) RunCase(ctx context.Context, c Case) (res CaseResult) {
	start := time.Now()
	res = CaseResult{Case: c.Name, Peer: c.Peer, Summary: c.Summary, File: filepath.Base(c.File), Steps: []StepResult{}}
	defer func() { res.Duration = time.Since(start).Seconds() }()
	if c.KnownGap != "" {
		res.Status, res.Reason = StatusGap, c.KnownGap
		return res
	}
	for _, r := range c.Requires {
		if r == "streamparse" && e.StreamparseVenv == "" {
			res.Status, res.Reason = StatusSkip, "no streamparse virtualenv ("+StreamparseRequirements+"; scripts/test.sh builds it with ensure_streamparse); set GALE_REQUIRE_STREAMPARSE=1 to fail instead"
			if e.RequireStreamparse {
				res.Status, res.Reason = StatusFail, "no streamparse virtualenv and GALE_REQUIRE_STREAMPARSE=1 (scripts/lib.sh ensure_streamparse builds it)"
			}
			return res
		}
		if r == "chromium" && e.UIPublic == "" {
			res.Status, res.Reason = StatusGap, "the Storm UI 1.0.0 front end (public/) is in no package registry (storm-core's jar lacks it) and Gale does not commit Storm's files; set "+UIPublicEnv+" to a Storm 1.0.0 release's public/ directory, or "+StormGitEnv+" to an apache/storm git directory, to run this case"
			return res
		}
		if r == "chromium" && e.Chromium == "" {
			res.Status, res.Reason = StatusSkip, "Chromium is not installed (apt-get install chromium); set GALE_REQUIRE_BROWSER=1 to fail instead"
			if e.RequireBrowser {
				res.Status, res.Reason = StatusFail, "Chromium is not installed and GALE_REQUIRE_BROWSER=1"
			}
			return res
		}
	}
	cr := &caseRun{env: e, c: &c, work: filepath.Join(e.Work, c.Name)}
	defer cr.stop()
	if err := cr.setup(ctx); err != nil {
		res.Status, res.Reason = StatusFail, "setup: "+err.Error()
		res.Logs = cr.saveLogs()
		return res
	}
	res.Status = StatusPass
	for i := range c.Steps {
		sr := cr.runStep(ctx, &c.Steps[i])
		res.Steps = append(res.Steps, sr)
		if !sr.OK {
			res.Status = StatusFail
			res.Reason = fmt.Sprintf("step %d (%s) failed", i+1, sr.Step)
			if sr.Error != "" {
				res.Reason += ": " + clip(sr.Error, 500)
			}
			break
		}
	}
	if evs, err := readRPCLog(cr.rpcLog); err == nil {
		res.NimbusMethods = Summarize(evs, "", nil).Methods
	} else if res.Status == StatusPass {
		res.Status, res.Reason = StatusFail, "rpc record: "+err.Error()
	}
	if res.Status == StatusFail {
		cr.stop()
		res.Logs = cr.saveLogs()
	}
	return res
}

// setup makes the case's directory, configuration, Nimbuses and UI.
func (cr *caseRun) setup(ctx context.Context) error {
	e := cr.env
	if err := os.RemoveAll(cr.work); err != nil {
		return err
	}
	home := filepath.Join(cr.work, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	cr.rpcLog = filepath.Join(cr.work, "rpc.log")
	u := "unknown"
	if cu, err := user.Current(); err == nil {
		u = cu.Username
	}
	cr.vars = Vars{"case": cr.c.Name, "work": cr.work, "user": u, "peers.jar": e.TopologyJar,
		"storm.home": e.StormDir, "nimbus.host": "127.0.0.1", "testdata": e.TestData}
	if e.StreamparseVenv != "" {
		cr.vars["streamparse.venv"] = e.StreamparseVenv
	}

	var rb [6]byte
	_, _ = rand.Read(rb[:])
	zkRoot := "/gale-conformance-" + hex.EncodeToString(rb[:]) + "/storm"
	cr.zkRoot = zkRoot
	cr.vars["zk.root"] = zkRoot
	n := cr.c.Cluster.NimbusCount()
	if n > 0 {
		ns, err := e.startNimbuses(ctx, cr.work, n, cr.c.Cluster.Conf, zkRoot)
		if err != nil {
			return err
		}
		cr.nimbuses = ns
		cr.leader = ns[0].port
		for i, np := range ns {
			cr.vars[fmt.Sprintf("nimbus.%d.port", i)] = itoa(np.port)
		}
		cr.vars["nimbus.port"] = itoa(cr.leader)
	}
	uiPort, err := freePort()
	if err != nil {
		return err
	}
	cr.vars["ui.port"] = itoa(uiPort)
	cr.vars["ui.url"] = "http://127.0.0.1:" + itoa(uiPort)

	// The peers' storm.yaml (storm.py's CLUSTER_CONF_DIR).
	clientConf := map[string]any{
		"nimbus.seeds":            []string{"127.0.0.1"},
		"nimbus.thrift.port":      cr.leader,
		"nimbus.thrift.transport": "gale.conformance.RecordingTransportPlugin",
		"storm.log.dir":           filepath.Join(cr.work, "logs"),
		"ui.host":                 "127.0.0.1",
		"ui.port":                 uiPort,
	}
	if err := writeStormYAML(filepath.Join(cr.work, "conf", "storm.yaml"), clientConf); err != nil {
		return err
	}
	cr.launcher = NewLauncher(e.Java, e.StormDir, filepath.Join(cr.work, "conf"), []string{"GALE_RPC_LOG=" + cr.rpcLog})

	// The daemons that take long to start (JVMs) start together; then the
	// runner waits for each.
	cl := cr.c.Cluster
	zk, err := zkConf(e.ZKServers, zkRoot)
	if err != nil {
		return err
	}
	// Each start computes its command line first (storm.py's confvalue
	// JVMs: seconds each), so they run side by side.
	var starts []func() error
	if cl.StormCluster {
		starts = append(starts, func() error { return wrap("storm cluster", cr.startStormCluster(ctx)) })
	}
	if n := cl.StormSupervisors; n > 0 {
		for i := range n {
			starts = append(starts, func() error { return wrap("storm supervisor", cr.startStormSupervisorN(ctx, i, zk)) })
		}
	}
	if n := cl.GaleSupervisors; n > 0 {
		starts = append(starts, func() error { return wrap("gale supervisor", cr.startGaleSupervisors(n, zk)) })
	}
	if cl.UI {
		starts = append(starts, func() error { return wrap("storm ui", cr.startUI(ctx)) })
	}
	if err := parallel(starts); err != nil {
		return err
	}
	if n := cl.StormSupervisors + cl.GaleSupervisors; n > 0 {
		var procs []*proc
		for _, s := range append(append([]*supervisorProc{}, cr.stormSups...), cr.galeSups...) {
			procs = append(procs, s.p)
		}
		if err := waitSupervisors(ctx, cr.leader, n, procs); err != nil {
			return fmt.Errorf("supervisors: %w", err)
		}
	}
	if cl.UI {
		if err := cr.waitUI(ctx); err != nil {
			return fmt.Errorf("storm ui: %w", err)
		}
	}
	if cl.StormCluster {
		if err := cr.waitStormCluster(ctx); err != nil {
			return fmt.Errorf("storm cluster: %w", err)
		}
	}
	return nil
}

// startUI runs `storm ui` (org.apache.storm.ui.core) as storm.py would.
func (cr *caseRun) startUI(ctx context.Context) error {
	argv, err := cr.launcher.UIArgv(ctx)
	if err != nil {
		return err
	}
	env := append(append([]string{}, cr.launcher.Env...), "GALE_RPC_PEER=storm-ui")
	p, err := startProc("storm-ui", argv, env, cr.work, filepath.Join(cr.work, "ui.out"))
	if err != nil {
		return err
	}
	cr.mu.Lock()
	cr.ui = p
	cr.mu.Unlock()
	return nil
}

// parallel runs fns at once and returns their errors joined.
func parallel(fns []func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// wrap prefixes a non-nil err with what.
func wrap(what string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// waitUI waits until the UI's /api/v1/cluster/summary answers 200.
func (cr *caseRun) waitUI(ctx context.Context) error {
	p := cr.ui
	url := cr.vars["ui.url"] + "/api/v1/cluster/summary"
	return waitFor(ctx, 90*time.Second, 250*time.Millisecond, p, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return nil
	})
}

// stop ends the UI, the supervisors and their workers, the reference
// Storm cluster and the Nimbuses (idempotent).
func (cr *caseRun) stop() {
	if cr.ui != nil {
		cr.ui.stop(10 * time.Second)
	}
	for _, s := range append(append([]*supervisorProc{}, cr.stormSups...), cr.galeSups...) {
		s.p.stop(10 * time.Second)
		killWorkers(s.local)
	}
	if cr.storm != nil {
		cr.storm.stop()
	}
	for i := len(cr.nimbuses) - 1; i >= 0; i-- {
		cr.nimbuses[i].p.stop(10 * time.Second)
	}
}

// saveLogs copies the case's daemon logs and RPC record into the results
// directory and returns their paths relative to it.
func (cr *caseRun) saveLogs() []string {
	var files []string
	for _, pat := range []string{"nimbus-*/nimbus.log", "ui.out", "logs/*.log", "rpc.log", "chromium.log",
		"storm-supervisor-*/supervisor.out", "storm-supervisor-*/logs/*.log", "storm-supervisor-*/logs/workers-artifacts/*/*/worker.log",
		"gale-supervisor-*/supervisor.log", "gale-supervisor-*/logs/workers-artifacts/*/*/worker.log",
		"storm-nimbus/nimbus.out", "storm-nimbus/logs/*.log", "storm-reference-supervisor/logs/*.log",
		"storm-reference-supervisor/logs/workers-artifacts/*/*/worker.log", "streamparse/logs/*.log"} {
		m, _ := filepath.Glob(filepath.Join(cr.work, pat))
		files = append(files, m...)
	}
	sort.Strings(files)
	var out []string
	for _, f := range files {
		rel, err := filepath.Rel(cr.work, f)
		if err != nil {
			continue
		}
		dst := filepath.Join(cr.env.Results, "logs", cr.c.Name, rel)
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if os.MkdirAll(filepath.Dir(dst), 0o755) != nil || os.WriteFile(dst, b, 0o644) != nil {
			continue
		}
		if r, err := filepath.Rel(cr.env.Results, dst); err == nil {
			out = append(out, r)
		}
	}
	return out
}
