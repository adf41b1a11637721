package conformance

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Vars are a case's variables, used as ${name} in step strings. The runner
// sets: case, work (the case's directory), user (the OS user the JVMs run
// as), nimbus.host, nimbus.port (the leader), nimbus.N.port (each Nimbus,
// from 0), ui.port, ui.url, peers.jar (the jar of conformance/java); steps
// add their captures.
type Vars map[string]string

var varRef = regexp.MustCompile(`\$\{([A-Za-z0-9_.\-]+)\}`)

// Expand replaces every ${name}; an unknown name is an error.
func (v Vars) Expand(s string) (string, error) {
	var missing []string
	out := varRef.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-1]
		if val, ok := v[name]; ok {
			return val
		}
		missing = append(missing, name)
		return m
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("unknown variable(s) %s in %q (known: %s)", strings.Join(missing, ", "), s, v.names())
	}
	return out, nil
}

func (v Vars) names() string {
	n := make([]string, 0, len(v))
	for k := range v {
		n = append(n, k)
	}
	sort.Strings(n)
	return strings.Join(n, " ")
}

// expandStep returns a copy of s with every string field expanded.
func (v Vars) expandStep(s Step) (Step, error) {
	var err error
	str := func(p *string) {
		if err == nil {
			*p, err = v.Expand(*p)
		}
	}
	list := func(p []string) []string {
		out := make([]string, len(p))
		for i := range p {
			out[i] = p[i]
			str(&out[i])
		}
		return out
	}
	for _, p := range []*string{&s.Command, &s.Class, &s.Stdin, &s.RPC, &s.Path, &s.Body, &s.WaitFor, &s.Screenshot, &s.Peer, &s.Name,
		&s.Program, &s.Dir, &s.Root, &s.NimbusPort} {
		str(p)
	}
	s.Args, s.Options, s.Env = list(s.Args), list(s.Options), list(s.Env)
	s.StdoutContains, s.StdoutMatches = list(s.StdoutContains), list(s.StdoutMatches)
	s.StdoutLacks, s.StderrContains = list(s.StdoutLacks), list(s.StderrContains)
	checks := make([]Check, len(s.Checks))
	for i, ch := range s.Checks {
		str(&ch.Path)
		str(&ch.EqualsAt)
		str(&ch.Contains)
		str(&ch.Lacks)
		str(&ch.Matches)
		str(&ch.AtLeast)
		str(&ch.AtMost)
		if e, ok := ch.Equals.(string); ok {
			str(&e)
			ch.Equals = e
		}
		if e, ok := ch.NotEquals.(string); ok {
			str(&e)
			ch.NotEquals = e
		}
		if ch.OneOf != nil {
			one := make([]any, len(ch.OneOf))
			for j, o := range ch.OneOf {
				if e, ok := o.(string); ok {
					str(&e)
					o = e
				}
				one[j] = o
			}
			ch.OneOf = one
		}
		checks[i] = ch
	}
	s.Checks = checks
	return s, err
}
