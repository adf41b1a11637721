package supervisor

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/nimbus/blobstore"
	"github.com/galeproject/gale/stormthrift"
)

// putTopology stores a topology's three blobs as Nimbus's submit does.
func putTopology(t testing.TB, bs *blobstore.Store, id string, jar []byte, topoConf conf.Conf) {
	t.Helper()
	code, err := compat.Serialize(&stormthrift.StormTopology{})
	if err != nil {
		t.Fatal(err)
	}
	cb, err := compat.GzipJSON(topoConf)
	if err != nil {
		t.Fatal(err)
	}
	for suffix, b := range map[string][]byte{"-stormjar.jar": jar, "-stormcode.ser": code, "-stormconf.ser": cb} {
		if err := bs.Put(context.Background(), id+suffix, &stormthrift.SettableBlobMeta{}, b); err != nil {
			t.Fatal(err)
		}
	}
}

func newBlobStore(t testing.TB) *blobstore.Store {
	t.Helper()
	bs, err := blobstore.New(filepath.Join(t.TempDir(), "blobs"), blobstore.Options{ChunkSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	return bs
}

func testLayout(t testing.TB) layout {
	dir := t.TempDir()
	l := layout{local: dir, logDir: filepath.Join(dir, "logs"), artifacts: filepath.Join(dir, "logs", "workers-artifacts")}
	os.MkdirAll(l.tmpDir(), 0o755)
	return l
}

func TestDownloadJarTopology(t *testing.T) {
	bs := newBlobStore(t)
	jar := makeZip(t,
		zipEntry{name: "resources/splitsentence.py", body: strings.Repeat("import storm\n", 200)},
		zipEntry{name: "org/A.class", body: "x"},
	)
	putTopology(t, bs, "wc-1-1", jar, conf.Conf{"topology.name": "wc"})
	l := testLayout(t)
	d := codeDownloader{blobs: LocalBlobs(bs), l: l, maxBytes: 1 << 20, log: testLogger(t)}
	if err := d.download(context.Background(), "wc-1-1"); err != nil {
		t.Fatal(err)
	}
	if !l.codeComplete("wc-1-1") {
		t.Fatal("code incomplete after download")
	}
	got, _ := os.ReadFile(filepath.Join(l.codeDir("wc-1-1"), stormJarFile))
	if !bytes.Equal(got, jar) {
		t.Error("jar bytes differ")
	}
	if _, err := os.Stat(filepath.Join(l.codeDir("wc-1-1"), "resources", "splitsentence.py")); err != nil {
		t.Errorf("resources not extracted: %v", err)
	}
	c, err := readTopologyConf(filepath.Join(l.codeDir("wc-1-1"), stormConfFile))
	if err != nil || c.StringOr("topology.name", "") != "wc" {
		t.Errorf("topology conf %v, %v", c, err)
	}
	if entries, _ := os.ReadDir(l.tmpDir()); len(entries) != 0 {
		t.Errorf("tmp dir not empty: %v", entries)
	}
	ids, _ := l.downloadedTopologies()
	if ids["wc-1-1"] != l.codeDir("wc-1-1") {
		t.Errorf("downloaded = %v", ids)
	}
}

func TestDownloadGoTopology(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	prog, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	bs := newBlobStore(t)
	putTopology(t, bs, "go topo-1-1", prog, conf.Conf{})
	l := testLayout(t)
	if err := (codeDownloader{blobs: LocalBlobs(bs), l: l, maxBytes: 1 << 20}).download(context.Background(), "go topo-1-1"); err != nil {
		t.Fatal(err)
	}
	dir := l.codeDir("go topo-1-1")
	if filepath.Base(dir) != "go+topo-1-1" {
		t.Errorf("code dir %s is not URL-encoded", dir)
	}
	fi, err := os.Stat(filepath.Join(dir, stormJarFile))
	if err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("Go artifact not executable: %v %v", fi, err)
	}
	pl, err := NewProcessLauncher(ProcessOptions{Binary: "/bin/false"})
	if err != nil {
		t.Fatal(err)
	}
	if got := pl.Program(dir); got != filepath.Join(dir, stormJarFile) {
		t.Errorf("program for a Go topology = %s", got)
	}
	if got := pl.Program(t.TempDir()); got != "/bin/false" {
		t.Errorf("program without code = %s", got)
	}
}

func TestDownloadArtifactKinds(t *testing.T) {
	tests := []struct {
		name     string
		artifact []byte
		program  bool
	}{
		{"jar", makeZip(t, zipEntry{name: "resources/x", body: "y"}), false},
		{"jar behind a launcher script", append([]byte("#!/bin/sh\nexec java -jar \"$0\"\n"), makeZip(t, zipEntry{name: "resources/x", body: "y"})...), false},
		{"script", []byte("#!/bin/sh\necho worker\n"), true},
		{"unknown bytes", []byte("hello"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bs := newBlobStore(t)
			putTopology(t, bs, "t-1-1", tc.artifact, conf.Conf{})
			l := testLayout(t)
			if err := (codeDownloader{blobs: LocalBlobs(bs), l: l, maxBytes: 1 << 20}).download(context.Background(), "t-1-1"); err != nil {
				t.Fatal(err)
			}
			pl, _ := NewProcessLauncher(ProcessOptions{Binary: "/bin/false"})
			if got := pl.Program(l.codeDir("t-1-1")) != "/bin/false"; got != tc.program {
				t.Errorf("runs the artifact: %v, want %v", got, tc.program)
			}
		})
	}
}

// shortBlobs delivers one byte less than the store announces.
type shortBlobs struct{ ChunkedBlobStore }

func (s shortBlobs) DownloadChunk(session string) ([]byte, error) {
	b, err := s.ChunkedBlobStore.DownloadChunk(session)
	if len(b) > 1 {
		b = b[:len(b)-1]
	}
	return b, err
}

// countingBlobs counts Download calls.
type countingBlobs struct {
	BlobSource
	calls int
}

func (c *countingBlobs) Download(ctx context.Context, key string, w io.Writer) error {
	c.calls++
	return c.BlobSource.Download(ctx, key, w)
}

func TestDownloadFailures(t *testing.T) {
	bs := newBlobStore(t)
	putTopology(t, bs, "t-1-1", makeZip(t, zipEntry{name: "resources/x", body: "y"}), conf.Conf{})
	putTopology(t, bs, "evil-1-1", makeZip(t, zipEntry{name: "resources/../stormconf.ser", body: "{}"}), conf.Conf{})
	tests := []struct {
		name  string
		blobs BlobSource
		id    string
		calls int
	}{
		{"size mismatch", LocalBlobs(shortBlobs{bs}), "t-1-1", 2},
		{"missing blob", LocalBlobs(bs), "absent-1-1", 2},
		{"hostile jar", LocalBlobs(bs), "evil-1-1", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := testLayout(t)
			cb := &countingBlobs{BlobSource: tc.blobs}
			err := codeDownloader{blobs: cb, l: l, maxBytes: 1 << 20}.download(context.Background(), tc.id)
			if err == nil {
				t.Fatal("download succeeded")
			}
			t.Log(err)
			if cb.calls != tc.calls {
				t.Errorf("%d download calls, want %d", cb.calls, tc.calls)
			}
			if _, err := os.Stat(l.codeDir(tc.id)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("failed download left a code dir: %v", err)
			}
			if entries, _ := os.ReadDir(l.tmpDir()); len(entries) != 0 {
				t.Errorf("failed download left tmp files: %v", entries)
			}
		})
	}
}
