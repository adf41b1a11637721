package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/compat/urlenc"
)

// globalArgs is the command line after storm.py's parse_config_opts: the
// "-c" values in order, the last "--config" file, and everything else.
type globalArgs struct {
	confOpts []string // each "key=value" given with -c, in order
	confFile string   // --config FILE ("" if none)
	rest     []string // the command and its arguments
}

// parseGlobal takes every "-c VALUE" and "--config FILE" pair out of args,
// wherever it appears, as storm.py does (conf.ParseCommandLine).
func parseGlobal(args []string) (globalArgs, error) {
	c, err := conf.ParseCommandLine(args)
	return globalArgs{confOpts: c.Overrides, confFile: c.ConfFile, rest: c.Args}, err
}

// stormOptions is the value of -Dstorm.options: each -c value encoded with
// Python 2's urllib.quote_plus and joined with commas (storm.py
// get_config_opts). Storm's Utils.readCommandLineOpts splits it on commas
// and URL-decodes each piece.
func stormOptions(confOpts []string) string {
	enc := make([]string, len(confOpts))
	for i, o := range confOpts {
		enc[i] = urlenc.QuotePlus(o)
	}
	return strings.Join(enc, ",")
}

// javaParseInt parses like Java's Integer.parseInt: optional sign, decimal
// digits, 32-bit range, nothing else.
func javaParseInt(s string) (int32, error) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("For input string: %q", s)
	}
	return int32(n), nil
}

// killArgs are the arguments of `storm kill` (kill_topology.clj).
type killArgs struct {
	name string
	wait *int32 // -w/--wait SECS
}

// rebalanceArgs are the arguments of `storm rebalance` (rebalance.clj).
type rebalanceArgs struct {
	name       string
	wait       *int32           // -w/--wait SECS
	numWorkers *int32           // -n/--num-workers N
	executors  map[string]int32 // -e/--executor COMPONENT=N, repeatable; later wins
}

var errNoName = errors.New("missing topology name")

// parseKill parses `NAME [-w SECS]` with the options in any position, as
// clojure.tools.cli does; the first positional argument is the name.
func parseKill(args []string) (killArgs, error) {
	var k killArgs
	pos, err := parseOpts(args, map[string]func(string) error{
		"-w": func(v string) error { return setInt(&k.wait, v) }, "--wait": func(v string) error { return setInt(&k.wait, v) },
	})
	if err != nil {
		return k, err
	}
	if len(pos) == 0 {
		return k, errNoName
	}
	k.name = pos[0]
	return k, nil
}

// parseRebalance parses `NAME [-w SECS] [-n WORKERS] [-e COMP=N]...`.
func parseRebalance(args []string) (rebalanceArgs, error) {
	var r rebalanceArgs
	exec := func(v string) error {
		comp, n, err := parseExecutor(v)
		if err != nil {
			return err
		}
		if r.executors == nil {
			r.executors = map[string]int32{}
		}
		r.executors[comp] = n
		return nil
	}
	wait := func(v string) error { return setInt(&r.wait, v) }
	workers := func(v string) error { return setInt(&r.numWorkers, v) }
	pos, err := parseOpts(args, map[string]func(string) error{
		"-w": wait, "--wait": wait, "-n": workers, "--num-workers": workers, "-e": exec, "--executor": exec,
	})
	if err != nil {
		return r, err
	}
	if len(pos) == 0 {
		return r, errNoName
	}
	r.name = pos[0]
	return r, nil
}

// parseExecutor splits "COMPONENT=N" at the last "=" (rebalance.clj
// parse-executor), so component ids may themselves contain "=".
func parseExecutor(s string) (string, int32, error) {
	i := strings.LastIndexByte(s, '=')
	if i < 0 {
		return "", 0, fmt.Errorf("executor %q: want COMPONENT=NUMBER", s)
	}
	n, err := javaParseInt(s[i+1:])
	if err != nil {
		return "", 0, fmt.Errorf("executor %q: %w", s, err)
	}
	return s[:i], n, nil
}

// parseOpts walks args: a token naming an option consumes the next token as
// its value ("--opt=value" also works); anything else is positional. An
// unknown token that starts with "-" is an error, as in tools.cli.
func parseOpts(args []string, opts map[string]func(string) error) ([]string, error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		tok := args[i]
		if !strings.HasPrefix(tok, "-") || tok == "-" || isNumber(tok) {
			pos = append(pos, tok)
			continue
		}
		name, val, hasVal := strings.Cut(tok, "=")
		set, ok := opts[name]
		if !ok || (hasVal && !strings.HasPrefix(name, "--")) {
			return nil, fmt.Errorf("'%s' is not a valid argument", tok)
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, fmt.Errorf("%s needs a value", name)
			}
			i++
			val = args[i]
		}
		if err := set(val); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return pos, nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

func setInt(dst **int32, v string) error {
	n, err := javaParseInt(v)
	if err != nil {
		return err
	}
	*dst = &n
	return nil
}
