package blobstore

import (
	"errors"
	"fmt"
	"os"

	"github.com/galeproject/gale/stormthrift"
)

// BeginDownload opens a download session on key (beginBlobDownload). The
// result carries the version (data mtime in ms) and the exact data_size the
// session will deliver: the supervisor refuses a download whose byte count
// differs from it.
func (s *Store) BeginDownload(key string) (*stormthrift.BeginDownloadResult_, error) {
	if err := ValidateKey(key); err != nil {
		return nil, err
	}
	f, err := os.Open(s.disk.dataPath(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrKeyNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("blobstore: open %q: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blobstore: stat %q: %w", key, err)
	}
	ss := &session{id: newID(), kind: kindDownload, key: key, f: f}
	if err := s.addSession(ss); err != nil {
		f.Close()
		return nil, err
	}
	size := fi.Size()
	s.log.Info("created blob download session", "key", key, "session", ss.id, "size", size)
	return &stormthrift.BeginDownloadResult_{
		Version:  fi.ModTime().UnixMilli(),
		Session:  ss.id,
		DataSize: &size,
	}, nil
}

// DownloadChunk returns the next piece (at most the chunk size, 65536 by
// default) of a download session. At end of data it returns an empty,
// non-nil slice and ends the session, as downloadBlobChunk does.
func (s *Store) DownloadChunk(session string) ([]byte, error) {
	ss, err := s.useSession(session, kindDownload)
	if err != nil {
		return nil, err
	}
	defer ss.mu.Unlock()
	b, err := readChunk(ss.f, s.chunk)
	if err != nil || len(b) == 0 {
		s.drop(ss)
		s.closeLocked(ss)
	}
	if err != nil {
		return nil, fmt.Errorf("blobstore: download %q: %w", ss.key, err)
	}
	return b, nil
}
