package supervisor

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/galeproject/gale/client"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/compat/urlenc"
	"github.com/galeproject/gale/stormthrift"
)

// BlobSource fetches one blob (a topology's jar, code or conf) into w. It
// fails unless w received exactly the blob's bytes.
type BlobSource interface {
	Download(ctx context.Context, key string, w io.Writer) error
}

// NimbusBlobs downloads from the leader Nimbus over Thrift
// (beginBlobDownload / downloadBlobChunk, exact data_size check), finding
// the leader through the seeds as Storm's NimbusBlobStore client does
// (client.FromConf gives the options of a daemon conf). It opens a
// connection per blob.
func NimbusBlobs(o client.Options) BlobSource { return nimbusBlobs{o} }

type nimbusBlobs struct{ o client.Options }

func (b nimbusBlobs) Download(ctx context.Context, key string, w io.Writer) error {
	c, err := client.DialLeader(ctx, b.o)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.DownloadBlob(ctx, key, w)
	return err
}

// ChunkedBlobStore is the download half of Nimbus's blob store
// (nimbus/blobstore.Store satisfies it).
type ChunkedBlobStore interface {
	BeginDownload(key string) (*stormthrift.BeginDownloadResult_, error)
	DownloadChunk(session string) ([]byte, error)
}

// LocalBlobs downloads straight from a blob store in this process (the
// embedded cluster), with the same chunking and size check as over Thrift.
func LocalBlobs(s ChunkedBlobStore) BlobSource { return localBlobs{s} }

type localBlobs struct{ s ChunkedBlobStore }

func (b localBlobs) Download(ctx context.Context, key string, w io.Writer) error {
	begin, err := b.s.BeginDownload(key)
	if err != nil {
		return fmt.Errorf("begin download %q: %w", key, err)
	}
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk, err := b.s.DownloadChunk(begin.GetSession())
		if err != nil {
			return fmt.Errorf("download %q: %w", key, err)
		}
		if len(chunk) == 0 {
			break
		}
		m, err := w.Write(chunk)
		n += int64(m)
		if err != nil {
			return fmt.Errorf("write blob %q: %w", key, err)
		}
	}
	if begin.IsSetDataSize() && n != begin.GetDataSize() {
		return fmt.Errorf("blob %q: read %d bytes, store announced %d", key, n, begin.GetDataSize())
	}
	return nil
}

// Download attempts per blob, and the pause between them (Storm's
// downloadResourcesAsSupervisor).
const (
	downloadAttempts = 2
	downloadPause    = 100 * time.Millisecond
)

// codeDownloader installs topology code under stormdist.
type codeDownloader struct {
	blobs    BlobSource
	l        layout
	maxBytes int64
	log      *slog.Logger
}

// download fetches the topology's three blobs into supervisor/tmp/<uuid>/,
// extracts the jar's resources/ (or marks a Go topology artifact
// executable), and renames the directory to stormdist/<url-encoded id>:
// a code directory is either complete or absent.
func (d codeDownloader) download(ctx context.Context, topologyID string) (err error) {
	tmp := filepath.Join(d.l.tmpDir(), newUUID())
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return fmt.Errorf("supervisor: code download: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	for _, cf := range codeFiles {
		if err := d.fetch(ctx, topologyID+cf.keySuffix, filepath.Join(tmp, cf.file)); err != nil {
			return err
		}
	}
	if c, err := readTopologyConf(filepath.Join(tmp, stormConfFile)); err != nil {
		return fmt.Errorf("supervisor: topology %s: %w", topologyID, err)
	} else if c.Has(conf.TopologyBlobstoreMap) && d.log != nil {
		d.log.Warn("topology.blobstore.map is not supported; its blobs are not localized", "topology", topologyID)
	}
	jar := filepath.Join(tmp, stormJarFile)
	kind, err := artifactKindOf(jar)
	if err != nil {
		return fmt.Errorf("supervisor: %w", err)
	}
	// The artifact's mode records the verdict: executable means the worker
	// runs it (ProcessLauncher.Program).
	executable := kind == artifactExecutable
	if !executable {
		_, err := extractResources(jar, tmp, d.maxBytes)
		switch {
		case err == nil:
		case kind == artifactUnknown && errors.Is(err, errNotZip):
			executable = hasShebang(jar) // a script artifact; anything else stays data
		default:
			return fmt.Errorf("supervisor: topology %s: extract resources: %w", topologyID, err)
		}
	}
	if executable {
		if err := os.Chmod(jar, 0o755); err != nil {
			return fmt.Errorf("supervisor: %w", err)
		}
	}
	target := d.l.codeDir(topologyID)
	if err := os.MkdirAll(d.l.stormdistRoot(), 0o755); err != nil {
		return fmt.Errorf("supervisor: %w", err)
	}
	if err := os.RemoveAll(target); err != nil {
		return fmt.Errorf("supervisor: %w", err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("supervisor: install code of %s: %w", topologyID, err)
	}
	return nil
}

// fetch downloads one blob into file p, with Storm's two attempts.
func (d codeDownloader) fetch(ctx context.Context, key, p string) error {
	var err error
	for attempt := 1; attempt <= downloadAttempts; attempt++ {
		if err = d.fetchOnce(ctx, key, p); err == nil {
			return nil
		}
		if attempt < downloadAttempts {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(downloadPause):
			}
		}
	}
	return fmt.Errorf("supervisor: download %s: %w", key, err)
}

func (d codeDownloader) fetchOnce(ctx context.Context, key, p string) (err error) {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(p)
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := d.blobs.Download(ctx, key, bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// codeComplete reports whether a topology's code directory holds every
// file a worker needs (Storm's required-topo-files-exist?).
func (l layout) codeComplete(topologyID string) bool {
	dir := l.codeDir(topologyID)
	for _, cf := range codeFiles {
		if fi, err := os.Stat(filepath.Join(dir, cf.file)); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// downloadedTopologies maps the topology ids with a stormdist directory to
// that directory.
func (l layout) downloadedTopologies() (map[string]string, error) {
	entries, err := os.ReadDir(l.stormdistRoot())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(entries))
	for _, e := range entries {
		if id, ok := urlenc.JavaDecode(e.Name()); ok && e.IsDir() {
			out[id] = filepath.Join(l.stormdistRoot(), e.Name())
		}
	}
	return out, nil
}

// readFileMax reads a file of at most limit bytes.
func readFileMax(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", p, limit)
	}
	return b, nil
}
