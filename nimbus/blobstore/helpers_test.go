package blobstore

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/testutil"
	"github.com/galeproject/gale/stormthrift"
)

func newFakeClock() *testutil.Clock {
	return testutil.NewClock(time.Date(2016, 5, 10, 12, 0, 0, 0, time.UTC))
}

// newTestStore is a Store in a temp dir with a fake clock and no ZooKeeper.
func newTestStore(t testing.TB, opts Options) (*Store, *testutil.Clock) {
	t.Helper()
	clk := newFakeClock()
	if opts.Clock == nil {
		opts.Clock = clk.Now
	}
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	s, err := New(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clk
}

// fastStore is newTestStore without fsync, for tests writing many blobs.
func fastStore(t testing.TB, opts Options) (*Store, *testutil.Clock) {
	s, clk := newTestStore(t, opts)
	s.disk.noSync = true
	return s, clk
}

// payload is n deterministic pseudo-random bytes.
func payload(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// upload creates key through a session, in chunks of size chunk.
func upload(t testing.TB, s *Store, key string, meta *stormthrift.SettableBlobMeta, data []byte, chunk int) {
	t.Helper()
	ctx := context.Background()
	id, err := s.BeginCreate(ctx, key, meta)
	if err != nil {
		t.Fatalf("BeginCreate(%q): %v", key, err)
	}
	for off := 0; off < len(data); off += chunk {
		if err := s.UploadChunk(id, data[off:min(off+chunk, len(data))]); err != nil {
			t.Fatalf("UploadChunk: %v", err)
		}
	}
	if err := s.Finish(ctx, id); err != nil {
		t.Fatalf("Finish(%q): %v", key, err)
	}
}

// download reads key through a session, checking every chunk and data_size.
func download(t testing.TB, s *Store, key string) (data []byte, res *stormthrift.BeginDownloadResult_, chunks int) {
	t.Helper()
	res, err := s.BeginDownload(key)
	if err != nil {
		t.Fatalf("BeginDownload(%q): %v", key, err)
	}
	for {
		b, err := s.DownloadChunk(res.Session)
		if err != nil {
			t.Fatalf("DownloadChunk: %v", err)
		}
		if b == nil {
			t.Fatal("DownloadChunk returned nil instead of an empty chunk")
		}
		if len(b) > s.chunk {
			t.Fatalf("chunk of %d bytes > %d", len(b), s.chunk)
		}
		if len(b) == 0 {
			break
		}
		chunks++
		data = append(data, b...)
	}
	if _, err := s.DownloadChunk(res.Session); !errors.Is(err, ErrNoSession) {
		t.Fatalf("DownloadChunk after EOF: err = %v, want ErrNoSession", err)
	}
	if res.DataSize == nil || *res.DataSize != int64(len(data)) {
		t.Fatalf("data_size = %v, read %d bytes", res.DataSize, len(data))
	}
	return data, res, chunks
}

// testLogger logs at warn and above into t's output until the test ends.
func testLogger(t testing.TB) *slog.Logger { return testutil.Logger(t, slog.LevelWarn) }
