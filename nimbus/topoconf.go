package nimbus

import (
	"fmt"
	"os"
	"os/user"
	"slices"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// Topology conf handling at submission: normalize-conf, the config type
// checks Nimbus relies on, and the size limits.

// normalizeConf is nimbus.clj normalize-conf: the topology conf plus the
// merged kryo registrations/decorators of every component and the
// acker/eventlogger/max-parallelism values of nimbus conf + topology conf.
func normalizeConf(nimbusConf, stormConf conf.Conf, t *stormthrift.StormTopology) conf.Conf {
	var compConfs []map[string]any
	for _, id := range componentIDs(t) {
		c := componentCommon(t, id)
		if c == nil || !c.IsSetJSONConf() || c.GetJSONConf() == "" {
			continue
		}
		m, err := conf.ParseJSON([]byte(c.GetJSONConf()))
		if err != nil {
			continue // validated later by topology.Normalize/System
		}
		compConfs = append(compConfs, m)
	}
	topoOrNimbus := func(k string) any {
		if v, ok := stormConf[k]; ok && v != nil {
			return v
		}
		return nimbusConf[k]
	}
	// topology.kryo.decorators: distinct over components then topology.
	var decorators []string
	for _, m := range compConfs {
		decorators = append(decorators, stringList(m[conf.TopologyKryoDecorators])...)
	}
	decorators = append(decorators, stringList(topoOrNimbus(conf.TopologyKryoDecorators))...)
	// topology.kryo.register: later entries win.
	var regs []any
	for _, m := range compConfs {
		regs = append(regs, kryoEntries(m[conf.TopologyKryoRegister])...)
	}
	regs = append(regs, kryoEntries(topoOrNimbus(conf.TopologyKryoRegister))...)
	var register map[string]any
	for _, e := range regs {
		if register == nil {
			register = map[string]any{}
		}
		switch v := e.(type) {
		case string:
			register[v] = nil
		case map[string]any:
			for k, s := range v {
				register[k] = s
			}
		}
	}
	total := nimbusConf.Merge(stormConf)
	out := stormConf
	out[conf.TopologyKryoDecorators] = toAnyList(distinct(decorators))
	if register == nil {
		out[conf.TopologyKryoRegister] = nil
	} else {
		out[conf.TopologyKryoRegister] = register
	}
	out[conf.TopologyAckerExecutors] = total[conf.TopologyAckerExecutors]
	out[conf.TopologyEventloggerExecutors] = total[conf.TopologyEventloggerExecutors]
	out[conf.TopologyMaxTaskParallelism] = total[conf.TopologyMaxTaskParallelism]
	return out
}

// kryoEntries flattens a topology.kryo.register value into registration
// entries: class names (string) or class->serializer maps.
func kryoEntries(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	case map[string]any:
		return []any{x}
	case string:
		return []any{x}
	}
	return nil
}

// componentIDs lists spouts, bolts and state spouts, each group sorted.
func componentIDs(t *stormthrift.StormTopology) []string {
	var ids []string
	for _, m := range []func() []string{
		func() []string { return sortedKeys(t.GetSpouts()) },
		func() []string { return sortedKeys(t.GetBolts()) },
		func() []string { return sortedKeys(t.GetStateSpouts()) },
	} {
		ids = append(ids, m()...)
	}
	return ids
}

func componentCommon(t *stormthrift.StormTopology, id string) *stormthrift.ComponentCommon {
	if s, ok := t.GetSpouts()[id]; ok && s != nil {
		return s.GetCommon()
	}
	if b, ok := t.GetBolts()[id]; ok && b != nil {
		return b.GetCommon()
	}
	if s, ok := t.GetStateSpouts()[id]; ok && s != nil {
		return s.GetCommon()
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// validateTopoConf checks the types of the keys Nimbus itself reads, with
// ConfigValidation's messages (validate-configs-with-schemas).
func validateTopoConf(c conf.Conf) error {
	type rule struct {
		key, field string
		min        int64 // 0: ≥0, 1: >0
		notNull    bool
	}
	for _, r := range []rule{
		{conf.TopologyWorkers, "TOPOLOGY_WORKERS", 1, false},
		{conf.TopologyAckerExecutors, "TOPOLOGY_ACKER_EXECUTORS", 0, false},
		{conf.TopologyEventloggerExecutors, "TOPOLOGY_EVENTLOGGER_EXECUTORS", 0, false},
		{conf.TopologyTasks, "TOPOLOGY_TASKS", 0, false},
		{conf.TopologyMaxTaskParallelism, "TOPOLOGY_MAX_TASK_PARALLELISM", 1, false},
		{conf.TopologyMessageTimeoutSecs, "TOPOLOGY_MESSAGE_TIMEOUT_SECS", 1, true},
	} {
		v, ok := c[r.key]
		if !ok {
			continue
		}
		if v == nil {
			if r.notNull {
				return invalidTopology("Field " + r.field + "cannot be null! Actual value: null")
			}
			continue
		}
		var f float64
		switch x := v.(type) {
		case int64:
			if x > 1<<31-1 || x < -1<<31 {
				return invalidTopology("Field " + r.field + " must be an Integer within type range.")
			}
			f = float64(x)
		case float64:
			if x != float64(int64(x)) || x > 1<<31-1 || x < -1<<31 {
				return invalidTopology("Field " + r.field + " must be an Integer within type range.")
			}
			c[r.key] = int64(x)
			f = x
		default:
			return invalidTopology("Field " + r.field + " must be an Integer within type range.")
		}
		if (r.min == 1 && f <= 0) || (r.min == 0 && f < 0) {
			return invalidTopology("Field " + r.field + " must be a Positive Number")
		}
	}
	for _, k := range []struct{ key, field string }{
		{conf.TopologyKryoDecorators, "TOPOLOGY_KRYO_DECORATORS"},
		{conf.TopologyUsers, "TOPOLOGY_USERS"},
	} {
		v, ok := c[k.key]
		if !ok || v == nil {
			continue
		}
		l, isList := v.([]any)
		if !isList {
			return invalidTopology(fmt.Sprintf("Field %s must be of type java.lang.Iterable. Object: %v actual type: %T", k.field, v, v))
		}
		for _, e := range l {
			if _, isStr := e.(string); !isStr {
				return invalidTopology(fmt.Sprintf("Field %s must be of type java.lang.String. Object: %v actual type: %T", k.field, e, e))
			}
		}
	}
	if v, ok := c[conf.TopologyBackpressureEnable]; ok && v != nil {
		if _, isBool := v.(bool); !isBool {
			return invalidTopology(fmt.Sprintf("Field TOPOLOGY_BACKPRESSURE_ENABLE must be of type java.lang.Boolean. Object: %v actual type: %T", v, v))
		}
	}
	return nil
}

// validateTopologySize enforces nimbus.executors.perTopology and
// nimbus.slots.perTopology.
func validateTopologySize(topoConf, total, nimbusConf conf.Conf, normalized *stormthrift.StormTopology) error {
	if max, ok := nimbusConf.Int(conf.NimbusExecutorsPerTopology); ok {
		sum := 0
		for _, id := range componentIDs(normalized) {
			c := componentCommon(normalized, id)
			if c != nil && c.IsSetParallelismHint() {
				sum += int(c.GetParallelismHint())
			} else {
				sum++
			}
		}
		if int64(sum) > max {
			return invalidTopology(fmt.Sprintf("Failed to submit topology. Topology requests more than %d executors.", max))
		}
	}
	if max, ok := nimbusConf.Int(conf.NimbusSlotsPerTopology); ok {
		w, ok := topoConf.Int(conf.TopologyWorkers)
		if !ok {
			w = total.IntOr(conf.TopologyWorkers, 1)
		}
		if w > max {
			return invalidTopology(fmt.Sprintf("Failed to submit topology. Topology requests more than %d workers.", max))
		}
	}
	return nil
}

// zkAuthConfigured is Utils.isZkAuthenticationConfiguredStormServer
// without the JAAS system property, which a Go process does not have.
func zkAuthConfigured(c conf.Conf) bool {
	s, ok := c.String(conf.StormZookeeperAuthScheme)
	return ok && s != ""
}

// systemUser is the user the nimbus process runs as (Java's user.name).
// Never empty: a Java supervisor's Localizer fails on a null submitter.
func systemUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "storm"
}

func stringList(v any) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return append([]string(nil), x...)
	case string:
		return []string{x}
	}
	return nil
}

func distinct(in []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func toAnyList(in []string) []any {
	out := make([]any, len(in))
	for i, s := range in {
		out[i] = s
	}
	return out
}
