package nimbus

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/galeproject/gale/stormthrift"
)

func downloadBlob(t testing.TB, c *stormthrift.NimbusClient, key string) []byte {
	t.Helper()
	ctx := context.Background()
	r, err := c.BeginBlobDownload(ctx, key)
	if err != nil {
		t.Fatalf("beginBlobDownload %s: %v", key, err)
	}
	var out []byte
	for {
		b, err := c.DownloadBlobChunk(ctx, r.GetSession())
		if err != nil {
			t.Fatalf("downloadBlobChunk: %v", err)
		}
		if len(b) == 0 {
			break
		}
		if len(b) > 65536 {
			t.Fatalf("chunk of %d bytes", len(b))
		}
		out = append(out, b...)
	}
	if !r.IsSetDataSize() || r.GetDataSize() != int64(len(out)) {
		t.Fatalf("data_size %v, read %d", r.DataSize, len(out))
	}
	return out
}

func TestBlobAPI(t *testing.T) {
	h := startNimbus(t, harnessOpts{})
	ctx := context.Background()
	c := h.client()
	meta := &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{{Type: stormthrift.AccessControlType_OTHER, Access: 7}}}
	data := bytes.Repeat([]byte("0123456789"), 20000) // 200 kB: several download chunks

	s, err := c.BeginCreateBlob(ctx, "user-blob", meta)
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(data); off += 65536 {
		if err := c.UploadBlobChunk(ctx, s, data[off:min(off+65536, len(data))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.FinishBlobUpload(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateStateInZookeeper(ctx, "user-blob"); err != nil {
		t.Fatal(err)
	}
	if got := downloadBlob(t, c, "user-blob"); !bytes.Equal(got, data) {
		t.Fatalf("downloaded %d bytes, want %d", len(got), len(data))
	}
	// Legacy download reads the same blob.
	id, err := c.BeginFileDownload(ctx, "user-blob")
	if err != nil {
		t.Fatal(err)
	}
	var legacy []byte
	for {
		b, err := c.DownloadChunk(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			break
		}
		legacy = append(legacy, b...)
	}
	if !bytes.Equal(legacy, data) {
		t.Fatalf("legacy download: %d bytes", len(legacy))
	}
	if r, err := c.GetBlobReplication(ctx, "user-blob"); err != nil || r != 1 {
		t.Fatalf("replication %d %v", r, err)
	}
	if r, err := c.UpdateBlobReplication(ctx, "user-blob", 3); err != nil || r != 1 {
		t.Fatalf("updateBlobReplication %d %v", r, err)
	}
	m, err := c.GetBlobMeta(ctx, "user-blob")
	if err != nil || len(m.GetSettable().GetAcl()) == 0 {
		t.Fatalf("meta %v %v", m, err)
	}
	lr, err := c.ListBlobs(ctx, "")
	if err != nil || !slices.Contains(lr.GetKeys(), "user-blob") {
		t.Fatalf("listBlobs %v %v", lr, err)
	}

	// Update replaces the content.
	s, err = c.BeginUpdateBlob(ctx, "user-blob")
	if err != nil {
		t.Fatal(err)
	}
	c.UploadBlobChunk(ctx, s, []byte("v2"))
	if err := c.FinishBlobUpload(ctx, s); err != nil {
		t.Fatal(err)
	}
	if got := downloadBlob(t, c, "user-blob"); string(got) != "v2" {
		t.Fatalf("after update: %q", got)
	}
	// Cancelled uploads change nothing.
	s, _ = c.BeginUpdateBlob(ctx, "user-blob")
	c.UploadBlobChunk(ctx, s, []byte("v3"))
	if err := c.CancelBlobUpload(ctx, s); err != nil {
		t.Fatal(err)
	}
	wantErr(t, c.UploadBlobChunk(ctx, s, []byte("x")), "Internal", "does not exist")
	if got := downloadBlob(t, c, "user-blob"); string(got) != "v2" {
		t.Fatalf("after cancel: %q", got)
	}

	_, err = c.BeginCreateBlob(ctx, "user-blob", meta)
	wantErr(t, err, "KeyAlreadyExists", "user-blob")
	if err := c.DeleteBlob(ctx, "user-blob"); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBlobMeta(ctx, "user-blob")
	wantErr(t, err, "KeyNotFound", "user-blob")
	_, err = c.BeginBlobDownload(ctx, "user-blob")
	wantErr(t, err, "KeyNotFound", "user-blob")
	wantErr(t, c.DeleteBlob(ctx, "user-blob"), "KeyNotFound", "user-blob")
	_, err = c.BeginUpdateBlob(ctx, "user-blob")
	wantErr(t, err, "KeyNotFound", "user-blob")
	if ok, _, _ := h.st.Exists(ctx, "/blobstore/user-blob"); ok {
		t.Fatal("/blobstore/user-blob survives deleteBlob")
	}
}

func TestBlobKeyPathTricks(t *testing.T) {
	h := startNimbus(t, harnessOpts{})
	ctx := context.Background()
	c := h.client()
	outside := filepath.Join(h.dir, "secret")
	if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := listFiles(t, h.dir)
	meta := &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}}
	for _, key := range []string{"../secret", "../../etc/passwd", "a/b", "/abs", ".", "..", "", "k\x00", "data_x/../../secret"} {
		t.Run(key, func(t *testing.T) {
			if _, err := c.BeginCreateBlob(ctx, key, meta); err == nil {
				t.Fatal("beginCreateBlob accepted")
			}
			if _, err := c.BeginBlobDownload(ctx, key); err == nil {
				t.Fatal("beginBlobDownload accepted")
			}
			if _, err := c.BeginFileDownload(ctx, key); err == nil {
				t.Fatal("beginFileDownload accepted")
			}
			if err := c.DeleteBlob(ctx, key); err == nil {
				t.Fatal("deleteBlob accepted")
			}
			if _, err := c.GetBlobMeta(ctx, key); err == nil {
				t.Fatal("getBlobMeta accepted")
			}
		})
	}
	if b, _ := os.ReadFile(outside); string(b) != "secret" {
		t.Fatal("file outside the blob store changed")
	}
	if after := listFiles(t, h.dir); !slices.Equal(before, after) {
		t.Fatalf("files changed:\nbefore %v\nafter  %v", before, after)
	}
}

func listFiles(t testing.TB, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}
