package blobstore

import (
	"context"
	"os"
	"testing"
)

// FuzzMetaFile feeds arbitrary meta_K/data contents (a file another process
// may have written) to Meta: it must return an error or a meta, never panic.
func FuzzMetaFile(f *testing.F) {
	f.Add(worldEverythingMeta)
	f.Add([]byte{})
	f.Add([]byte{0x0f, 0x00, 0x01, 0x0c, 0x7f, 0xff, 0xff, 0xff})
	f.Add([]byte{0x0f, 0x00, 0x01, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00})
	s, err := New(f.TempDir(), Options{})
	if err != nil {
		f.Fatal(err)
	}
	s.disk.noSync = true
	if err := s.Put(context.Background(), "k", nil, []byte("x")); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(s.disk.metaPath("k"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := s.Meta("k")
		if err == nil && (m == nil || m.Settable == nil) {
			t.Fatal("nil meta without error")
		}
	})
}
