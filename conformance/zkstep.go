package conformance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/stormthrift"
)

// zkDump reads everything under a ZooKeeper root (storm.zookeeper.root)
// through Gale's typed cluster state — the code Gale's daemons read it
// with — and returns it as a JSON tree:
//
//	storms/<id>                  StormBase
//	assignments/<id>             Assignment
//	supervisors/<id>             SupervisorInfo
//	workerbeats/<id>/<node-port> ClusterWorkerHeartbeat
//	credentials/<id>, logconfigs/<id>, profilerconfigs/<id>
//	errors/<id>/<component>      ErrorInfo list, newest first
//	nimbuses                     NimbusSummary list
//	leader                       the leader latch's members, leader first
//	blobstore/<key>              the key's nimbus host:port-seq nodes
//	blobstore_max_sequence/<key> the key's highest sequence number
//	decode_errors                every node that did not decode
//
// Nothing is written but the nine subtrees cluster.New makes when they
// are missing (Storm's daemons make the same).
func zkDump(ctx context.Context, servers []string, root string) (map[string]any, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	logger := slog.New(slog.DiscardHandler)
	s, err := zk.Dial(ctx, servers, root, 10*time.Second, logger)
	if err != nil {
		return nil, fmt.Errorf("zookeeper %v%s: %w", servers, root, err)
	}
	defer s.Close()
	st, err := cluster.New(s, logger)
	if err != nil {
		return nil, err
	}
	var bad []any
	note := func(what string, err error) bool {
		if err != nil {
			bad = append(bad, what+": "+err.Error())
			return false
		}
		return true
	}
	doc := map[string]any{}
	each := func(name string, ids func(context.Context) ([]string, error), read func(ctx context.Context, id string) (any, error)) error {
		list, err := ids(ctx)
		if err != nil {
			return fmt.Errorf("list %s: %w", name, err)
		}
		m := map[string]any{}
		for _, id := range list {
			v, err := read(ctx, id)
			if note(name+"/"+id, err) {
				m[id] = thriftJSON(v)
			}
		}
		doc[name] = m
		return nil
	}
	steps := []struct {
		name string
		ids  func(context.Context) ([]string, error)
		read func(ctx context.Context, id string) (any, error)
	}{
		{"storms", st.StormIDs, func(ctx context.Context, id string) (any, error) { return st.StormBase(ctx, id) }},
		{"assignments", st.AssignmentIDs, func(ctx context.Context, id string) (any, error) {
			a, _, err := st.Assignment(ctx, id)
			return assignmentJSON(a), err
		}},
		{"supervisors", st.SupervisorIDs, func(ctx context.Context, id string) (any, error) { return st.SupervisorInfo(ctx, id) }},
		{"workerbeats", st.HeartbeatStorms, func(ctx context.Context, id string) (any, error) { return st.WorkerHeartbeats(ctx, id) }},
		{"credentials", childrenOf(s, cluster.CredentialsRoot), func(ctx context.Context, id string) (any, error) { return st.Credentials(ctx, id) }},
		{"logconfigs", childrenOf(s, cluster.LogconfigsRoot), func(ctx context.Context, id string) (any, error) { return st.LogConfig(ctx, id) }},
		{"profilerconfigs", childrenOf(s, cluster.ProfilerconfigsRoot), func(ctx context.Context, id string) (any, error) {
			return st.ProfileRequests(ctx, id)
		}},
		{"errors", st.ErrorTopologies, func(ctx context.Context, id string) (any, error) { return componentErrors(ctx, st, id) }},
		{"blobstore", st.BlobstoreKeys, func(ctx context.Context, key string) (any, error) { return st.BlobstoreInfo(ctx, key) }},
		{"blobstore_max_sequence", childrenOf(s, cluster.BlobstoreMaxSeqRoot), func(ctx context.Context, key string) (any, error) {
			n, _, err := st.MaxKeySequence(ctx, key)
			return n, err
		}},
	}
	for _, x := range steps {
		if err := each(x.name, x.ids, x.read); err != nil {
			return nil, err
		}
	}
	if ns, err := st.NimbusSummaries(ctx); note("nimbuses", err) {
		doc["nimbuses"] = thriftJSON(ns)
	}
	if ps, err := cluster.NewLeaderLatch(s, "", logger).Participants(ctx); note("leader-lock", err) {
		var ids []any
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		doc["leader"] = ids
	}
	doc["decode_errors"] = bad
	return doc, nil
}

// assignmentJSON is an Assignment (hand-written in stormthrift, without
// JSON names) in the shape thriftJSON gives generated structs: Thrift
// field names, maps with non-string keys as [{"key", "value"}].
func assignmentJSON(a *stormthrift.Assignment) any {
	if a == nil {
		return nil
	}
	enp := []any{}
	for _, e := range a.ExecutorNodePort {
		enp = append(enp, map[string]any{"key": thriftJSON(e.Executor), "value": thriftJSON(e.Node)})
	}
	starts := []any{}
	for _, e := range a.ExecutorStartTimeSecs {
		starts = append(starts, map[string]any{"key": thriftJSON(e.Executor), "value": e.StartTimeSecs})
	}
	res := []any{}
	for _, r := range a.WorkerResources {
		res = append(res, map[string]any{"key": thriftJSON(r.Node), "value": thriftJSON(r.Resources)})
	}
	return map[string]any{"master_code_dir": a.MasterCodeDir, "node_host": thriftJSON(a.NodeHost),
		"executor_node_port": enp, "executor_start_time_secs": starts, "worker_resources": res}
}

// childrenOf lists the children of one of the subtrees.
func childrenOf(s interface {
	Children(context.Context, string) ([]string, error)
}, path string) func(context.Context) ([]string, error) {
	return func(ctx context.Context) ([]string, error) {
		kids, err := s.Children(ctx, path)
		if errors.Is(err, store.ErrNoNode) {
			return nil, nil
		}
		sort.Strings(kids)
		return kids, err
	}
}

// componentErrors reads /errors/<id>: one child per component (its id
// URL-encoded) plus its "-last-error" node.
func componentErrors(ctx context.Context, st *cluster.State, id string) (map[string]any, error) {
	kids, err := st.Store().Children(ctx, cluster.ErrorStormRoot(id))
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, k := range kids {
		if strings.HasSuffix(k, "-last-error") {
			continue
		}
		comp, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("component %q: %w", k, err)
		}
		errs, err := st.Errors(ctx, id, comp)
		if err != nil {
			return nil, err
		}
		out[comp] = thriftJSON(errs)
	}
	return out, nil
}
