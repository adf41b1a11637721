package worker

import (
	"slices"

	"github.com/galeproject/gale/topology"
)

// cyclicEdges returns, per component, the components it emits to along a cycle of the topology's
// data graph (user components only; a self-subscription is a cycle). Emits along such an edge never
// wait for room (see queue): a bolt waiting on a bolt that waits on it would deadlock. The acker
// streams are left out on purpose: that cycle is broken by spouts, which never wait.
func cyclicEdges(t *topo) map[string]map[string]bool {
	ids := make([]string, 0, len(t.comps))
	for id := range t.comps {
		if !topology.IsSystemID(id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	succ := map[string][]string{}
	for _, id := range ids {
		seen := map[string]bool{}
		for _, subs := range t.comps[id].subscribers {
			for _, s := range subs {
				if !topology.IsSystemID(s.component) && !seen[s.component] {
					seen[s.component] = true
					succ[id] = append(succ[id], s.component)
				}
			}
		}
		slices.Sort(succ[id])
	}

	// Tarjan's strongly connected components.
	index, low := map[string]int{}, map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	scc := map[string]int{}
	next, nscc := 0, 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range succ[v] {
			if _, ok := index[w]; !ok {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				scc[w] = nscc
				if w == v {
					break
				}
			}
			nscc++
		}
	}
	for _, id := range ids {
		if _, ok := index[id]; !ok {
			visit(id)
		}
	}
	out := map[string]map[string]bool{}
	for _, v := range ids {
		for _, w := range succ[v] {
			if scc[v] == scc[w] {
				if out[v] == nil {
					out[v] = map[string]bool{}
				}
				out[v][w] = true
			}
		}
	}
	return out
}
