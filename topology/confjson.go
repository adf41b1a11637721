package topology

import (
	"fmt"
	"math"

	"github.com/galeproject/gale/compat/conf"
)

// Conf keys read here.
const (
	keyTopologyTasks              = conf.TopologyTasks
	keyTopologyMaxTaskParallelism = conf.TopologyMaxTaskParallelism
	keyTopologyWorkers            = conf.TopologyWorkers
	keyTopologyAckerExecutors     = conf.TopologyAckerExecutors
	keyTopologyEventLoggerExecs   = conf.TopologyEventloggerExecutors
	keyTopologyMessageTimeoutSecs = conf.TopologyMessageTimeoutSecs
	keyTopologyTickTupleFreqSecs  = conf.TopologyTickTupleFreqSecs
	keyTopologyMetricsConsumerReg = conf.TopologyMetricsConsumerRegister
)

// parseComponentConf decodes a component's json_conf. A missing json_conf
// (or JSON null) is an empty conf. Integers stay int64.
func parseComponentConf(id string, s *string) (map[string]any, error) {
	if s == nil {
		return map[string]any{}, nil
	}
	v, err := conf.ParseJSONValue([]byte(*s))
	if err != nil {
		return nil, invalid(fmt.Sprintf("Component [%s] has an invalid json_conf: %v", id, err))
	}
	switch m := v.(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]any:
		return m, nil
	}
	return nil, invalid(fmt.Sprintf("Component [%s] has an invalid json_conf: not a JSON object", id))
}

// encodeJSON writes v as JSON the way Storm's json-simple does, with sorted
// keys and integers as integers.
func encodeJSON(v any) (string, error) {
	b, err := conf.EncodeJSON(v)
	if err != nil {
		return "", invalid(fmt.Sprintf("cannot encode conf as JSON: %v", err))
	}
	return string(b), nil
}

// intValue reads an integer conf value; integral floats count (JSON readers
// may produce 2.0), anything else does not.
func intValue(v any) (int64, bool) {
	switch t := v.(type) {
	case int64:
		return t, true
	case int:
		return int64(t), true
	case int32:
		return int64(t), true
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<62 {
			return int64(t), true
		}
	}
	return 0, false
}

// confInt reads key as an integer: present=false when absent or null,
// an error when present but not an integer.
func confInt(m map[string]any, key, where string) (v int64, present bool, err error) {
	raw, ok := m[key]
	if !ok || raw == nil {
		return 0, false, nil
	}
	i, ok := intValue(raw)
	if !ok {
		return 0, false, invalid(fmt.Sprintf("%s: %s must be an integer, got %v", where, key, raw))
	}
	return i, true, nil
}
