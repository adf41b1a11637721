package conf

import (
	"slices"
	"testing"
)

func TestParseCommandLine(t *testing.T) {
	tests := []struct {
		args      []string
		overrides []string
		confFile  string
		rest      []string
		err       bool
	}{
		{[]string{"jar", "-c", "a=1", "x.jar", "--config", "f1", "-c", "b=2", "--config", "f2"}, []string{"a=1", "b=2"}, "f2", []string{"jar", "x.jar"}, false},
		{nil, nil, "", nil, false},
		{[]string{"list", "-c"}, nil, "", nil, true},
		{[]string{"--config"}, nil, "", nil, true},
	}
	for _, tt := range tests {
		c, err := ParseCommandLine(tt.args)
		if (err != nil) != tt.err {
			t.Errorf("ParseCommandLine(%q) error = %v, want error %v", tt.args, err, tt.err)
			continue
		}
		if !tt.err && (!slices.Equal(c.Overrides, tt.overrides) || c.ConfFile != tt.confFile || !slices.Equal(c.Args, tt.rest)) {
			t.Errorf("ParseCommandLine(%q) = %+v", tt.args, c)
		}
	}
}
