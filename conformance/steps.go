package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// stepTimeout bounds one attempt of a step.
const stepTimeout = 3 * time.Minute

// runStep runs a step (again and again while its checks fail, for up to
// Retry seconds) and records the evidence of the last attempt.
func (cr *caseRun) runStep(ctx context.Context, raw *Step) StepResult {
	start := time.Now()
	sr := StepResult{Step: raw.Label(), Run: raw.Run}
	s, err := cr.vars.expandStep(*raw)
	if err != nil {
		sr.Error = err.Error()
		return sr
	}
	sr.Step = s.Label()
	deadline := start.Add(time.Duration(s.Retry * float64(time.Second)))
	for {
		sr.Attempts++
		cr.attempt(ctx, &s, &sr)
		if sr.OK || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	sr.Duration = time.Since(start).Seconds()
	return sr
}

// attempt runs the step once and fills sr (replacing an earlier
// attempt's evidence).
func (cr *caseRun) attempt(ctx context.Context, s *Step, sr *StepResult) {
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	sr.OK, sr.Error, sr.Checks, sr.Captured = false, "", nil, nil
	doc, stdout, stderr, auto, err := cr.execute(ctx, s, sr)
	if err != nil {
		sr.Error = err.Error()
		return
	}
	checks := auto
	checks = append(checks, textChecks(s, stdout, stderr)...)
	for _, ch := range s.Checks {
		checks = append(checks, evalCheck(doc, ch))
	}
	sr.Checks = checks
	ok := true
	for _, c := range checks {
		ok = ok && c.OK
	}
	if !ok {
		sr.Error = "checks failed"
		return
	}
	captured := Vars{}
	for name, path := range s.Capture {
		path, err := cr.vars.Expand(path)
		if err == nil {
			var v any
			if v, err = Lookup(doc, path); err == nil {
				captured[name] = Canon(v)
				continue
			}
		}
		sr.Error = fmt.Sprintf("capture %s from %s: %v", name, path, err)
		return
	}
	for name, pat := range s.CaptureRegex {
		re, err := regexp.Compile(pat)
		if err != nil {
			sr.Error = fmt.Sprintf("capture %s: %v", name, err)
			return
		}
		m := re.FindStringSubmatch(stdout)
		if len(m) < 2 {
			sr.Error = fmt.Sprintf("capture %s: /%s/ does not match stdout", name, pat)
			return
		}
		captured[name] = m[1]
	}
	for k, v := range captured {
		cr.vars[k] = v
	}
	if len(captured) > 0 {
		sr.Captured = captured
	}
	sr.OK = true
}

// execute performs the step and returns the document its checks read,
// its text output, and the automatic checks (exit code, HTTP status, a
// page without JavaScript errors).
func (cr *caseRun) execute(ctx context.Context, s *Step, sr *StepResult) (doc any, stdout, stderr string, auto []CheckResult, err error) {
	switch s.Run {
	case "storm", "storm-jar", "gale-jar":
		return cr.execJVM(ctx, s, sr)
	case "gale":
		port, direct, on := cr.leader, false, "Gale's leader Nimbus"
		if s.NimbusPort != "" {
			p, perr := strconv.Atoi(s.NimbusPort)
			if perr != nil {
				return nil, "", "", nil, fmt.Errorf("nimbus_port %q: %w", s.NimbusPort, perr)
			}
			port, direct, on = p, true, "the Nimbus on port "+s.NimbusPort
		}
		if port == 0 {
			return nil, "", "", nil, errors.New("no nimbus in this case")
		}
		sr.Command = s.RPC + "(" + strings.Join(s.Args, ", ") + ") on " + on
		doc, err = galeCall(ctx, port, direct, s.RPC, s.Args)
		if err == nil {
			sr.Stdout = clip(Canon(doc), 4000)
		}
		return doc, "", "", nil, err
	case "http":
		return cr.execHTTP(ctx, s, sr)
	case "browser":
		shot := ""
		if s.Screenshot != "" {
			shot = filepath.Join(cr.env.Results, "screenshots", s.Screenshot)
		}
		url := cr.vars["ui.url"] + s.Path
		sr.Command = "chromium --headless " + url
		page, err := browse(ctx, cr.env.Chromium, cr.work, url, s.WaitFor, shot, 45*time.Second)
		if page.Screenshot != "" {
			sr.Screenshot = "screenshots/" + page.Screenshot
		}
		doc, nerr := normalize(page)
		if nerr != nil && err == nil {
			err = nerr
		}
		if err != nil {
			return nil, "", "", nil, err
		}
		sr.Stdout = clip(page.Text, 2000)
		auto = []CheckResult{
			{Check: "no uncaught JavaScript exceptions", OK: len(page.JSErrors) == 0, Got: clip(strings.Join(page.JSErrors, "; "), 1000)},
			{Check: "no console errors", OK: len(page.ConsoleErrors) == 0, Got: clip(strings.Join(page.ConsoleErrors, "; "), 1000)},
			{Check: "no failed or >= 400 responses", OK: len(page.HTTPErrors) == 0, Got: clip(strings.Join(page.HTTPErrors, "; "), 1000)},
		}
		return doc, page.Text, "", auto, nil
	case "rpc-log":
		evs, err := readRPCLog(cr.rpcLog)
		if err != nil {
			return nil, "", "", nil, err
		}
		sum := Summarize(evs, s.Peer, NimbusMethods())
		sr.Command = "RPC record of Storm's client classes"
		if s.Peer != "" {
			sr.Command += " (peer " + s.Peer + ")"
		}
		doc, err := normalize(sum)
		sr.Stdout = clip(fmt.Sprintf("%d calls; methods %v; missing %v; exceptions %v; unanswered %v",
			len(sum.Calls), sum.Methods, sum.Missing, sum.Exceptions, sum.Unanswered), 4000)
		return doc, "", "", nil, err
	case "exec":
		return cr.execProgram(ctx, s, sr)
	case "zk":
		root := s.Root
		if root == "" {
			root = cr.zkRoot
		}
		sr.Command = "read ZooKeeper " + strings.Join(cr.env.ZKServers, ",") + root + " with Gale's cluster.State"
		doc, err := zkDump(ctx, cr.env.ZKServers, root)
		if err != nil {
			return nil, "", "", nil, err
		}
		tree, err := normalize(doc)
		if err != nil {
			return nil, "", "", nil, err
		}
		sr.Stdout = clip(Canon(tree), 4000)
		bad, _ := doc["decode_errors"].([]any)
		auto := []CheckResult{{Check: "every node decodes", OK: len(bad) == 0, Got: clip(Canon(bad), 1000)}}
		return tree, "", "", auto, nil
	case "sleep":
		select {
		case <-time.After(time.Duration(s.Seconds * float64(time.Second))):
		case <-ctx.Done():
			return nil, "", "", nil, ctx.Err()
		}
		return map[string]any{}, "", "", nil, nil
	}
	return nil, "", "", nil, fmt.Errorf("unknown run %q", s.Run)
}

// execJVM runs a storm.py command line (or Gale's storm jar) and returns
// {"argv", "exit", "stdout", "stderr", "json" (stdout as JSON, when it
// is), "running"/"expected" (gale-jar: Gale's and storm.py's command
// lines)}.
func (cr *caseRun) execJVM(ctx context.Context, s *Step, sr *StepResult) (any, string, string, []CheckResult, error) {
	l := cr.launcher.WithOptions(s.Options)
	var argv []string
	var err error
	env := append(append([]string{}, l.Env...), "GALE_RPC_PEER="+peerLabel(s.Label()))
	doc := map[string]any{}
	switch s.Run {
	case "storm":
		argv, err = l.CommandArgv(ctx, s.Command, s.Args)
	case "storm-jar":
		argv, err = l.JarArgv(ctx, cr.env.TopologyJar, s.Class, s.Args)
	case "gale-jar":
		var expected []string
		if expected, err = l.JarArgv(ctx, cr.env.TopologyJar, s.Class, s.Args); err != nil {
			break
		}
		doc["expected"] = strings.Join(expected, " ")
		argv = []string{cr.env.StormBin}
		for _, o := range s.Options {
			argv = append(argv, "-c", o)
		}
		argv = append(argv, "jar", cr.env.TopologyJar, s.Class)
		argv = append(argv, s.Args...)
		env = append(env, "STORM_HOME="+cr.env.StormDir, "STORM_CONF_DIR="+l.ConfDir, "HOME="+filepath.Join(cr.work, "home"),
			"STORM_CLASSPATH=", "STORM_EXT_CLASSPATH=", "STORM_JAR_JVM_OPTS=", "GALE_LOG_LEVEL=warn")
	}
	if err != nil {
		return nil, "", "", nil, err
	}
	sr.Command = strings.Join(argv, " ")
	res, err := runCmd(ctx, argv, env, cr.work, s.Stdin)
	if err != nil {
		return nil, "", "", nil, err
	}
	exit := res.Exit
	sr.Exit = &exit
	sr.Stdout, sr.Stderr = tail(res.Stdout, 6000), tail(res.Stderr, 3000)
	doc["argv"], doc["exit"], doc["stdout"], doc["stderr"] = argv, res.Exit, res.Stdout, tail(res.Stderr, 20000)
	if v, ok := parseOutput(res.Stdout); ok {
		doc["json"] = v
	}
	if s.Run == "gale-jar" {
		for _, line := range strings.Split(res.Stdout, "\n") {
			if r, ok := strings.CutPrefix(line, "Running: "); ok {
				doc["running"] = r
				break
			}
		}
	}
	want := 0
	if s.Exit != nil {
		want = *s.Exit
	}
	auto := []CheckResult{{Check: fmt.Sprintf("exit code == %d", want), OK: res.Exit == want, Got: itoa(res.Exit)}}
	tree, err := normalize(doc)
	return tree, res.Stdout, res.Stderr, auto, err
}

// execProgram runs a program that is not a JVM peer (streamparse's
// sparse, a Python driver) in s.Dir (relative to the case's directory)
// with s.Env added; the document is {"argv", "exit", "stdout", "stderr",
// "json"} as for JVM steps.
func (cr *caseRun) execProgram(ctx context.Context, s *Step, sr *StepResult) (any, string, string, []CheckResult, error) {
	dir := cr.work
	if s.Dir != "" {
		dir = s.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cr.work, dir)
		}
	}
	argv := append([]string{s.Program}, s.Args...)
	sr.Command = strings.Join(argv, " ")
	if s.Dir != "" {
		sr.Command = "(cd " + dir + " && " + sr.Command + ")"
	}
	if len(s.Env) > 0 {
		sr.Command = strings.Join(s.Env, " ") + " " + sr.Command
	}
	res, err := runCmd(ctx, argv, s.Env, dir, s.Stdin)
	if err != nil {
		return nil, "", "", nil, err
	}
	exit := res.Exit
	sr.Exit = &exit
	sr.Stdout, sr.Stderr = tail(res.Stdout, 6000), tail(res.Stderr, 3000)
	doc := map[string]any{"argv": argv, "exit": res.Exit, "stdout": res.Stdout, "stderr": tail(res.Stderr, 20000)}
	if v, ok := parseOutput(res.Stdout); ok {
		doc["json"] = v
	}
	want := 0
	if s.Exit != nil {
		want = *s.Exit
	}
	auto := []CheckResult{{Check: fmt.Sprintf("exit code == %d", want), OK: res.Exit == want, Got: itoa(res.Exit)}}
	tree, err := normalize(doc)
	return tree, res.Stdout, res.Stderr, auto, err
}

// execHTTP sends one request to the Storm UI; the document is
// {"status", "content_type", "body"} with body parsed as JSON when it is.
func (cr *caseRun) execHTTP(ctx context.Context, s *Step, sr *StepResult) (any, string, string, []CheckResult, error) {
	url := cr.vars["ui.url"] + s.Path
	sr.Command = s.Method + " " + url
	var body io.Reader
	if s.Body != "" {
		body = strings.NewReader(s.Body)
		sr.Command += " " + s.Body
	}
	req, err := http.NewRequestWithContext(ctx, s.Method, url, body)
	if err != nil {
		return nil, "", "", nil, err
	}
	if s.Body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", "", nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, "", "", nil, err
	}
	sr.HTTPStatus = resp.StatusCode
	sr.Stdout = clip(string(b), 4000)
	doc := map[string]any{"status": resp.StatusCode, "content_type": resp.Header.Get("Content-Type"), "body": string(b)}
	if v, err := parseJSONString(string(b)); err == nil {
		doc["body"] = v
	}
	want := http.StatusOK
	if s.Status != nil {
		want = *s.Status
	}
	auto := []CheckResult{{Check: fmt.Sprintf("HTTP status == %d", want), OK: resp.StatusCode == want, Got: resp.Status}}
	tree, err := normalize(doc)
	return tree, string(b), "", auto, err
}
