package blobstore

import (
	"context"
	"fmt"

	"github.com/galeproject/gale/stormthrift"
)

// BeginCreate starts uploading a new key (beginCreateBlob). The key must not
// exist nor be in the middle of another create (ErrKeyExists). Data goes to a
// tmp file; nothing is visible until Finish.
func (s *Store) BeginCreate(ctx context.Context, key string, meta *stormthrift.SettableBlobMeta) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	m, err := normalizeMeta(key, meta)
	if err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if ok, err := s.disk.exists(key); err != nil {
		return "", err
	} else if ok {
		return "", fmt.Errorf("%w: %s", ErrKeyExists, key)
	}
	return s.beginUpload(key, m)
}

// BeginUpdate starts replacing the content of an existing key
// (beginUpdateBlob); the metadata is kept.
func (s *Store) BeginUpdate(ctx context.Context, key string) (string, error) {
	if err := s.checkKey(key); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return s.beginUpload(key, nil)
}

func (s *Store) beginUpload(key string, createMeta *stormthrift.SettableBlobMeta) (string, error) {
	f, err := createTmp(s.disk.dataDir(key), s.clock())
	if err != nil {
		return "", err
	}
	ss := &session{id: newID(), kind: kindUpload, key: key, meta: createMeta, f: f}
	if err := s.addSession(ss); err != nil {
		cancelTmp(f)
		return "", err
	}
	if createMeta != nil {
		// Check again now that the key is reserved: a create that finished
		// since BeginCreate's check released its reservation only after
		// committing, so it is seen here, not at Finish.
		exists, err := s.disk.exists(key)
		if err == nil && exists {
			err = fmt.Errorf("%w: %s", ErrKeyExists, key)
		}
		if err != nil {
			s.drop(ss)
			s.closeSession(ss)
			return "", err
		}
	}
	s.log.Info("created blob upload session", "key", key, "session", ss.id, "create", createMeta != nil)
	return ss.id, nil
}

// UploadChunk appends b to the upload session's data.
func (s *Store) UploadChunk(session string, b []byte) error {
	ss, err := s.useSession(session, kindUpload)
	if err != nil {
		return err
	}
	defer ss.mu.Unlock()
	if ss.f == nil {
		return fmt.Errorf("%w: upload session %q not ready", ErrNoSession, session)
	}
	if _, err := ss.f.Write(b); err != nil {
		s.drop(ss)
		s.closeLocked(ss)
		return fmt.Errorf("blobstore: upload %q: %w", ss.key, err)
	}
	return nil
}

// Finish commits an upload session (finishBlobUpload): for a create, the
// metadata then the data become visible; for an update, the data replaces
// the old content atomically. The session ends either way. Registering the
// key in ZooKeeper is a separate step (RegisterState), as in Storm, where
// the client calls createStateInZookeeper.
func (s *Store) Finish(ctx context.Context, session string) error {
	ss, err := s.useSession(session, kindUpload)
	if err != nil {
		return err
	}
	defer ss.mu.Unlock()
	s.drop(ss)
	if ss.f == nil {
		s.closeLocked(ss)
		return fmt.Errorf("%w: upload session %q not ready", ErrNoSession, session)
	}
	if err := ctx.Err(); err != nil {
		s.closeLocked(ss)
		return err
	}
	s.keyMu.Lock()
	err = s.commitUpload(ss)
	s.keyMu.Unlock()
	ss.f = nil // committed or cancelled by commitUpload
	s.closeLocked(ss)
	if err == nil {
		s.log.Info("finished blob upload", "key", ss.key, "session", ss.id)
	}
	return err
}

// commitUpload runs under keyMu and ss.mu; it consumes ss.f.
func (s *Store) commitUpload(ss *session) error {
	exists, err := s.disk.exists(ss.key)
	if err != nil {
		cancelTmp(ss.f)
		return err
	}
	if ss.meta != nil {
		if exists { // only Put can get here first
			cancelTmp(ss.f)
			return fmt.Errorf("%w: %s", ErrKeyExists, ss.key)
		}
		if err := s.disk.writeMeta(ss.key, ss.meta, s.clock()); err != nil {
			cancelTmp(ss.f)
			return err
		}
	} else if !exists {
		cancelTmp(ss.f)
		return fmt.Errorf("%w: %s (deleted during update)", ErrKeyNotFound, ss.key)
	}
	return s.disk.commitTmp(ss.f)
}

// Cancel abandons an upload session (cancelBlobUpload); its tmp file goes.
func (s *Store) Cancel(session string) error {
	ss, err := s.useSession(session, kindUpload)
	if err != nil {
		return err
	}
	defer ss.mu.Unlock()
	s.drop(ss)
	s.closeLocked(ss)
	s.log.Info("cancelled blob upload", "key", ss.key, "session", ss.id)
	return nil
}
