package nimbus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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
	stormConf[conf.StormID] = id
	stormConf[conf.TopologyName] = name
	users := stringList(stormConf[conf.TopologyUsers])
	submitter := systemUser()
	users = append(users, submitter)
	stormConf[conf.TopologySubmitterPrincipal] = ""
	stormConf[conf.TopologySubmitterUser] = submitter
	stormConf[conf.TopologyUsers] = toAnyList(distinct(users))
	stormConf[conf.StormZookeeperSuperACL] = n.conf[conf.StormZookeeperSuperACL]
	if !zkAuthConfigured(n.conf) {
		delete(stormConf, conf.StormZookeeperTopologyAuthScheme)
		delete(stormConf, conf.StormZookeeperTopologyAuthPayload)
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
	if total.BoolOr(conf.TopologyBackpressureEnable, false) {
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
		NumWorkers:         int32(total.IntOr(conf.TopologyWorkers, 1)),
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

func ptr[T any](v T) *T { return &v }
