package nimbus

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/nimbus/blobstore"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// Blob keys of a topology's code (config.clj master-storm*-key).
func jarKey(id string) string  { return id + "-stormjar.jar" }
func codeKey(id string) string { return id + "-stormcode.ser" }
func confKey(id string) string { return id + "-stormconf.ser" }

// topoKeys are the blob keys of a topology, in Storm's order.
func topoKeys(id string) []string { return []string{codeKey(id), jarKey(id), confKey(id)} }

// idFromBlobKey is get-id-from-blob-key: the topology id of a code blob key.
func idFromBlobKey(key string) (string, bool) {
	for _, suf := range []string{"-stormjar.jar", "-stormcode.ser", "-stormconf.ser"} {
		if len(key) > len(suf) && key[len(key)-len(suf):] == suf {
			return key[:len(key)-len(suf)], true
		}
	}
	return "", false
}

// topoData is what Nimbus derives from a topology's stored code and conf.
// It never changes for a topology id, so it is cached; callers must not
// modify it.
type topoData struct {
	id     string
	conf   conf.Conf                  // the total conf (T-stormconf.ser)
	user   *stormthrift.StormTopology // normalized user topology (T-stormcode.ser)
	system *stormthrift.StormTopology
	// taskComp maps task id -> component id; compTasks the reverse (sorted).
	taskComp  map[int32]string
	compTasks map[string][]int32
	comps     []string // components with tasks, sorted
	// galeOK and javaOK say whether Gale's workers and Storm's JVM
	// workers can run every component (supkind.go).
	galeOK, javaOK bool
}

// topo returns the cached topoData of id, reading the blobs on first use.
// A topology without code blobs is NotAliveException(id), as Storm's
// try-read-storm-conf.
func (n *Nimbus) topo(ctx context.Context, id string) (*topoData, error) {
	n.mu.Lock()
	td := n.topos[id]
	n.mu.Unlock()
	if td != nil {
		return td, nil
	}
	td, err := n.loadTopo(id)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	n.topos[id] = td
	n.mu.Unlock()
	return td, nil
}

func (n *Nimbus) forgetTopo(id string) {
	n.mu.Lock()
	delete(n.topos, id)
	delete(n.beats, id)
	n.mu.Unlock()
}

func (n *Nimbus) loadTopo(id string) (*topoData, error) {
	if id == "" {
		return nil, notAlive(id)
	}
	cb, err := n.blobs.Read(confKey(id))
	if err != nil {
		if errors.Is(err, blobstore.ErrKeyNotFound) || errors.Is(err, blobstore.ErrInvalidKey) {
			return nil, notAlive(id)
		}
		return nil, fmt.Errorf("read %s: %w", confKey(id), err)
	}
	m, err := compat.GunzipJSON(cb)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", confKey(id), err)
	}
	tb, err := n.blobs.Read(codeKey(id))
	if err != nil {
		if errors.Is(err, blobstore.ErrKeyNotFound) || errors.Is(err, blobstore.ErrInvalidKey) {
			return nil, notAlive(id)
		}
		return nil, fmt.Errorf("read %s: %w", codeKey(id), err)
	}
	user := stormthrift.NewStormTopology()
	if err := compat.Deserialize(tb, user); err != nil {
		return nil, fmt.Errorf("decode %s: %w", codeKey(id), err)
	}
	return buildTopoData(id, conf.Conf(m), user)
}

func buildTopoData(id string, c conf.Conf, user *stormthrift.StormTopology) (*topoData, error) {
	sys, err := topology.System(user, c)
	if err != nil {
		return nil, fmt.Errorf("system topology of %s: %w", id, err)
	}
	tc, err := topology.TaskComponents(sys)
	if err != nil {
		return nil, fmt.Errorf("tasks of %s: %w", id, err)
	}
	ct := topology.ComponentTasks(tc)
	comps := make([]string, 0, len(ct))
	for c := range ct {
		comps = append(comps, c)
	}
	slices.Sort(comps)
	galeOK, javaOK := runnableOn(user)
	return &topoData{id: id, conf: c, user: user, system: sys, taskComp: tc, compTasks: ct, comps: comps,
		galeOK: galeOK, javaOK: javaOK}, nil
}

// executors computes the topology's executors (compute-executors): each
// component's sorted tasks split into component_executors chunks.
func (td *topoData) executors(base *stormthrift.StormBase) []topology.ExecutorID {
	par := base.GetComponentExecutors()
	var out []topology.ExecutorID
	for _, c := range td.comps {
		k, ok := par[c]
		if !ok {
			k = 1
			if p := componentParallelism(td.system, c); p > 0 {
				k = int32(p)
			}
		}
		out = append(out, topology.Executors(td.compTasks[c], int(k))...)
	}
	slices.SortFunc(out, cmpExec)
	return out
}

// executorComponent is the component of an executor's first task.
func (td *topoData) executorComponent(e topology.ExecutorID) string {
	return td.taskComp[e.Start]
}

func componentParallelism(sys *stormthrift.StormTopology, comp string) int {
	return topology.ComponentParallelism(sys)[comp]
}

func cmpExec(a, b topology.ExecutorID) int {
	if a.Start != b.Start {
		return int(a.Start) - int(b.Start)
	}
	return int(a.End) - int(b.End)
}

// componentType is stats/component-type: system ids are bolts.
func componentType(t *stormthrift.StormTopology, id string) (stormthrift.ComponentType, bool) {
	if isSystemID(id) {
		return stormthrift.ComponentType_BOLT, true
	}
	if _, ok := t.GetBolts()[id]; ok {
		return stormthrift.ComponentType_BOLT, true
	}
	if _, ok := t.GetSpouts()[id]; ok {
		return stormthrift.ComponentType_SPOUT, true
	}
	return 0, false
}

// isSystemID is Utils.isSystemId: ids starting with "__".
func isSystemID(id string) bool { return len(id) >= 2 && id[:2] == "__" }
