package nimbus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/galeproject/gale/client"
	"github.com/galeproject/gale/cluster/store"
	"github.com/galeproject/gale/compat/conf"
)

// Follower blob sync (Storm's blob-sync / BlobSynchronizer, simplified): a
// Nimbus that is not leader copies every blob listed under /blobstore that
// it lacks from a nimbus registered as holding it, over the Nimbus Thrift
// API, and registers itself as a holder. So a follower that takes over has
// the topologies' code. Blobs are fetched once; updates of existing keys are
// not followed.

const keyNimbusCodeSyncFreqSecs = "nimbus.code.sync.freq.secs"

// blobSyncLoop runs syncBlobs every nimbus.code.sync.freq.secs while this
// Nimbus is a follower.
func (n *Nimbus) blobSyncLoop(ctx context.Context) {
	freq := n.secs(keyNimbusCodeSyncFreqSecs, 120)
	if freq <= 0 {
		freq = 120 * time.Second
	}
	t := time.NewTicker(freq)
	defer t.Stop()
	for {
		if !n.isLeader() {
			if err := n.syncBlobs(ctx); err != nil && ctx.Err() == nil {
				n.log.Warn("blob sync from other nimbuses incomplete", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// syncBlobs copies the blobs this Nimbus lacks.
func (n *Nimbus) syncBlobs(ctx context.Context) error {
	keys, err := n.state.BlobstoreKeys(ctx)
	if err != nil {
		return fmt.Errorf("list /blobstore: %w", err)
	}
	local, err := n.blobs.Keys()
	if err != nil {
		return fmt.Errorf("list local blobs: %w", err)
	}
	var errs []error
	for _, key := range keys {
		if slices.Contains(local, key) || ctx.Err() != nil {
			continue
		}
		if err := n.fetchBlob(ctx, key); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
		}
	}
	return errors.Join(errs...)
}

// fetchBlob downloads key from the first holder that serves it.
func (n *Nimbus) fetchBlob(ctx context.Context, key string) error {
	holders, err := n.state.BlobstoreInfo(ctx, key)
	if errors.Is(err, store.ErrNoNode) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("holders: %w", err)
	}
	var errs []error
	for _, h := range holders {
		i := strings.LastIndexByte(h, '-')
		if i <= 0 || h[:i] == n.hostPort {
			continue
		}
		if err := n.fetchBlobFrom(ctx, h[:i], key); err != nil {
			errs = append(errs, fmt.Errorf("from %s: %w", h[:i], err))
			continue
		}
		n.log.Info("copied blob from nimbus", "key", key, "from", h[:i])
		return nil
	}
	return errors.Join(errs...)
}

func (n *Nimbus) fetchBlobFrom(ctx context.Context, hostPort, key string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	c, err := client.DialAddr(ctx, hostPort, client.Options{
		MaxBufferSize: int(n.conf.IntOr(conf.NimbusThriftMaxBufferSize, 1048576)),
		DialTimeout:   10 * time.Second,
	})
	if err != nil {
		return err
	}
	defer c.Close()
	meta, err := c.GetBlobMeta(ctx, key)
	if err != nil {
		return fmt.Errorf("getBlobMeta: %w", err)
	}
	var buf bytes.Buffer
	if _, err := c.DownloadBlob(ctx, key, &buf); err != nil {
		return err
	}
	if err := n.blobs.Put(ctx, key, meta.GetSettable(), buf.Bytes()); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := n.blobs.RegisterState(ctx, key); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	return nil
}
