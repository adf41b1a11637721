package blobstore

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

func TestUploadDownloadRoundTrip(t *testing.T) {
	tests := []struct {
		size, upChunk, wantChunks int
	}{
		{0, 1, 0},
		{1, 1, 1},
		{65535, 1000, 1},
		{65536, 65536, 1},
		{65537, 4096, 2},
		{3*65536 + 17, 65536, 4},
		{1 << 20, 300000, 16},
	}
	for _, tc := range tests {
		s, _ := fastStore(t, Options{})
		data := payload(tc.size, uint64(tc.size))
		upload(t, s, "topo-1-1-stormjar.jar", nil, data, tc.upChunk)
		got, res, chunks := download(t, s, "topo-1-1-stormjar.jar")
		if !bytes.Equal(got, data) {
			t.Errorf("size %d: content differs", tc.size)
		}
		if chunks != tc.wantChunks {
			t.Errorf("size %d: %d non-empty chunks, want %d", tc.size, chunks, tc.wantChunks)
		}
		m, _ := s.Meta("topo-1-1-stormjar.jar")
		if res.Version != m.Version {
			t.Errorf("download version %d, meta version %d", res.Version, m.Version)
		}
		if s.Sessions() != 0 {
			t.Errorf("size %d: %d sessions left", tc.size, s.Sessions())
		}
	}
}

func TestDownloadChunkSizeOption(t *testing.T) {
	s, _ := newTestStore(t, Options{ChunkSize: 10})
	data := payload(95, 1)
	if err := s.Put(context.Background(), "k", nil, data); err != nil {
		t.Fatal(err)
	}
	got, _, chunks := download(t, s, "k")
	if !bytes.Equal(got, data) || chunks != 10 {
		t.Errorf("%d chunks, equal=%v", chunks, bytes.Equal(got, data))
	}
}

// A download reads the version it started with, whatever happens to the key.
func TestDownloadIsolatedFromUpdateAndDelete(t *testing.T) {
	s, _ := newTestStore(t, Options{ChunkSize: 4})
	ctx := context.Background()
	if err := s.Put(ctx, "k", nil, []byte("old content")); err != nil {
		t.Fatal(err)
	}
	res, err := s.BeginDownload("k")
	if err != nil {
		t.Fatal(err)
	}
	first, _ := s.DownloadChunk(res.Session)
	if err := s.Put(ctx, "k", nil, []byte("new and much longer content")); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	got := append([]byte{}, first...)
	for {
		b, err := s.DownloadChunk(res.Session)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			break
		}
		got = append(got, b...)
	}
	if string(got) != "old content" || *res.DataSize != int64(len(got)) {
		t.Errorf("got %q, data_size %d", got, *res.DataSize)
	}
	if _, err := s.BeginDownload("k"); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("BeginDownload(deleted) = %v", err)
	}
}

func TestSessionKindsAreSeparate(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	ctx := context.Background()
	s.Put(ctx, "k", nil, []byte("x"))
	res, _ := s.BeginDownload("k")
	up, _ := s.BeginUpdate(ctx, "k")
	if err := s.UploadChunk(res.Session, []byte("x")); !errors.Is(err, ErrNoSession) {
		t.Errorf("UploadChunk(download session) = %v", err)
	}
	if err := s.Finish(ctx, res.Session); !errors.Is(err, ErrNoSession) {
		t.Errorf("Finish(download session) = %v", err)
	}
	if _, err := s.DownloadChunk(up); !errors.Is(err, ErrNoSession) {
		t.Errorf("DownloadChunk(upload session) = %v", err)
	}
	if _, err := s.List(up); !errors.Is(err, ErrNoSession) {
		t.Errorf("List(upload session) = %v", err)
	}
}
