package nimbus

import (
	"context"

	"github.com/galeproject/gale/stormthrift"
)

// Blob store RPCs (reference §4.3), delegated to the local blob store.
// Mutations (create, update, set meta, delete) are refused by followers:
// Gale's followers do not replicate blobs from the leader, so a blob
// written to a follower would be invisible to the cluster.

// BeginCreateBlob starts an upload session for a new key.
func (n *Nimbus) BeginCreateBlob(ctx context.Context, key string, meta *stormthrift.SettableBlobMeta) (string, error) {
	if err := n.requireLeader(ctx); err != nil {
		return "", err
	}
	if meta == nil {
		meta = &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}}
	}
	s, err := n.blobs.BeginCreate(ctx, key, meta)
	if err != nil {
		return "", blobErr(key, err)
	}
	n.log.Info("created blob upload session", "key", key)
	return s, nil
}

// BeginUpdateBlob starts an upload session replacing an existing key.
func (n *Nimbus) BeginUpdateBlob(ctx context.Context, key string) (string, error) {
	if err := n.requireLeader(ctx); err != nil {
		return "", err
	}
	s, err := n.blobs.BeginUpdate(ctx, key)
	if err != nil {
		return "", blobErr(key, err)
	}
	return s, nil
}

// UploadBlobChunk appends to an upload session.
func (n *Nimbus) UploadBlobChunk(ctx context.Context, session string, chunk []byte) error {
	if err := n.blobs.UploadChunk(session, chunk); err != nil {
		return internalError("Blob for session %s does not exist (or timed out): %v", session, err)
	}
	return nil
}

// FinishBlobUpload commits an upload session.
func (n *Nimbus) FinishBlobUpload(ctx context.Context, session string) error {
	if err := n.blobs.Finish(ctx, session); err != nil {
		return internalError("Blob for session %s does not exist (or timed out): %v", session, err)
	}
	return nil
}

// CancelBlobUpload drops an upload session.
func (n *Nimbus) CancelBlobUpload(ctx context.Context, session string) error {
	if err := n.blobs.Cancel(session); err != nil {
		return internalError("Blob for session %s does not exist (or timed out): %v", session, err)
	}
	return nil
}

// GetBlobMeta returns a key's ACL, replication factor and version.
func (n *Nimbus) GetBlobMeta(ctx context.Context, key string) (*stormthrift.ReadableBlobMeta, error) {
	m, err := n.blobs.Meta(key)
	if err != nil {
		return nil, blobErr(key, err)
	}
	return m, nil
}

// SetBlobMeta replaces a key's settable meta.
func (n *Nimbus) SetBlobMeta(ctx context.Context, key string, meta *stormthrift.SettableBlobMeta) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	if meta == nil {
		meta = &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}}
	}
	return blobErr(key, n.blobs.SetMeta(key, meta))
}

// BeginBlobDownload opens a download session (with the exact data_size).
func (n *Nimbus) BeginBlobDownload(ctx context.Context, key string) (*stormthrift.BeginDownloadResult_, error) {
	r, err := n.blobs.BeginDownload(key)
	if err != nil {
		return nil, blobErr(key, err)
	}
	return r, nil
}

// DownloadBlobChunk returns the next chunk; empty at the end.
func (n *Nimbus) DownloadBlobChunk(ctx context.Context, session string) ([]byte, error) {
	b, err := n.blobs.DownloadChunk(session)
	if err != nil {
		return nil, internalError("Could not find input stream for session %s: %v", session, err)
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}

// DeleteBlob removes a key and its cluster state.
func (n *Nimbus) DeleteBlob(ctx context.Context, key string) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	// Delete also drops /blobstore/<key> and the key's sequence number.
	if err := n.blobs.Delete(ctx, key); err != nil {
		return blobErr(key, err)
	}
	n.log.Info("deleted blob", "key", key)
	return nil
}

// ListBlobs pages through the keys, 100 at a time ("" starts a listing).
func (n *Nimbus) ListBlobs(ctx context.Context, session string) (*stormthrift.ListBlobsResult_, error) {
	r, err := n.blobs.List(session)
	if err != nil {
		return nil, internalError("Blob list for session %s does not exist (or timed out): %v", session, err)
	}
	return r, nil
}

// GetBlobReplication is the number of nimbuses holding key.
func (n *Nimbus) GetBlobReplication(ctx context.Context, key string) (int32, error) {
	r, err := n.blobs.Replication(ctx, key)
	if err != nil {
		return 0, blobErr(key, err)
	}
	return int32(r), nil
}

// UpdateBlobReplication cannot change anything for the local blob store
// (Storm throws UnsupportedOperationException); it returns the current
// replication count.
func (n *Nimbus) UpdateBlobReplication(ctx context.Context, key string, replication int32) (int32, error) {
	return n.GetBlobReplication(ctx, key)
}

// CreateStateInZookeeper registers this nimbus as holding key.
func (n *Nimbus) CreateStateInZookeeper(ctx context.Context, key string) error {
	if err := n.blobs.RegisterState(ctx, key); err != nil {
		return blobErr(key, err)
	}
	return nil
}
