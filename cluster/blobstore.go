package cluster

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/galeproject/gale/cluster/store"
)

// SetupBlobstore records that the nimbus at nimbusHostPort holds version
// seq of blob key: it makes /blobstore/<key>, deletes this nimbus's older
// entries (children starting with host:port) and creates the ephemeral
// child "<host:port>-<seq>" with no data.
func (st *State) SetupBlobstore(ctx context.Context, key, nimbusHostPort string, seq int) error {
	dir := BlobstorePath(key)
	if err := st.mkdirs(ctx, dir); err != nil {
		return err
	}
	kids, err := st.children(ctx, dir)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if strings.HasPrefix(k, nimbusHostPort) {
			if err := st.deleteNode(ctx, dir+"/"+k); err != nil {
				return err
			}
		}
	}
	return st.setEphemeral(ctx, dir+"/"+nimbusHostPort+"-"+strconv.Itoa(seq), nil)
}

// BlobstoreKeys lists the blob keys known to the cluster (active-keys).
func (st *State) BlobstoreKeys(ctx context.Context) ([]string, error) {
	st.sync(ctx, BlobstoreRoot)
	return st.children(ctx, BlobstoreRoot)
}

// BlobstoreKeysW is BlobstoreKeys plus a watch on the set.
func (st *State) BlobstoreKeysW(ctx context.Context) ([]string, <-chan store.Event, error) {
	st.sync(ctx, BlobstoreRoot)
	return st.childrenW(ctx, BlobstoreRoot)
}

// BlobstoreInfo lists "<host:port>-<seq>" for every nimbus holding key;
// nil if the key is unknown.
func (st *State) BlobstoreInfo(ctx context.Context, key string) ([]string, error) {
	st.sync(ctx, BlobstorePath(key))
	return st.children(ctx, BlobstorePath(key))
}

// RemoveBlobstoreKey deletes /blobstore/<key> and its holders.
func (st *State) RemoveBlobstoreKey(ctx context.Context, key string) error {
	return st.deleteNode(ctx, BlobstorePath(key))
}

// RemoveKeyVersion deletes /blobstoremaxkeysequencenumber/<key>.
func (st *State) RemoveKeyVersion(ctx context.Context, key string) error {
	return st.deleteNode(ctx, BlobstoreMaxSeqPath(key))
}

// MaxKeySequence reads the key's highest update sequence number; ok=false
// if none is recorded.
func (st *State) MaxKeySequence(ctx context.Context, key string) (n int, ok bool, err error) {
	p := BlobstoreMaxSeqPath(key)
	b, _, ok, err := st.getData(ctx, p)
	if err != nil || !ok {
		return 0, false, err
	}
	if len(b) < 4 {
		return 0, false, fmt.Errorf("cluster: %s holds %d bytes, want a 4-byte int", p, len(b))
	}
	return int(int32(binary.BigEndian.Uint32(b))), true, nil
}

// SetMaxKeySequence writes the key's highest sequence number as a 4-byte
// big-endian int. A missing node is created with its parents holding no
// data, as Curator's creatingParentsIfNeeded does in Storm's
// KeySequenceNumber.
func (st *State) SetMaxKeySequence(ctx context.Context, key string, n int) error {
	p := BlobstoreMaxSeqPath(key)
	b := binary.BigEndian.AppendUint32(nil, uint32(int32(n)))
	if _, err := st.s.Set(ctx, p, b, -1); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNoNode) {
		return fmt.Errorf("cluster: set %s: %w", p, err)
	}
	if err := store.Mkdirs(ctx, st.s, store.Parent(p), []byte{}); err != nil {
		return fmt.Errorf("cluster: set %s: %w", p, err)
	}
	if _, err := st.s.Create(ctx, p, b, store.Persistent); err != nil {
		if !errors.Is(err, store.ErrNodeExists) {
			return fmt.Errorf("cluster: set %s: %w", p, err)
		}
		if _, err := st.s.Set(ctx, p, b, -1); err != nil {
			return fmt.Errorf("cluster: set %s: %w", p, err)
		}
	}
	return nil
}

// sync brings the session up to date for path when the backend can lag
// (Storm's sync-path); failures only mean a possibly stale read.
func (st *State) sync(ctx context.Context, path string) {
	if s, ok := st.s.(store.Syncer); ok {
		if err := s.Sync(ctx, path); err != nil && !errors.Is(err, store.ErrNoNode) {
			st.log.Debug("sync failed", "path", path, "err", err)
		}
	}
}
