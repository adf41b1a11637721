package topology

import (
	"fmt"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// Normalize returns a deep copy of the user topology with topology.tasks
// written into every component's json_conf (nimbus's normalize-topology):
//
//	tasks = component conf (merged over topoConf) topology.tasks,
//	        or else the parallelism hint (default 1),
//	        capped by topology.max.task.parallelism when that is set.
//
// The component's other conf keys are kept. topoConf is the topology's total
// conf (nimbus conf merged with the submitted conf). json_conf is re-encoded
// with sorted keys; integers stay integers.
func Normalize(user *stormthrift.StormTopology, topoConf conf.Conf) (*stormthrift.StormTopology, error) {
	if user == nil {
		return nil, invalid("Topology is null")
	}
	out := copyTopology(user)
	all := commons(out)
	for _, id := range sortedKeys(all) {
		c := all[id]
		compConf, err := parseComponentConf(id, c.JSONConf)
		if err != nil {
			return nil, err
		}
		tasks, err := componentTasks(id, c, compConf, topoConf)
		if err != nil {
			return nil, err
		}
		compConf[keyTopologyTasks] = tasks
		js, err := encodeJSON(compConf)
		if err != nil {
			return nil, err
		}
		c.JSONConf = &js
	}
	return out, nil
}

// componentTasks is nimbus's component-parallelism.
func componentTasks(id string, c *stormthrift.ComponentCommon, compConf, topoConf map[string]any) (int64, error) {
	lookup := func(key string) (int64, bool, error) {
		// (merge topoConf compConf): a key the component sets, even to
		// null, shadows the topology's value.
		if _, set := compConf[key]; set {
			return confInt(compConf, key, fmt.Sprintf("Component [%s]", id))
		}
		return confInt(topoConf, key, "Topology conf")
	}
	tasks, ok, err := lookup(keyTopologyTasks)
	if err != nil {
		return 0, err
	}
	if !ok {
		tasks = parallelismHint(c)
	}
	maxPar, ok, err := lookup(keyTopologyMaxTaskParallelism)
	if err != nil {
		return 0, err
	}
	if ok && maxPar < tasks {
		tasks = maxPar
	}
	return tasks, nil
}
