package blobstore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/stormthrift"
)

// maxMetaBytes bounds the size of a meta_K/data file we are willing to read.
const maxMetaBytes = 1 << 20

// disk is the LocalFsBlobStore file layout under one base directory. It does
// no locking; Store serializes key mutations.
type disk struct {
	dir    string
	noSync bool // skip fsync before commit (tests only)
}

func (d disk) dataDir(key string) string  { return entryDir(d.dir, dataPrefix+key) }
func (d disk) metaDir(key string) string  { return entryDir(d.dir, metaPrefix+key) }
func (d disk) dataPath(key string) string { return filepath.Join(d.dataDir(key), dataFileName) }
func (d disk) metaPath(key string) string { return filepath.Join(d.metaDir(key), dataFileName) }

// exists reports whether key has committed data.
func (d disk) exists(key string) (bool, error) {
	fi, err := os.Stat(d.dataPath(key))
	switch {
	case err == nil:
		return fi.Mode().IsRegular(), nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	default:
		return false, fmt.Errorf("blobstore: stat %q: %w", key, err)
	}
}

// createTmp creates a new "<millis>.tmp" file in entry directory dir (made if
// missing). Two writers in the same millisecond get consecutive numbers.
func createTmp(dir string, now time.Time) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("blobstore: mkdir %s: %w", dir, err)
	}
	ms := now.UnixMilli()
	if ms < 0 {
		ms = 0
	}
	for i := int64(0); i < 1000; i++ {
		p := filepath.Join(dir, strconv.FormatInt(ms+i, 10)+tmpExt)
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("blobstore: create %s: %w", p, err)
		}
	}
	return nil, fmt.Errorf("blobstore: no free tmp file name in %s", dir)
}

// commitTmp makes tmp the committed "data" file of its entry directory,
// after an fsync so that a crash leaves the old or the new content, never a
// torn file. It closes f.
func (d disk) commitTmp(f *os.File) error {
	name := f.Name()
	if !d.noSync {
		if err := f.Sync(); err != nil {
			f.Close()
			os.Remove(name)
			return fmt.Errorf("blobstore: sync %s: %w", name, err)
		}
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("blobstore: close %s: %w", name, err)
	}
	dest := filepath.Join(filepath.Dir(name), dataFileName)
	if err := os.Rename(name, dest); err != nil {
		os.Remove(name)
		return fmt.Errorf("blobstore: commit %s: %w", dest, err)
	}
	return nil
}

// cancelTmp discards an uncommitted tmp file and, when it leaves the entry
// directory empty, the directory too (as FileBlobStoreImpl's cleanup would).
func cancelTmp(f *os.File) {
	name := f.Name()
	f.Close()
	os.Remove(name)
	os.Remove(filepath.Dir(name)) // fails harmlessly unless empty
}

// writeEntry atomically replaces the "data" file of entry directory dir.
func (d disk) writeEntry(dir string, now time.Time, b []byte) error {
	f, err := createTmp(dir, now)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		cancelTmp(f)
		return fmt.Errorf("blobstore: write %s: %w", f.Name(), err)
	}
	return d.commitTmp(f)
}

// readMeta reads and decodes meta_K/data.
func (d disk) readMeta(key string) (*stormthrift.SettableBlobMeta, error) {
	f, err := os.Open(d.metaPath(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s (no metadata)", ErrKeyNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("blobstore: open meta %q: %w", key, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxMetaBytes+1))
	if err != nil {
		return nil, fmt.Errorf("blobstore: read meta %q: %w", key, err)
	}
	if len(b) > maxMetaBytes {
		return nil, fmt.Errorf("blobstore: meta %q larger than %d bytes", key, maxMetaBytes)
	}
	m := &stormthrift.SettableBlobMeta{}
	if err := compat.UnmarshalThrift(b, m); err != nil {
		return nil, fmt.Errorf("blobstore: meta %q: %w", key, err)
	}
	return m, nil
}

// writeMeta atomically replaces meta_K/data.
func (d disk) writeMeta(key string, m *stormthrift.SettableBlobMeta, now time.Time) error {
	b, err := compat.MarshalThrift(m)
	if err != nil {
		return err
	}
	return d.writeEntry(d.metaDir(key), now, b)
}

// remove deletes both entries of key, including stray tmp files.
func (d disk) remove(key string) error {
	var errs []error
	for _, dir := range []string{d.dataDir(key), d.metaDir(key)} {
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("blobstore: delete %q: %w", key, err)
	}
	return nil
}

// keys lists the keys with committed data, in Storm's iteration order
// (bucket 0..1023; names sorted within a bucket). Entries that are not valid
// keys or sit in the wrong bucket are ignored.
func (d disk) keys() ([]string, error) {
	var out []string
	for b := 0; b < numBuckets; b++ {
		ents, err := os.ReadDir(filepath.Join(d.dir, strconv.Itoa(b)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("blobstore: list bucket %d: %w", b, err)
		}
		var names []string
		for _, e := range ents {
			name := e.Name()
			key, ok := strings.CutPrefix(name, dataPrefix)
			if !ok || !e.IsDir() || ValidateKey(key) != nil || bucketOf(name) != b {
				continue
			}
			if ok, err := d.exists(key); err != nil {
				return nil, err
			} else if ok {
				names = append(names, key)
			}
		}
		slices.Sort(names)
		out = append(out, names...)
	}
	return out, nil
}
