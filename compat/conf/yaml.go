package conf

import (
	_ "embed"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed defaults.yaml
var defaultsYAML []byte

// Defaults returns a fresh copy of Storm 1.0.0's conf/defaults.yaml values.
func Defaults() Conf {
	c, err := ParseYAML(defaultsYAML)
	if err != nil {
		panic("conf: embedded defaults.yaml is invalid: " + err.Error()) // caught by tests
	}
	return c
}

// ParseYAML decodes a storm.yaml document into a Conf. An empty document is
// an empty Conf; a document that is not a mapping is an error.
func ParseYAML(b []byte) (Conf, error) {
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("conf: bad YAML: %w", err)
	}
	if v == nil {
		return Conf{}, nil
	}
	n, err := Normalize(yamlScalars(v))
	if err != nil {
		return nil, fmt.Errorf("conf: bad YAML: %w", err)
	}
	m, ok := n.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("conf: YAML document is %s, not a mapping", jsonKind(n))
	}
	return Conf(m), nil
}

// yamlScalars rewrites YAML-only scalar types into conf values: timestamps
// become their RFC 3339 text.
func yamlScalars(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case map[string]any:
		for k, e := range x {
			x[k] = yamlScalars(e)
		}
	case map[any]any:
		for k, e := range x {
			x[k] = yamlScalars(e)
		}
	case []any:
		for i, e := range x {
			x[i] = yamlScalars(e)
		}
	}
	return v
}
