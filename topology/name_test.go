package topology

import (
	"errors"
	"testing"
)

func TestValidateName(t *testing.T) {
	// Clojure 1.7 (Storm 1.0.0) prints the set in this order; older Storm
	// releases (Clojure 1.5 hashing) printed #{"." "/" ":" "\\"}.
	const forbidden = `Topology name cannot contain any of the following: #{"/" ":" "." "\\"}`
	tests := []struct {
		name, want string
	}{
		{"word-count", ""},
		{"wc_1", ""},
		{"a/b", forbidden},
		{"a.b", forbidden},
		{"a:b", forbidden},
		{`a\b`, forbidden},
		{"", "Topology name cannot be blank"},
		{" \t\n", "Topology name cannot be blank"},
		{"\u2003", "Topology name cannot be blank"},
		{"\u00a0", ""}, // no-break space is not Java whitespace
		{" x ", ""},
	}
	for _, tt := range tests {
		err := ValidateName(tt.name)
		if tt.want == "" {
			if err != nil {
				t.Errorf("ValidateName(%q) = %v, want nil", tt.name, err)
			}
			continue
		}
		var ie *InvalidError
		if !errors.As(err, &ie) || ie.Msg != tt.want {
			t.Errorf("ValidateName(%q) = %v, want InvalidError %q", tt.name, err, tt.want)
		}
	}
}
