package conformance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Peers a case may name: the real Storm 1.0.0 program on the other side.
var peers = []string{
	"storm-client",     // storm-core 1.0.0 client classes, CLI namespaces, storm.py's command lines
	"storm-ui",         // org.apache.storm.ui.core from storm-core 1.0.0
	"chromium",         // Debian's Chromium running the Storm UI's pages
	"streamparse",      // the streamparse Python library and its multilang runner
	"storm-supervisor", // org.apache.storm.daemon.supervisor from storm-core 1.0.0
}

// Case is one conformance case, read from a TOML file in cases/.
type Case struct {
	// Name identifies the case (defaults to the file name without .toml);
	// `go test -run 'TestConformance/<name>'` runs it alone.
	Name string `toml:"name"`
	// Peer is the real Storm 1.0.0 program the case exercises (see peers).
	Peer string `toml:"peer"`
	// Summary says in one sentence what the case proves.
	Summary string `toml:"summary"`
	// KnownGap, when set, marks the case as a known gap: it is not run and
	// the report lists it as a gap with this reason, never as a pass.
	KnownGap string `toml:"known_gap"`
	// Requires names optional tools the case cannot run without
	// ("chromium"); a missing one skips the case (reported as skipped)
	// unless its GALE_REQUIRE_* variable is "1".
	Requires []string `toml:"requires"`
	Cluster  Cluster  `toml:"cluster"`
	Steps    []Step   `toml:"step"`

	File string `toml:"-"` // the file it was read from
}

// Cluster is what the runner starts before the steps.
type Cluster struct {
	// Nimbuses is the number of Gale Nimbus processes (`storm nimbus`, built
	// from ./cmd/storm) on a real ZooKeeper, each on its own port; the first
	// is leader. Default 1; 0 starts none.
	Nimbuses *int `toml:"nimbuses"`
	// UI starts the official Storm UI 1.0.0 against them.
	UI bool `toml:"ui"`
	// StormSupervisors starts that many of Storm 1.0.0's own supervisor
	// daemons (`storm supervisor`) on the Nimbuses' ZooKeeper root, each
	// with two slots, and waits until Gale's Nimbus lists them.
	StormSupervisors int `toml:"storm_supervisors"`
	// GaleSupervisors starts that many of Gale's supervisor daemons
	// (`storm supervisor` of the Gale binary, whose workers are `storm
	// worker` processes) on the Nimbuses' ZooKeeper root, each with two
	// slots, and waits until Gale's Nimbus lists them.
	GaleSupervisors int `toml:"gale_supervisors"`
	// StormCluster starts a reference Storm 1.0.0 cluster beside Gale's: a
	// real Nimbus (org.apache.storm.daemon.nimbus) and one of Storm's
	// supervisors on a ZooKeeper root of their own (${storm.nimbus.port},
	// ${storm.zkroot}), for cases that read what Storm itself writes.
	StormCluster bool `toml:"storm_cluster"`
	// Conf holds extra storm.yaml entries for the Gale daemons.
	Conf map[string]any `toml:"conf"`
}

// NimbusCount is Nimbuses with its default.
func (c Cluster) NimbusCount() int {
	if c.Nimbuses == nil {
		return 1
	}
	return *c.Nimbuses
}

// Step is one action of a case and what must hold afterwards. Which fields
// apply depends on Run; strings may use ${var} (see vars.go).
type Step struct {
	// Name labels the step in the report and in the RPC record (the
	// GALE_RPC_PEER of the JVMs it starts). Default: "<run> <command>".
	Name string `toml:"name"`
	// Run is the kind of step:
	//   storm      a Storm 1.0.0 CLI command as storm.py runs it (Command: list, kill, ...)
	//   storm-jar  `storm jar <peers jar> <Class> <Args>` as storm.py runs it
	//   gale-jar   the same through Gale's `storm jar`, with storm.py's command line as "expected"
	//   gale       a Thrift call to Gale's leader Nimbus from Go (RPC, Args): Gale's state
	//              (or to the Nimbus on NimbusPort)
	//   http       a request to the Storm UI (Method, Path, Body)
	//   browser    Chromium opens a UI page (Path), waits for WaitFor, screenshots
	//   rpc-log    the record of Nimbus calls Storm's client classes made in this case
	//   exec       runs Program with Args in Dir (relative to the case's directory)
	//              with Env added: a peer that is not a JVM (streamparse's sparse)
	//   zk         reads a ZooKeeper root (Root; default Gale's) with Gale's
	//              cluster.State: what the daemons wrote, decoded
	//   sleep      waits Seconds
	Run     string   `toml:"run"`
	Command string   `toml:"command"`
	Class   string   `toml:"class"`
	Args    []string `toml:"args"`
	// Options are storm.py's -c key=value options (-Dstorm.options).
	Options []string `toml:"options"`
	Stdin   string   `toml:"stdin"`
	RPC     string   `toml:"rpc"`
	// NimbusPort makes a gale step ask the Nimbus on this port instead of
	// Gale's leader (e.g. "${storm.nimbus.port}": the reference Storm
	// cluster's, to compare with what Storm itself answers).
	NimbusPort string `toml:"nimbus_port"`
	Method     string `toml:"method"`
	Path       string `toml:"path"`
	Body       string `toml:"body"`
	// WaitFor is a JavaScript expression the browser step polls until true.
	WaitFor string `toml:"wait_for"`
	// Screenshot is the file name (in the results directory) of the
	// browser step's screenshot.
	Screenshot string `toml:"screenshot"`
	// Peer filters the rpc-log step to the JVMs of the steps with this
	// Name ("storm-ui" for the UI daemon); empty means all.
	Peer    string  `toml:"peer"`
	Seconds float64 `toml:"seconds"`
	// Program, Dir and Env are an exec step's program, working directory
	// and extra environment ("KEY=value").
	Program string   `toml:"program"`
	Dir     string   `toml:"dir"`
	Env     []string `toml:"env"`
	// Root is the ZooKeeper root a zk step reads (storm.zookeeper.root).
	Root string `toml:"root"`
	// Retry re-runs the step until its checks hold or this many seconds
	// have passed.
	Retry float64 `toml:"retry_secs"`
	// Exit is the expected exit code of a JVM step (default 0); Status the
	// expected HTTP status (default 200).
	Exit   *int `toml:"exit"`
	Status *int `toml:"status"`
	// Stdout checks for JVM steps: substrings, regular expressions, and
	// substrings that must not appear.
	StdoutContains []string `toml:"stdout_contains"`
	StdoutMatches  []string `toml:"stdout_matches"`
	StdoutLacks    []string `toml:"stdout_lacks"`
	StderrContains []string `toml:"stderr_contains"`
	// Capture sets variables from the step's result: var -> path.
	Capture map[string]string `toml:"capture"`
	// CaptureRegex sets variables from stdout: var -> regular expression
	// whose first group is the value.
	CaptureRegex map[string]string `toml:"capture_regex"`
	Checks       []Check           `toml:"check"`
}

// Check is one assertion on the step's result document, at Path (see
// jsonpath.go). Exactly one operation besides Path is set.
type Check struct {
	Path      string   `toml:"path"`
	Equals    any      `toml:"equals"`
	NotEquals any      `toml:"not_equals"`
	EqualsAt  string   `toml:"equals_path"` // another path of the same document
	Contains  string   `toml:"contains"`
	Lacks     string   `toml:"lacks"`
	Matches   string   `toml:"matches"`
	Exists    *bool    `toml:"exists"`
	Len       *int     `toml:"len"`
	MinLen    *int     `toml:"min_len"`
	OneOf     []any    `toml:"one_of"`
	Min       *float64 `toml:"min"`
	// AtLeast and AtMost compare numbers with a bound that may be a
	// ${variable} (a count captured earlier): counts that move are checked
	// between two readings.
	AtLeast string `toml:"at_least"`
	AtMost  string `toml:"at_most"`
	Note    string `toml:"note"` // why the check matters, for the report
}

var stepKinds = []string{"storm", "storm-jar", "gale-jar", "gale", "http", "browser", "rpc-log", "exec", "zk", "sleep"}

// Optional tools a case may require (see Requires).
var optionalTools = []string{"chromium", "streamparse"}

// LoadCases reads every *.toml file in dir, sorted by name, and validates
// each case.
func LoadCases(dir string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.toml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no case files in %s", dir)
	}
	sort.Strings(files)
	var cases []Case
	seen := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		c, err := ParseCase(b, strings.TrimSuffix(filepath.Base(f), ".toml"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		c.File = f
		if prev, ok := seen[c.Name]; ok {
			return nil, fmt.Errorf("%s: case name %q already used by %s", f, c.Name, prev)
		}
		seen[c.Name] = f
		cases = append(cases, c)
	}
	return cases, nil
}

// ParseCase decodes and validates one case file; defaultName is used when
// the file sets no name.
func ParseCase(b []byte, defaultName string) (Case, error) {
	var c Case
	md, err := toml.Decode(string(b), &c)
	if err != nil {
		return Case{}, fmt.Errorf("parse: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return Case{}, fmt.Errorf("unknown keys: %s", strings.Join(keys, ", "))
	}
	if c.Name == "" {
		c.Name = defaultName
	}
	return c, c.validate()
}

func (c *Case) validate() error {
	var errs []error
	if c.Name == "" || strings.ContainsAny(c.Name, " /") {
		errs = append(errs, fmt.Errorf("bad case name %q", c.Name))
	}
	if !slices.Contains(peers, c.Peer) {
		errs = append(errs, fmt.Errorf("peer %q is not one of %v", c.Peer, peers))
	}
	if c.Summary == "" {
		errs = append(errs, errors.New("summary is required"))
	}
	if n := c.Cluster.NimbusCount(); n < 0 || n > 3 {
		errs = append(errs, fmt.Errorf("cluster.nimbuses = %d, want 0..3", n))
	}
	if (c.Cluster.UI || c.Cluster.StormSupervisors > 0 || c.Cluster.GaleSupervisors > 0) && c.Cluster.NimbusCount() == 0 {
		errs = append(errs, errors.New("cluster.ui, cluster.storm_supervisors and cluster.gale_supervisors need a nimbus"))
	}
	if s := c.Cluster.StormSupervisors; s < 0 || s > 2 {
		errs = append(errs, fmt.Errorf("cluster.storm_supervisors = %d, want 0..2", s))
	}
	if s := c.Cluster.GaleSupervisors; s < 0 || s > 2 {
		errs = append(errs, fmt.Errorf("cluster.gale_supervisors = %d, want 0..2", s))
	}
	for _, r := range c.Requires {
		if !slices.Contains(optionalTools, r) {
			errs = append(errs, fmt.Errorf("requires %q: not one of %v", r, optionalTools))
		}
	}
	if c.KnownGap == "" && len(c.Steps) == 0 {
		errs = append(errs, errors.New("a case that is not a known gap needs steps"))
	}
	for i := range c.Steps {
		if err := c.Steps[i].validate(c); err != nil {
			errs = append(errs, fmt.Errorf("step %d (%s): %w", i+1, c.Steps[i].Label(), err))
		}
	}
	return errors.Join(errs...)
}

// Label is the step's name in reports and RPC records.
func (s *Step) Label() string {
	if s.Name != "" {
		return s.Name
	}
	switch s.Run {
	case "storm":
		return "storm " + s.Command
	case "storm-jar", "gale-jar":
		return s.Run + " " + s.Class
	case "gale":
		return "gale " + s.RPC
	case "http":
		return s.Method + " " + s.Path
	case "browser":
		return "browser " + s.Path
	case "exec":
		return filepath.Base(s.Program) + " " + strings.Join(s.Args, " ")
	}
	return s.Run
}

func (s *Step) validate(c *Case) error {
	if !slices.Contains(stepKinds, s.Run) {
		return fmt.Errorf("run %q is not one of %v", s.Run, stepKinds)
	}
	need := func(field, v string) error {
		if v == "" {
			return fmt.Errorf("run = %q needs %s", s.Run, field)
		}
		return nil
	}
	var err error
	switch s.Run {
	case "storm":
		if err = need("command", s.Command); err == nil {
			if _, ok := cliNamespaces[s.Command]; !ok {
				err = fmt.Errorf("storm command %q is not one of storm.py's client commands", s.Command)
			}
		}
	case "storm-jar", "gale-jar":
		err = need("class", s.Class)
	case "gale":
		err = need("rpc", s.RPC)
	case "http":
		if err = need("path", s.Path); err == nil && s.Method != "GET" && s.Method != "POST" {
			err = fmt.Errorf("method %q, want GET or POST", s.Method)
		}
		if err == nil && !c.Cluster.UI {
			err = errors.New("http steps need cluster.ui = true")
		}
	case "browser":
		if err = need("path", s.Path); err == nil && !c.Cluster.UI {
			err = errors.New("browser steps need cluster.ui = true")
		}
		if err == nil && !slices.Contains(c.Requires, "chromium") {
			err = errors.New(`browser steps need requires = ["chromium"]`)
		}
	case "exec":
		err = need("program", s.Program)
	case "sleep":
		if s.Seconds <= 0 || s.Seconds > 120 {
			err = fmt.Errorf("seconds = %v, want 0 < s <= 120", s.Seconds)
		}
	}
	if err != nil {
		return err
	}
	if s.Retry < 0 || s.Retry > 120 {
		return fmt.Errorf("retry_secs = %v, want 0..120", s.Retry)
	}
	for i, ch := range s.Checks {
		if err := ch.validate(); err != nil {
			return fmt.Errorf("check %d: %w", i+1, err)
		}
	}
	return nil
}

func (ch Check) validate() error {
	n := 0
	for _, set := range []bool{ch.Equals != nil, ch.NotEquals != nil, ch.EqualsAt != "", ch.Contains != "", ch.Lacks != "",
		ch.Matches != "", ch.Exists != nil, ch.Len != nil, ch.MinLen != nil, ch.OneOf != nil, ch.Min != nil,
		ch.AtLeast != "", ch.AtMost != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("path %q: want exactly one operation, have %d", ch.Path, n)
	}
	return nil
}
