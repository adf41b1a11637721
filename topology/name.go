package topology

import "strings"

// ValidateName applies nimbus's validate-topology-name!: a name containing
// "/", ".", ":" or "\" is rejected with Storm's message; a blank name
// (empty or only Java whitespace) is rejected with "Topology name cannot be
// blank". Storm 1.0.0 means to raise that second error but crashes with a
// ClassCastException instead; we return the intended InvalidError.
func ValidateName(name string) error {
	disallowed := []string{"/", ".", ":", `\`}
	for _, s := range disallowed {
		if strings.Contains(name, s) {
			return invalid("Topology name cannot contain any of the following: " +
				clojureSetString(disallowed))
		}
	}
	for _, r := range name {
		if !javaIsWhitespace(r) {
			return nil
		}
	}
	return invalid("Topology name cannot be blank")
}

// javaIsWhitespace is java.lang.Character.isWhitespace (used by
// clojure.string/blank?): Unicode space separators other than no-break
// spaces, plus the ASCII/C0 separators.
func javaIsWhitespace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f:
		return true
	case 0x00a0, 0x2007, 0x202f:
		return false
	case ' ', 0x1680, 0x180e /* Zs in Java 8's Unicode 6.2 */, 0x2028, 0x2029, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}
