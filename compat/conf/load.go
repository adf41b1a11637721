package conf

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// StormYAML is the name of the cluster configuration file.
const StormYAML = "storm.yaml"

// LoadOptions says where a daemon or client finds its configuration.
type LoadOptions struct {
	// ConfFile is the --config file (Storm's storm.conf.file). When set it
	// must exist and hold a non-empty mapping.
	ConfFile string
	// ConfDir is the directory holding storm.yaml. When empty,
	// $STORM_CONF_DIR/storm.yaml is used if present, else
	// ~/.storm/storm.yaml if present. A missing storm.yaml is no error.
	ConfDir string
	// StormOptions is a raw -Dstorm.options value (see DecodeStormOptions),
	// applied after storm.yaml.
	StormOptions string
	// Overrides are "-c key=value" options (see ParseOverride), applied last.
	Overrides []string
	// Getenv reads environment variables (STORM_CONF_DIR, HOME); nil means
	// os.Getenv.
	Getenv func(string) string
}

// Load builds a configuration as Storm's readStormConfig does: the defaults,
// overlaid with storm.yaml, overlaid with the command-line options.
func Load(opts LoadOptions) (Conf, error) {
	c := Defaults()
	path, mustExist := opts.StormYAMLPath()
	if path != "" {
		y, err := readYAMLFile(path, mustExist)
		if err != nil {
			return nil, err
		}
		for k, v := range y {
			c[k] = v
		}
	}
	if opts.StormOptions != "" {
		o, err := DecodeStormOptions(opts.StormOptions)
		if err != nil {
			return nil, err
		}
		for k, v := range o {
			c[k] = v
		}
	}
	for _, s := range opts.Overrides {
		k, v, err := ParseOverride(s)
		if err != nil {
			return nil, err
		}
		c[k] = v
	}
	return c, nil
}

// StormYAMLPath returns the storm.yaml Load would read ("" for none) and
// whether that file must exist.
func (o LoadOptions) StormYAMLPath() (path string, mustExist bool) {
	if o.ConfFile != "" {
		return o.ConfFile, true
	}
	if o.ConfDir != "" {
		return filepath.Join(o.ConfDir, StormYAML), false
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	var dirs []string
	if d := getenv("STORM_CONF_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	if h := getenv("HOME"); h != "" {
		dirs = append(dirs, filepath.Join(h, ".storm"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, StormYAML)
		if _, err := os.Stat(p); err == nil {
			return p, false
		}
	}
	return "", false
}

func readYAMLFile(path string, mustExist bool) (Conf, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if !mustExist && errors.Is(err, fs.ErrNotExist) {
			return Conf{}, nil
		}
		return nil, fmt.Errorf("conf: read %s: %w", path, err)
	}
	c, err := ParseYAML(b)
	if err != nil {
		return nil, fmt.Errorf("conf: %s: %w", path, err)
	}
	if mustExist && len(c) == 0 {
		return nil, fmt.Errorf("conf: config file %s doesn't have any valid storm configs", path)
	}
	return c, nil
}

// ParseOverride parses one "-c key=value" option: the key is everything
// before the first '=', the value is parsed as JSON when it is valid JSON and
// kept as a string otherwise (Storm's readCommandLineOpts).
func ParseOverride(s string) (key string, val any, err error) {
	key, raw, ok := strings.Cut(s, "=")
	if !ok {
		return "", nil, fmt.Errorf("conf: option %q is not key=value", s)
	}
	return key, parseOptionValue(raw), nil
}

func parseOptionValue(raw string) any {
	if v, err := parseJSONValue([]byte(raw)); err == nil {
		return v
	}
	return raw
}

// EncodeStormOptions renders "-c key=value" options as the value of the JVM
// property -Dstorm.options, as bin/storm.py does: each option query-escaped
// (space as '+'), joined with commas.
func EncodeStormOptions(overrides []string) string {
	parts := make([]string, len(overrides))
	for i, o := range overrides {
		parts[i] = url.QueryEscape(o)
	}
	return strings.Join(parts, ",")
}

// DecodeStormOptions parses a -Dstorm.options value as Storm's
// Utils.readCommandLineOpts does: split at commas that are not inside a
// [...] or {...} (a comma is kept when the next bracket after it closes),
// URL-decode each part, split at the first '=' (parts without one are
// ignored) and parse the value as JSON, else keep the string.
func DecodeStormOptions(s string) (Conf, error) {
	c := Conf{}
	if s == "" {
		return c, nil
	}
	for _, part := range splitStormOptions(s) {
		dec, err := url.QueryUnescape(part)
		if err != nil {
			return nil, fmt.Errorf("conf: storm.options part %q: %w", part, err)
		}
		k, raw, ok := strings.Cut(dec, "=")
		if !ok {
			continue
		}
		c[k] = parseOptionValue(raw)
	}
	return c, nil
}

// splitStormOptions mirrors Java's s.split(",(?![^\\[\\]{}]*(]|}))"): a comma
// splits unless the first bracket character after it is ']' or '}'.
// Trailing empty parts are dropped, as String.split does.
func splitStormOptions(s string) []string {
	// next[i] is the first bracket character at or after i (0 if none).
	next := make([]byte, len(s)+1)
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case '[', ']', '{', '}':
			next[i] = s[i]
		default:
			next[i] = next[i+1]
		}
	}
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != ',' || next[i+1] == ']' || next[i+1] == '}' {
			continue
		}
		parts = append(parts, s[start:i])
		start = i + 1
	}
	parts = append(parts, s[start:])
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}
