// Package conf is Storm's configuration map: typed key constants for every
// key of Storm 1.0.0's conf/defaults.yaml and org.apache.storm.Config, the
// embedded defaults, the client/daemon loading order (defaults.yaml, then
// storm.yaml, then "-c key=value" overrides), and the JSON dialect Storm
// stores topology configurations in.
//
// A [Conf] holds only normalized values: int64, float64, string, bool, nil,
// []any and map[string]any (recursively). YAML, JSON and Go values are
// normalized on the way in, so an integer is always int64 and a real number
// always float64, matching Storm's Long/Double after its own normalization.
package conf
