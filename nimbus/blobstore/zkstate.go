package blobstore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/cluster/store"
)

// zkState is the part of *cluster.State the blob store uses.
type zkState interface {
	SetupBlobstore(ctx context.Context, key, nimbusHostPort string, seq int) error
	BlobstoreKeys(ctx context.Context) ([]string, error)
	BlobstoreInfo(ctx context.Context, key string) ([]string, error)
	RemoveBlobstoreKey(ctx context.Context, key string) error
	RemoveKeyVersion(ctx context.Context, key string) error
	MaxKeySequence(ctx context.Context, key string) (int, bool, error)
	SetMaxKeySequence(ctx context.Context, key string, n int) error
	Store() store.Store
}

// Replication is getBlobReplication: the number of nimbuses registered under
// /blobstore/<key> (0 if the node is absent or there is no cluster state).
// The key must exist locally.
func (s *Store) Replication(ctx context.Context, key string) (int, error) {
	if err := s.checkKey(key); err != nil {
		return 0, err
	}
	if s.state == nil {
		return 0, nil
	}
	ok, err := s.keyNodeExists(ctx, key)
	if err != nil || !ok {
		return 0, err
	}
	children, err := s.state.BlobstoreInfo(ctx, key)
	if errors.Is(err, store.ErrNoNode) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("blobstore: replication of %q: %w", key, err)
	}
	return len(children), nil
}

func (s *Store) keyNodeExists(ctx context.Context, key string) (bool, error) {
	ok, _, err := s.state.Store().Exists(ctx, cluster.BlobstorePath(key))
	if err != nil {
		return false, fmt.Errorf("blobstore: exists /blobstore/%s: %w", key, err)
	}
	return ok, nil
}

// RegisterState is Storm's createStateInZookeeper for a locally stored key:
// it picks the key's sequence number (KeySequenceNumber, see nextSequence)
// and publishes the ephemeral /blobstore/<key>/<host:port>-<seq>, replacing
// this nimbus's older registration. Without a cluster state it does nothing.
func (s *Store) RegisterState(ctx context.Context, key string) error {
	if err := s.checkKey(key); err != nil {
		return err
	}
	if s.state == nil {
		return nil
	}
	s.regMu.Lock()
	defer s.regMu.Unlock()
	seq, err := s.sequenceNumber(ctx, key)
	if err != nil {
		return err
	}
	if err := s.state.SetupBlobstore(ctx, key, s.hostPort, seq); err != nil {
		return fmt.Errorf("blobstore: register %q seq %d: %w", key, seq, err)
	}
	s.log.Debug("registered blob in zookeeper", "key", key, "seq", seq, "nimbus", s.hostPort)
	return nil
}

// sequenceNumber is KeySequenceNumber.getKeySequenceNumber (nimbus is never
// the "leader" there in Storm 1.0.0: NimbusInfo.fromConf sets false and
// nothing changes it).
func (s *Store) sequenceNumber(ctx context.Context, key string) (int, error) {
	ok, err := s.keyNodeExists(ctx, key)
	if err != nil {
		return 0, err
	}
	if !ok { // first registration anywhere
		if err := s.state.SetMaxKeySequence(ctx, key, 1); err != nil {
			return 0, fmt.Errorf("blobstore: init sequence of %q: %w", key, err)
		}
		return 1, nil
	}
	children, err := s.state.BlobstoreInfo(ctx, key)
	if err != nil && !errors.Is(err, store.ErrNoNode) {
		return 0, fmt.Errorf("blobstore: holders of %q: %w", key, err)
	}
	maxSeq, found, err := s.state.MaxKeySequence(ctx, key)
	if err != nil {
		return 0, fmt.Errorf("blobstore: max sequence of %q: %w", key, err)
	}
	if !found {
		// Storm would fail here; start the count over instead.
		s.log.Warn("blob has no max sequence node; resetting it to 1", "key", key)
		if err := s.state.SetMaxKeySequence(ctx, key, 1); err != nil {
			return 0, fmt.Errorf("blobstore: init sequence of %q: %w", key, err)
		}
		maxSeq = 1
	}
	out := nextSequence(seqInput{Children: children, Max: maxSeq, Host: hostOf(s.hostPort)})
	if out.SetMax {
		if err := s.state.SetMaxKeySequence(ctx, key, out.NewMax); err != nil {
			return 0, fmt.Errorf("blobstore: bump sequence of %q: %w", key, err)
		}
	}
	return out.Seq, nil
}

// SyncState is Nimbus's startup setup-blobstore: local keys that ZooKeeper
// no longer knows (no /blobstore/<key>) were deleted elsewhere and are
// deleted here too; every other local key is registered (RegisterState).
// Without a cluster state it does nothing.
func (s *Store) SyncState(ctx context.Context) error {
	if s.state == nil {
		return nil
	}
	local, err := s.Keys()
	if err != nil {
		return err
	}
	active, err := s.state.BlobstoreKeys(ctx)
	if err != nil {
		return fmt.Errorf("blobstore: list /blobstore: %w", err)
	}
	var errs []error
	for _, key := range local {
		if !slices.Contains(active, key) {
			s.log.Info("deleting local blob unknown to zookeeper", "key", key)
			if err := s.deleteLocal(key); err != nil && !errors.Is(err, ErrKeyNotFound) {
				errs = append(errs, err)
			}
			continue
		}
		if err := s.RegisterState(ctx, key); err != nil && !errors.Is(err, ErrKeyNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// removeState drops /blobstore/<key> and /blobstoremaxkeysequencenumber/<key>.
func (s *Store) removeState(ctx context.Context, key string) error {
	var errs []error
	if err := s.state.RemoveBlobstoreKey(ctx, key); err != nil && !errors.Is(err, store.ErrNoNode) {
		errs = append(errs, err)
	}
	if err := s.state.RemoveKeyVersion(ctx, key); err != nil && !errors.Is(err, store.ErrNoNode) {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("blobstore: remove zookeeper state of %q: %w", key, err)
	}
	return nil
}
