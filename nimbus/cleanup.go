package nimbus

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/compat/conf"
)

// cleanupLocked is do-cleanup: topologies that left /storms but still have
// heartbeats, errors, backpressure nodes or code blobs lose them. Called
// with submitMu held (so a submission that has stored its blobs but not
// yet its StormBase is never cleaned up).
func (n *Nimbus) cleanupLocked(ctx context.Context) error {
	active, err := n.state.StormIDs(ctx)
	if err != nil {
		return fmt.Errorf("list storms: %w", err)
	}
	cands := map[string]bool{}
	add := func(ids []string, err error, what string) error {
		if err != nil {
			return fmt.Errorf("list %s: %w", what, err)
		}
		for _, id := range ids {
			cands[id] = true
		}
		return nil
	}
	hb, err := n.state.HeartbeatStorms(ctx)
	if err := add(hb, err, "heartbeat storms"); err != nil {
		return err
	}
	et, err := n.state.ErrorTopologies(ctx)
	if err := add(et, err, "error topologies"); err != nil {
		return err
	}
	bp, err := n.children(ctx, "/backpressure")
	if err := add(bp, err, "backpressure topologies"); err != nil {
		return err
	}
	keys, err := n.blobs.Keys()
	if err != nil {
		return fmt.Errorf("list blobs: %w", err)
	}
	for _, k := range keys {
		if id, ok := idFromBlobKey(k); ok {
			cands[id] = true
		}
	}
	for _, id := range active {
		delete(cands, id)
	}
	for _, id := range slices.Sorted(maps.Keys(cands)) {
		n.log.Info("cleaning up topology", "storm_id", id)
		if err := n.state.TeardownHeartbeats(ctx, id); err != nil {
			n.log.Warn("teardown heartbeats", "storm_id", id, "err", err)
		}
		if err := n.state.TeardownErrors(ctx, id); err != nil {
			n.log.Warn("teardown errors", "storm_id", id, "err", err)
		}
		if err := n.state.RemoveBackpressure(ctx, id); err != nil {
			n.log.Warn("remove backpressure", "storm_id", id, "err", err)
		}
		n.removeBlobs(ctx, id)
		n.forgetTopo(id)
	}
	return nil
}

// removeBlobs deletes a topology's code blobs and their cluster state
// (blob-rm-topology-keys).
func (n *Nimbus) removeBlobs(ctx context.Context, id string) {
	for _, k := range []string{jarKey(id), confKey(id), codeKey(id)} {
		if err := n.blobs.Delete(ctx, k); err != nil && !isKeyNotFound(err) {
			n.log.Warn("delete blob", "key", k, "err", err)
		}
		if err := n.state.RemoveBlobstoreKey(ctx, k); err != nil {
			n.log.Debug("remove blob store key", "key", k, "err", err)
		}
	}
}

// cleanupCorruptTopologies removes topologies that have a StormBase but no
// code in this Nimbus's blob store (cleanup-corrupt-topologies!), unless
// another live nimbus has registered the code. It runs when this Nimbus
// gains leadership (Storm runs it at every nimbus start).
func (n *Nimbus) cleanupCorruptTopologies(ctx context.Context) {
	n.submitMu.Lock()
	defer n.submitMu.Unlock()
	ids, err := n.state.StormIDs(ctx)
	if err != nil {
		n.log.Warn("corrupt topology check: list storms", "err", err)
		return
	}
	keys, err := n.blobs.Keys()
	if err != nil {
		n.log.Warn("corrupt topology check: list blobs", "err", err)
		return
	}
	have := map[string]bool{}
	for _, k := range keys {
		if id, ok := idFromBlobKey(k); ok {
			have[id] = true
		}
	}
	for _, id := range ids {
		if have[id] {
			continue
		}
		if holders, err := n.state.BlobstoreInfo(ctx, codeKey(id)); err == nil && len(holders) > 0 {
			// Another live nimbus holds the code; Gale followers do not
			// copy blobs from it, but the topology is not lost either.
			n.log.Warn("topology code is only on other nimbuses; not serving it here", "storm_id", id, "holders", holders)
			continue
		}
		n.log.Warn("corrupt topology has state in the cluster but no code on this nimbus; cleaning up", "storm_id", id)
		if err := n.state.RemoveAssignment(ctx, id); err != nil {
			n.log.Warn("remove assignment", "storm_id", id, "err", err)
		}
		for _, p := range []string{"/credentials/" + id, "/logconfigs/" + id, "/profilerconfigs/" + id} {
			if err := store.DeleteAll(ctx, n.store, p); err != nil {
				n.log.Warn("remove node", "path", p, "err", err)
			}
		}
		if err := n.state.RemoveStormBase(ctx, id); err != nil {
			n.log.Warn("remove storm base", "storm_id", id, "err", err)
		}
		for _, k := range topoKeys(id) {
			if err := n.state.RemoveBlobstoreKey(ctx, k); err != nil {
				n.log.Debug("remove blob store key", "key", k, "err", err)
			}
		}
	}
}

// housekeepingLoop expires idle upload/download sessions and old inbox
// jars, and trims the topology history.
func (n *Nimbus) housekeepingLoop(ctx context.Context) {
	t := time.NewTicker(housekeepingInterval)
	defer t.Stop()
	lastHistory := time.Time{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := n.now()
		n.inbox.Expire(now)
		n.blobs.ExpireSessions(now)
		if iv, ok := n.conf.Int(conf.LogviewerCleanupIntervalSecs); ok && iv > 0 &&
			now.Sub(lastHistory) >= time.Duration(iv)*time.Second {
			lastHistory = now
			age := n.conf.IntOr(conf.LogviewerCleanupAgeMins, 10080)
			n.history.clean(now.Unix()-age*60, n.log)
		}
	}
}

const housekeepingInterval = 30 * time.Second

func (n *Nimbus) children(ctx context.Context, path string) ([]string, error) {
	kids, err := n.store.Children(ctx, path)
	if errors.Is(err, store.ErrNoNode) {
		return nil, nil
	}
	return kids, err
}
