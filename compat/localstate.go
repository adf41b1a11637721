package compat

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/galeproject/gale/stormthrift"
)

// Storm's LocalState keys (local_state.clj) and the struct each holds.
const (
	LSSupervisorID      = "supervisor-id"     // *stormthrift.LSSupervisorId
	LSLocalAssignments  = "local-assignments" // *stormthrift.LSSupervisorAssignments
	LSApprovedWorkers   = "approved-workers"  // *stormthrift.LSApprovedWorkers
	LSWorkerHeartbeat   = "worker-heartbeat"  // *stormthrift.LSWorkerHeartbeat
	LSTopoHistory       = "topo-hist"         // *stormthrift.LSTopoHistoryList
	DefaultLocalKeep    = 4                   // versions kept by Put(..., cleanup=true)
	versionMarkerSuffix = ".version"
	readAttempts        = 10
)

// LocalState is a small durable key/value store in Storm's VersionedStore
// directory format, readable and writable by Storm 1.0.0 daemons:
//
//	<dir>/<version>          TBinary LocalStateData{serialized_parts}
//	<dir>/<version>.version  empty marker: the version is complete
//
// Readers use the highest version that has both files. Each write rewrites
// the whole map into a new version (read-modify-write). Values are tagged with
// their exact Java class name, as Storm's reader loads them by class.
//
// A LocalState is safe for use by multiple goroutines; writers in other
// processes must not write the same directory concurrently (as in Storm).
type LocalState struct {
	dir string
	now func() time.Time

	mu sync.Mutex // serializes read-modify-write within this process
}

// OpenLocalState opens (creating if needed) the LocalState directory dir.
func OpenLocalState(dir string) (*LocalState, error) {
	return OpenLocalStateClock(dir, time.Now)
}

// OpenLocalStateClock is OpenLocalState with an injected clock; new versions
// are numbered by now() in milliseconds (or previous+1 if that is not newer).
func OpenLocalStateClock(dir string, now func() time.Time) (*LocalState, error) {
	if dir == "" {
		return nil, errors.New("compat: local state: empty directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("compat: local state: %w", err)
	}
	return &LocalState{dir: dir, now: now}, nil
}

// Dir returns the directory backing the state.
func (ls *LocalState) Dir() string { return ls.dir }

// Get decodes the value stored under key into `into`. It reports false (and
// leaves into untouched) when the key is absent. A stored Java class that is
// not the class of into is an error.
func (ls *LocalState) Get(key string, into thrift.TStruct) (bool, error) {
	parts, err := ls.snapshot()
	if err != nil {
		return false, err
	}
	obj, ok := parts[key]
	if !ok || obj == nil {
		return false, nil
	}
	if want := JavaClassName(into); obj.Name != want {
		return false, fmt.Errorf("compat: local state %s: key %q holds %q, not %q", ls.dir, key, obj.Name, want)
	}
	if err := UnmarshalThrift(obj.Bits, into); err != nil {
		return false, fmt.Errorf("compat: local state %s: key %q: %w", ls.dir, key, err)
	}
	return true, nil
}

// Snapshot returns the raw parts of the newest version (key → Java class name
// and TBinary bytes). An empty or absent state gives an empty map.
func (ls *LocalState) Snapshot() (map[string]*stormthrift.ThriftSerializedObject, error) {
	return ls.snapshot()
}

// Put stores v under key, writing a new version with all other keys kept.
// With cleanup, only the newest DefaultLocalKeep versions remain afterwards.
func (ls *LocalState) Put(key string, v thrift.TStruct, cleanup bool) error {
	bits, err := MarshalThrift(v)
	if err != nil {
		return fmt.Errorf("compat: local state %s: key %q: %w", ls.dir, key, err)
	}
	obj := &stormthrift.ThriftSerializedObject{Name: JavaClassName(v), Bits: bits}
	return ls.update(cleanup, func(parts map[string]*stormthrift.ThriftSerializedObject) {
		parts[key] = obj
	})
}

// Remove deletes key, writing a new version. With cleanup, only the newest
// DefaultLocalKeep versions remain afterwards.
func (ls *LocalState) Remove(key string, cleanup bool) error {
	return ls.update(cleanup, func(parts map[string]*stormthrift.ThriftSerializedObject) {
		delete(parts, key)
	})
}

// Cleanup keeps the newest keep complete versions and deletes every other
// version file and marker. A negative keep deletes only incomplete versions.
func (ls *LocalState) Cleanup(keep int) error {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.cleanup(keep)
}

// Versions lists the complete versions, newest first.
func (ls *LocalState) Versions() ([]int64, error) {
	entries, err := os.ReadDir(ls.dir)
	if err != nil {
		return nil, fmt.Errorf("compat: local state: %w", err)
	}
	names := make(map[string]bool, len(entries))
	for _, e := range entries {
		names[e.Name()] = true
	}
	var out []int64
	for name := range names {
		base, ok := strings.CutSuffix(name, versionMarkerSuffix)
		if !ok || !names[base] {
			continue
		}
		if v, ok := parseVersion(base); ok {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

func (ls *LocalState) update(cleanup bool, change func(map[string]*stormthrift.ThriftSerializedObject)) error {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	parts, err := ls.snapshot()
	if err != nil {
		return err
	}
	change(parts)
	data, err := MarshalThrift(&stormthrift.LocalStateData{SerializedParts: parts})
	if err != nil {
		return fmt.Errorf("compat: local state %s: %w", ls.dir, err)
	}
	if err := ls.writeVersion(data); err != nil {
		return err
	}
	if cleanup {
		return ls.cleanup(DefaultLocalKeep)
	}
	return nil
}

func (ls *LocalState) writeVersion(data []byte) error {
	versions, err := ls.Versions()
	if err != nil {
		return err
	}
	v := ls.now().UnixMilli()
	if len(versions) > 0 && v <= versions[0] {
		v = versions[0] + 1
	}
	path := filepath.Join(ls.dir, strconv.FormatInt(v, 10))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("compat: local state: %w", err)
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("compat: local state: write %s: %w", path, err)
	}
	marker, err := os.OpenFile(path+versionMarkerSuffix, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("compat: local state: %w", err)
	}
	if err := marker.Close(); err != nil {
		return fmt.Errorf("compat: local state: %w", err)
	}
	return nil
}

func (ls *LocalState) cleanup(keep int) error {
	versions, err := ls.Versions()
	if err != nil {
		return err
	}
	if keep >= 0 && len(versions) > keep {
		versions = versions[:keep]
	}
	entries, err := os.ReadDir(ls.dir)
	if err != nil {
		return fmt.Errorf("compat: local state: %w", err)
	}
	var errs []error
	for _, e := range entries {
		v, ok := parseVersion(strings.TrimSuffix(e.Name(), versionMarkerSuffix))
		if !ok || slices.Contains(versions, v) {
			continue
		}
		for _, p := range []string{strconv.FormatInt(v, 10) + versionMarkerSuffix, strconv.FormatInt(v, 10)} {
			if err := os.Remove(filepath.Join(ls.dir, p)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("compat: local state cleanup %s: %w", ls.dir, err)
	}
	return nil
}

// snapshot reads the newest complete version, retrying when a concurrent
// cleanup removes it between listing and reading (as Storm does).
func (ls *LocalState) snapshot() (map[string]*stormthrift.ThriftSerializedObject, error) {
	var lastErr error
	for range readAttempts {
		parts, err := ls.readLatest()
		if err == nil {
			return parts, nil
		}
		lastErr = err
		if !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	return nil, lastErr
}

func (ls *LocalState) readLatest() (map[string]*stormthrift.ThriftSerializedObject, error) {
	versions, err := ls.Versions()
	if err != nil {
		return nil, err
	}
	parts := make(map[string]*stormthrift.ThriftSerializedObject)
	if len(versions) == 0 {
		return parts, nil
	}
	path := filepath.Join(ls.dir, strconv.FormatInt(versions[0], 10))
	data, err := readFileLimited(path, MaxDecodedSize)
	if err != nil {
		return nil, fmt.Errorf("compat: local state: %w", err)
	}
	return ParseLocalStateData(data, path)
}

// ParseLocalStateData decodes the bytes of one LocalState version file. An
// empty file is an empty state (Storm resets it with a warning); name is used
// in errors only.
func ParseLocalStateData(data []byte, name string) (map[string]*stormthrift.ThriftSerializedObject, error) {
	parts := make(map[string]*stormthrift.ThriftSerializedObject)
	if len(data) == 0 {
		return parts, nil
	}
	var lsd stormthrift.LocalStateData
	if err := UnmarshalThrift(data, &lsd); err != nil {
		return nil, fmt.Errorf("compat: local state %s: %w", name, err)
	}
	for k, v := range lsd.SerializedParts {
		if v != nil {
			parts[k] = v
		}
	}
	return parts, nil
}

func readFileLimited(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes: %w", path, fi.Size(), ErrTooLarge)
	}
	return os.ReadFile(path)
}

// parseVersion parses a version file name the way Java's Long.parseLong
// does (optional sign, decimal digits).
func parseVersion(name string) (int64, bool) {
	v, err := strconv.ParseInt(name, 10, 64)
	return v, err == nil
}
