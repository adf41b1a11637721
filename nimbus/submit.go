package nimbus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strconv"
	"strings"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

// SubmitTopology is submitTopologyWithOpts with initial status ACTIVE.
func (n *Nimbus) SubmitTopology(ctx context.Context, name, uploadedJarLocation, jsonConf string, topo *stormthrift.StormTopology) error {
	return n.SubmitTopologyWithOpts(ctx, name, uploadedJarLocation, jsonConf, topo,
		&stormthrift.SubmitOptions{InitialStatus: stormthrift.TopologyInitialStatus_ACTIVE})
}

// SubmitTopologyWithOpts validates and stores a topology (Storm's
// submitTopologyWithOpts, reference §2.4) and triggers an assignment pass.
func (n *Nimbus) SubmitTopologyWithOpts(ctx context.Context, name, uploadedJarLocation, jsonConf string,
	topo *stormthrift.StormTopology, opts *stormthrift.SubmitOptions) error {
	log := n.log.With("topology", name)
	err := n.submit(ctx, name, uploadedJarLocation, jsonConf, topo, opts)
	if err != nil {
		log.Warn("topology submission failed", "err", err)
		return err
	}
	n.triggerAssignments()
	return nil
}

func (n *Nimbus) submit(ctx context.Context, name, jarLocation, jsonConf string,
	userTopo *stormthrift.StormTopology, opts *stormthrift.SubmitOptions) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	if opts == nil {
		opts = &stormthrift.SubmitOptions{InitialStatus: stormthrift.TopologyInitialStatus_ACTIVE}
	}
	if err := topology.ValidateName(name); err != nil {
		return asInvalid(err)
	}
	if err := n.checkNotActive(ctx, name); err != nil {
		return err
	}
	topoConf, err := conf.ParseJSON([]byte(jsonConf))
	if err != nil {
		return invalidTopology(fmt.Sprintf("Topology conf is not valid JSON: %v", err))
	}
	if err := validateTopoConf(topoConf); err != nil {
		return err
	}
	if userTopo == nil {
		return invalidTopology("Topology is missing")
	}
	if jarLocation == "" {
		return invalidTopology("No uploaded jar location given; upload the topology jar with beginFileUpload first")
	}
	jarPath, err := n.inbox.Path(jarLocation)
	if err != nil {
		return invalidTopology(fmt.Sprintf("Uploaded jar location %q was not issued by this nimbus, is unfinished or has expired", jarLocation))
	}

	n.submitMu.Lock()
	defer n.submitMu.Unlock()
	if err := n.checkNotActive(ctx, name); err != nil {
		return err
	}
	now := n.nowSecs()
	id, err := n.nextID(ctx, name, now)
	if err != nil {
		return err
	}
	log := n.log.With("topology", name, "storm_id", id)

	stormConf := normalizeConf(n.conf, topoConf.Clone(), userTopo)
	stormConf[keyStormID] = id
	stormConf[keyTopologyName] = name
	users := stringList(stormConf[keyTopologyUsers])
	submitter := systemUser()
	users = append(users, submitter)
	stormConf[keyTopologySubmitterPrincipal] = ""
	stormConf[keyTopologySubmitterUser] = submitter
	stormConf[keyTopologyUsers] = toAnyList(distinct(users))
	stormConf[keyZKSuperACL] = n.conf[keyZKSuperACL]
	if !zkAuthConfigured(n.conf) {
		delete(stormConf, keyZKTopologyAuthScheme)
		delete(stormConf, keyZKTopologyAuthPayload)
	}
	total := n.conf.Merge(stormConf)

	normalized, err := topology.Normalize(userTopo, total)
	if err != nil {
		return asInvalid(err)
	}
	td, err := buildTopoData(id, total, normalized)
	if err != nil {
		return asInvalid(err)
	}
	if err := validateTopologySize(topoConf, total, n.conf, normalized); err != nil {
		return err
	}

	log.Info("received topology submission", "jar", jarLocation)
	creds := map[string]string{}
	if opts.IsSetCreds() && opts.GetCreds().GetCreds() != nil {
		creds = opts.GetCreds().GetCreds()
	}
	if err := n.state.SetCredentials(ctx, id, &stormthrift.Credentials{Creds: creds}); err != nil {
		return internalError("store credentials of %s: %v", id, err)
	}
	if err := n.storeCode(ctx, id, jarPath, total, normalized); err != nil {
		n.removeBlobs(ctx, id)
		return internalError("store code of %s: %v", id, err)
	}
	if err := n.state.SetupHeartbeats(ctx, id); err != nil {
		return internalError("set up heartbeats of %s: %v", id, err)
	}
	if total.BoolOr(keyTopologyBackpressureEnable, false) {
		if err := n.state.SetupBackpressure(ctx, id); err != nil {
			return internalError("set up backpressure of %s: %v", id, err)
		}
	}
	status := stormthrift.TopologyStatus_ACTIVE
	if opts.GetInitialStatus() == stormthrift.TopologyInitialStatus_INACTIVE {
		status = stormthrift.TopologyStatus_INACTIVE
	}
	execs := map[string]int32{}
	for c, p := range topology.ComponentParallelism(td.system) {
		execs[c] = int32(p)
	}
	base := &stormthrift.StormBase{
		Name:               name,
		Status:             status,
		NumWorkers:         int32(total.IntOr(keyTopologyWorkers, 1)),
		ComponentExecutors: execs,
		LaunchTimeSecs:     ptr(int32(now)),
		Owner:              ptr(submitter),
		ComponentDebug:     map[string]*stormthrift.DebugOptions{},
	}
	if err := n.state.SetStormBase(ctx, id, base); err != nil {
		return internalError("store storm base of %s: %v", id, err)
	}
	n.mu.Lock()
	n.topos[id] = td
	n.mu.Unlock()
	log.Info("activated topology", "status", status.String())
	return nil
}

// storeCode writes the three topology blobs and registers them in the
// cluster state (setup-storm-code).
func (n *Nimbus) storeCode(ctx context.Context, id, jarPath string, total conf.Conf, normalized *stormthrift.StormTopology) error {
	meta := defaultBlobMeta()
	if err := n.copyJar(ctx, jarKey(id), jarPath); err != nil {
		return err
	}
	cb, err := compat.GzipJSON(map[string]any(total))
	if err != nil {
		return fmt.Errorf("encode conf: %w", err)
	}
	if err := n.blobs.Put(ctx, confKey(id), meta, cb); err != nil {
		return fmt.Errorf("put %s: %w", confKey(id), err)
	}
	tb, err := compat.Serialize(normalized)
	if err != nil {
		return fmt.Errorf("encode topology: %w", err)
	}
	if err := n.blobs.Put(ctx, codeKey(id), meta, tb); err != nil {
		return fmt.Errorf("put %s: %w", codeKey(id), err)
	}
	for _, k := range []string{jarKey(id), confKey(id), codeKey(id)} {
		if err := n.blobs.RegisterState(ctx, k); err != nil {
			return fmt.Errorf("register %s: %w", k, err)
		}
	}
	return nil
}

// copyJar streams the uploaded jar into the blob store.
func (n *Nimbus) copyJar(ctx context.Context, key, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open uploaded jar: %w", err)
	}
	defer f.Close()
	sess, err := n.blobs.BeginCreate(ctx, key, defaultBlobMeta())
	if err != nil {
		return fmt.Errorf("create %s: %w", key, err)
	}
	buf := make([]byte, 1<<20)
	for {
		k, rerr := f.Read(buf)
		if k > 0 {
			if err := n.blobs.UploadChunk(sess, buf[:k]); err != nil {
				n.blobs.Cancel(sess)
				return fmt.Errorf("write %s: %w", key, err)
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			n.blobs.Cancel(sess)
			return fmt.Errorf("read uploaded jar: %w", rerr)
		}
	}
	if err := n.blobs.Finish(ctx, sess); err != nil {
		return fmt.Errorf("commit %s: %w", key, err)
	}
	return nil
}

// defaultBlobMeta is BlobStoreAclHandler.DEFAULT after normalization:
// world may do everything.
func defaultBlobMeta() *stormthrift.SettableBlobMeta {
	return &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{{
		Type:   stormthrift.AccessControlType_OTHER,
		Access: 7,
	}}}
}

// checkNotActive is check-storm-active! with active?=false.
func (n *Nimbus) checkNotActive(ctx context.Context, name string) error {
	id, _, err := n.stormIDByName(ctx, name)
	if err != nil {
		return internalError("look up %s: %v", name, err)
	}
	if id != "" {
		return alreadyAlive(name + " is already active")
	}
	return nil
}

// nextID is "<name>-<counter>-<now secs>", skipping ids already in use.
func (n *Nimbus) nextID(ctx context.Context, name string, now int64) (string, error) {
	for range 1000 {
		n.idCounter++
		id := name + "-" + strconv.Itoa(n.idCounter) + "-" + strconv.FormatInt(now, 10)
		b, err := n.state.StormBase(ctx, id)
		if err != nil {
			return "", internalError("check id %s: %v", id, err)
		}
		if b != nil {
			continue
		}
		if _, err := n.blobs.Meta(codeKey(id)); err == nil {
			continue
		}
		return id, nil
	}
	return "", internalError("no free topology id for %s", name)
}

// recoverIDCounter continues the submission counter after a restart: the
// highest "<n>" of the ids in /storms and in the local blob store.
func (n *Nimbus) recoverIDCounter(ctx context.Context) int {
	best := 0
	consider := func(id string) {
		parts := strings.Split(id, "-")
		if len(parts) < 3 {
			return
		}
		if k, err := strconv.Atoi(parts[len(parts)-2]); err == nil && k > best {
			best = k
		}
	}
	if ids, err := n.state.StormIDs(ctx); err == nil {
		for _, id := range ids {
			consider(id)
		}
	}
	if keys, err := n.blobs.Keys(); err == nil {
		for _, k := range keys {
			if id, ok := idFromBlobKey(k); ok {
				consider(id)
			}
		}
	}
	return best
}

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
		decorators = append(decorators, stringList(m[keyTopologyKryoDecorators])...)
	}
	decorators = append(decorators, stringList(topoOrNimbus(keyTopologyKryoDecorators))...)
	// topology.kryo.register: later entries win.
	var regs []any
	for _, m := range compConfs {
		regs = append(regs, kryoEntries(m[keyTopologyKryoRegister])...)
	}
	regs = append(regs, kryoEntries(topoOrNimbus(keyTopologyKryoRegister))...)
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
	out[keyTopologyKryoDecorators] = toAnyList(distinct(decorators))
	if register == nil {
		out[keyTopologyKryoRegister] = nil
	} else {
		out[keyTopologyKryoRegister] = register
	}
	out[keyTopologyAckerExecutors] = total[keyTopologyAckerExecutors]
	out[keyTopologyEventloggerExecutors] = total[keyTopologyEventloggerExecutors]
	out[keyTopologyMaxTaskParallelism] = total[keyTopologyMaxTaskParallelism]
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
		{keyTopologyWorkers, "TOPOLOGY_WORKERS", 1, false},
		{keyTopologyAckerExecutors, "TOPOLOGY_ACKER_EXECUTORS", 0, false},
		{keyTopologyEventloggerExecutors, "TOPOLOGY_EVENTLOGGER_EXECUTORS", 0, false},
		{keyTopologyTasks, "TOPOLOGY_TASKS", 0, false},
		{keyTopologyMaxTaskParallelism, "TOPOLOGY_MAX_TASK_PARALLELISM", 1, false},
		{keyTopologyMessageTimeoutSecs, "TOPOLOGY_MESSAGE_TIMEOUT_SECS", 1, true},
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
		{keyTopologyKryoDecorators, "TOPOLOGY_KRYO_DECORATORS"},
		{keyTopologyUsers, "TOPOLOGY_USERS"},
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
	if v, ok := c[keyTopologyBackpressureEnable]; ok && v != nil {
		if _, isBool := v.(bool); !isBool {
			return invalidTopology(fmt.Sprintf("Field TOPOLOGY_BACKPRESSURE_ENABLE must be of type java.lang.Boolean. Object: %v actual type: %T", v, v))
		}
	}
	return nil
}

// validateTopologySize enforces nimbus.executors.perTopology and
// nimbus.slots.perTopology.
func validateTopologySize(topoConf, total, nimbusConf conf.Conf, normalized *stormthrift.StormTopology) error {
	if max, ok := nimbusConf.Int(keyNimbusExecutorsPerTopology); ok {
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
	if max, ok := nimbusConf.Int(keyNimbusSlotsPerTopology); ok {
		w, ok := topoConf.Int(keyTopologyWorkers)
		if !ok {
			w = total.IntOr(keyTopologyWorkers, 1)
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
	s, ok := c.String(keyZKAuthScheme)
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

func ptr[T any](v T) *T { return &v }
