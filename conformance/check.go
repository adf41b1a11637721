package conformance

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// CheckResult is the outcome of one assertion, kept as evidence.
type CheckResult struct {
	Check string `json:"check"`
	OK    bool   `json:"ok"`
	Got   string `json:"got,omitempty"`
	Note  string `json:"note,omitempty"`
}

// evalCheck applies ch (its strings already expanded) to doc.
func evalCheck(doc any, ch Check) CheckResult {
	desc, ok, got := describeAndEval(doc, ch)
	return CheckResult{Check: desc, OK: ok, Got: clip(got, 300), Note: ch.Note}
}

func describeAndEval(doc any, ch Check) (desc string, ok bool, got string) {
	at := ch.Path
	if at == "" {
		at = "(document)"
	}
	v, err := Lookup(doc, ch.Path)
	found := err == nil
	if found {
		got = Canon(v)
	} else {
		got = "missing: " + err.Error()
	}
	switch {
	case ch.Exists != nil:
		return fmt.Sprintf("%s exists = %v", at, *ch.Exists), found == *ch.Exists, got
	case !found:
		return describe(at, ch), false, got
	case ch.Equals != nil:
		return describe(at, ch), got == Canon(ch.Equals), got
	case ch.NotEquals != nil:
		return describe(at, ch), got != Canon(ch.NotEquals), got
	case ch.EqualsAt != "":
		other, err := Lookup(doc, ch.EqualsAt)
		if err != nil {
			return describe(at, ch), false, got + "; " + ch.EqualsAt + " missing: " + err.Error()
		}
		return describe(at, ch), got == Canon(other), got + " vs " + Canon(other)
	case ch.Contains != "":
		return describe(at, ch), containsValue(v, ch.Contains), got
	case ch.Lacks != "":
		return describe(at, ch), !containsValue(v, ch.Lacks), got
	case ch.Matches != "":
		re, err := regexp.Compile(ch.Matches)
		if err != nil {
			return describe(at, ch), false, "bad regexp: " + err.Error()
		}
		return describe(at, ch), re.MatchString(got), got
	case ch.Len != nil, ch.MinLen != nil:
		n, ok := length(v)
		if !ok {
			return describe(at, ch), false, kindOf(v) + " has no length: " + got
		}
		if ch.Len != nil {
			return describe(at, ch), n == *ch.Len, fmt.Sprintf("len %d: %s", n, got)
		}
		return describe(at, ch), n >= *ch.MinLen, fmt.Sprintf("len %d: %s", n, got)
	case ch.OneOf != nil:
		for _, o := range ch.OneOf {
			if got == Canon(o) {
				return describe(at, ch), true, got
			}
		}
		return describe(at, ch), false, got
	case ch.Min != nil:
		f, err := strconv.ParseFloat(got, 64)
		return describe(at, ch), err == nil && f >= *ch.Min, got
	case ch.AtLeast != "", ch.AtMost != "":
		f, err := strconv.ParseFloat(got, 64)
		if err != nil {
			return describe(at, ch), false, "not a number: " + got
		}
		bound, want := ch.AtLeast, func(b float64) bool { return f >= b }
		if ch.AtMost != "" {
			bound, want = ch.AtMost, func(b float64) bool { return f <= b }
		}
		b, err := strconv.ParseFloat(bound, 64)
		if err != nil {
			return describe(at, ch), false, fmt.Sprintf("%s; bound %q is not a number", got, bound)
		}
		return describe(at, ch), want(b), got
	}
	return describe(at, ch), false, "no operation"
}

func describe(at string, ch Check) string {
	switch {
	case ch.Equals != nil:
		return fmt.Sprintf("%s == %q", at, Canon(ch.Equals))
	case ch.NotEquals != nil:
		return fmt.Sprintf("%s != %q", at, Canon(ch.NotEquals))
	case ch.EqualsAt != "":
		return fmt.Sprintf("%s == %s", at, ch.EqualsAt)
	case ch.Contains != "":
		return fmt.Sprintf("%s contains %q", at, ch.Contains)
	case ch.Lacks != "":
		return fmt.Sprintf("%s lacks %q", at, ch.Lacks)
	case ch.Matches != "":
		return fmt.Sprintf("%s matches /%s/", at, ch.Matches)
	case ch.Len != nil:
		return fmt.Sprintf("len(%s) == %d", at, *ch.Len)
	case ch.MinLen != nil:
		return fmt.Sprintf("len(%s) >= %d", at, *ch.MinLen)
	case ch.OneOf != nil:
		s := make([]string, len(ch.OneOf))
		for i, o := range ch.OneOf {
			s[i] = Canon(o)
		}
		return fmt.Sprintf("%s in %q", at, s)
	case ch.Min != nil:
		return fmt.Sprintf("%s >= %v", at, *ch.Min)
	case ch.AtLeast != "":
		return fmt.Sprintf("%s >= %s", at, ch.AtLeast)
	case ch.AtMost != "":
		return fmt.Sprintf("%s <= %s", at, ch.AtMost)
	}
	return at
}

// containsValue: a substring of a string, an element (by Canon) of an
// array, or a key of an object.
func containsValue(v any, want string) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, want)
	case []any:
		return slices.ContainsFunc(x, func(e any) bool { return Canon(e) == want })
	case map[string]any:
		_, ok := x[want]
		return ok
	}
	return strings.Contains(Canon(v), want)
}

func length(v any) (int, bool) {
	switch x := v.(type) {
	case string:
		return len(x), true
	case []any:
		return len(x), true
	case map[string]any:
		return len(x), true
	}
	return 0, false
}

// textChecks applies a step's stdout/stderr assertions.
func textChecks(s *Step, stdout, stderr string) []CheckResult {
	var out []CheckResult
	for _, want := range s.StdoutContains {
		out = append(out, CheckResult{Check: fmt.Sprintf("stdout contains %q", want), OK: strings.Contains(stdout, want)})
	}
	for _, lack := range s.StdoutLacks {
		out = append(out, CheckResult{Check: fmt.Sprintf("stdout lacks %q", lack), OK: !strings.Contains(stdout, lack)})
	}
	for _, want := range s.StderrContains {
		out = append(out, CheckResult{Check: fmt.Sprintf("stderr contains %q", want), OK: strings.Contains(stderr, want)})
	}
	for _, pat := range s.StdoutMatches {
		re, err := regexp.Compile(pat)
		r := CheckResult{Check: fmt.Sprintf("stdout matches /%s/", pat)}
		if err != nil {
			r.Got = "bad regexp: " + err.Error()
		} else if m := re.FindString(stdout); m != "" || re.MatchString(stdout) {
			r.OK, r.Got = true, clip(m, 300)
		}
		out = append(out, r)
	}
	return out
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
