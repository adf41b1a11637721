package blobstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/galeproject/gale/cluster"
	"github.com/galeproject/gale/stormthrift"
)

// Defaults for zero Options fields (Storm's defaults.yaml values).
const (
	DefaultSessionTTL  = 600 * time.Second // nimbus.blobstore.expiration.secs
	DefaultChunkSize   = 65536             // storm.blobstore.inputstream.buffer.size.bytes
	DefaultMaxSessions = 4096
)

// Options configures a Store. Only State needs care: without it the ZooKeeper
// methods (Replication, RegisterState, SyncState, the ZK half of Delete) are
// no-ops reporting zero replication.
type Options struct {
	State       *cluster.State   // typed cluster state; nil = no ZooKeeper bookkeeping
	HostPort    string           // this Nimbus, "host:port" as in /nimbuses
	Clock       func() time.Time // nil = time.Now
	SessionTTL  time.Duration    // idle timeout of sessions; 0 = DefaultSessionTTL
	Logger      *slog.Logger     // nil = discard
	ChunkSize   int              // max bytes per DownloadChunk; 0 = DefaultChunkSize
	MaxSessions int              // open sessions cap; 0 = DefaultMaxSessions
}

// Store is Nimbus's local blob store (LocalFsBlobStore layout, see the package
// doc). All methods are safe for concurrent use.
type Store struct {
	disk        disk
	state       zkState // nil when Options.State is nil
	hostPort    string
	clock       func() time.Time
	ttl         time.Duration
	chunk       int
	maxSessions int
	log         *slog.Logger

	// keyMu serializes everything that changes which keys exist or what
	// they hold: commits, deletes, metadata writes. Lock order:
	// session.mu → keyMu → mu.
	keyMu sync.Mutex

	mu       sync.Mutex
	sessions map[string]*session
	creating map[string]string // key → id of the upload session creating it

	regMu sync.Mutex // serializes RegisterState (sequence number read-modify-write)
}

// New opens (creating if needed) the blob store rooted at dir, normally
// <storm.local.dir>/blobs.
func New(dir string, opts Options) (*Store, error) {
	if dir == "" {
		return nil, errors.New("blobstore: empty directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("blobstore: %w", err)
	}
	s := &Store{
		disk:        disk{dir: dir},
		hostPort:    opts.HostPort,
		clock:       opts.Clock,
		ttl:         opts.SessionTTL,
		chunk:       opts.ChunkSize,
		maxSessions: opts.MaxSessions,
		log:         opts.Logger,
		sessions:    map[string]*session{},
		creating:    map[string]string{},
	}
	if opts.State != nil { // a nil *cluster.State must stay a nil interface
		if opts.HostPort == "" {
			return nil, errors.New("blobstore: Options.HostPort is required with a cluster state")
		}
		s.state = opts.State
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.ttl <= 0 {
		s.ttl = DefaultSessionTTL
	}
	if s.chunk <= 0 {
		s.chunk = DefaultChunkSize
	}
	if s.maxSessions <= 0 {
		s.maxSessions = DefaultMaxSessions
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// Dir is the base directory of the store.
func (s *Store) Dir() string { return s.disk.dir }

// checkKey validates key and reports whether it has committed data.
func (s *Store) checkKey(key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	ok, err := s.disk.exists(key)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %s", ErrKeyNotFound, key)
	}
	return nil
}

// Put stores data and meta under key in one step, creating the key or
// overwriting an existing one; this is how Nimbus writes topology blobs.
// It does not touch ZooKeeper: call RegisterState afterwards, as Storm's
// setup-storm-code does after each createBlob. A key with a create session in
// progress is refused with ErrKeyExists.
func (s *Store) Put(ctx context.Context, key string, meta *stormthrift.SettableBlobMeta, data []byte) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	m, err := normalizeMeta(key, meta)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := createTmp(s.disk.dataDir(key), s.clock())
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		cancelTmp(f)
		return fmt.Errorf("blobstore: write %q: %w", key, err)
	}
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	s.mu.Lock()
	_, busy := s.creating[key]
	s.mu.Unlock()
	if busy {
		cancelTmp(f)
		return fmt.Errorf("%w: %s (being created)", ErrKeyExists, key)
	}
	if err := s.disk.writeMeta(key, m, s.clock()); err != nil {
		cancelTmp(f)
		return err
	}
	return s.disk.commitTmp(f)
}

// Read returns the whole content of key.
func (s *Store) Read(key string) ([]byte, error) {
	if err := ValidateKey(key); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(s.disk.dataPath(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrKeyNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("blobstore: read %q: %w", key, err)
	}
	return b, nil
}

// Meta returns the normalized metadata of key and its version (mtime of the
// data file in milliseconds).
func (s *Store) Meta(key string) (*stormthrift.ReadableBlobMeta, error) {
	if err := ValidateKey(key); err != nil {
		return nil, err
	}
	fi, err := os.Stat(s.disk.dataPath(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrKeyNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("blobstore: stat %q: %w", key, err)
	}
	m, err := s.disk.readMeta(key)
	if err != nil {
		return nil, err
	}
	return &stormthrift.ReadableBlobMeta{Settable: m, Version: fi.ModTime().UnixMilli()}, nil
}

// SetMeta replaces the metadata of an existing key (normalized like a
// create).
func (s *Store) SetMeta(key string, meta *stormthrift.SettableBlobMeta) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	m, err := normalizeMeta(key, meta)
	if err != nil {
		return err
	}
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if err := s.checkKey(key); err != nil {
		return err
	}
	return s.disk.writeMeta(key, m, s.clock())
}

// Keys lists the stored keys in Storm's order (by bucket).
func (s *Store) Keys() ([]string, error) {
	return s.disk.keys()
}

// Delete removes key from disk and, with a cluster state, its
// /blobstore/<key> and /blobstoremaxkeysequencenumber/<key> nodes (Nimbus's
// deleteBlob). Update sessions of the key are cancelled; download sessions
// already open keep reading the old content.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.deleteLocal(key); err != nil {
		return err
	}
	if s.state == nil {
		return nil
	}
	return s.removeState(ctx, key)
}

// deleteLocal removes key's files and cancels its upload sessions.
func (s *Store) deleteLocal(key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	var stale []*session
	err := func() error {
		s.keyMu.Lock()
		defer s.keyMu.Unlock()
		if err := s.checkKey(key); err != nil {
			return err
		}
		s.mu.Lock()
		for id, ss := range s.sessions {
			if ss.kind == kindUpload && ss.key == key {
				delete(s.sessions, id)
				stale = append(stale, ss)
			}
		}
		s.mu.Unlock()
		return s.disk.remove(key)
	}()
	for _, ss := range stale {
		s.closeSession(ss)
	}
	if err == nil {
		s.log.Info("deleted blob", "key", key)
	}
	return err
}

// Close ends every open session (uploads are cancelled).
func (s *Store) Close() error {
	s.mu.Lock()
	all := make([]*session, 0, len(s.sessions))
	for id, ss := range s.sessions {
		delete(s.sessions, id)
		all = append(all, ss)
	}
	s.mu.Unlock()
	for _, ss := range all {
		s.closeSession(ss)
	}
	return nil
}

// readChunk reads up to n bytes, fewer only at end of file.
func readChunk(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, n)
	got, err := io.ReadFull(r, buf)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	return buf[:got], err
}
