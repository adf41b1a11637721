package blobstore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/stormthrift"
)

func ptr[T any](v T) *T { return &v }

// worldEverythingMeta is TBinary SettableBlobMeta{acl=[AccessControl{type=OTHER(1), access=7}]},
// derived by hand from the binary protocol: list field 1 of 1 struct
// {i32 field 1 = 1, i32 field 3 = 7, stop}, stop.
var worldEverythingMeta = []byte{
	0x0f, 0x00, 0x01, 0x0c, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x03, 0x00, 0x00, 0x00, 0x07,
	0x00,
	0x00,
}

func TestLayoutMatchesLocalFsBlobStore(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	ctx := context.Background()
	keys := []string{"topo-1-1-stormjar.jar", "topo-1-1-stormcode.ser", "topo-1-1-stormconf.ser", "key1", "my key\twith:tab.x"}
	for i, key := range keys {
		data := payload(100+i, uint64(i))
		if err := s.Put(ctx, key, &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}}, data); err != nil {
			t.Fatal(err)
		}
		for _, tc := range javaHashes {
			var want []byte
			switch tc.entry {
			case "data_" + key:
				want = data
			case "meta_" + key:
				want = worldEverythingMeta
			default:
				continue
			}
			p := filepath.Join(s.Dir(), strconv.Itoa(tc.bucket), tc.entry, "data")
			got, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%s: %v", tc.entry, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: content %x, want %x", p, got[:min(len(got), 32)], want[:min(len(want), 32)])
			}
			ents, _ := os.ReadDir(filepath.Dir(p))
			if len(ents) != 1 {
				t.Errorf("%s: %d files, want only data (tmp files left?)", filepath.Dir(p), len(ents))
			}
		}
	}
	got, err := s.Keys()
	if err != nil {
		t.Fatal(err)
	}
	// Bucket order: key1 729, stormjar 213, stormcode 370, stormconf 809, "my key" 340.
	want := []string{"topo-1-1-stormjar.jar", "my key\twith:tab.x", "topo-1-1-stormcode.ser", "key1", "topo-1-1-stormconf.ser"}
	if !equalStrings(got, want) {
		t.Errorf("Keys() = %q, want %q", got, want)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestMetaRoundTripAndVersion(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	user := &stormthrift.AccessControl{Type: stormthrift.AccessControlType_USER, Name: ptr("alice"), Access: accessRead}
	upload(t, s, "k", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{user}, ReplicationFactor: ptr(int32(3))}, []byte("hello"), 2)
	m, err := s.Meta("k")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(s.disk.dataPath("k"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != fi.ModTime().UnixMilli() {
		t.Errorf("version %d, want mtime %d", m.Version, fi.ModTime().UnixMilli())
	}
	if len(m.Settable.Acl) != 2 || m.Settable.Acl[0].GetName() != "alice" || m.Settable.Acl[1].Type != stormthrift.AccessControlType_OTHER || m.Settable.Acl[1].Access != 7 {
		t.Errorf("acl = %v", m.Settable.Acl)
	}
	if m.Settable.GetReplicationFactor() != 3 {
		t.Errorf("replication factor %d", m.Settable.GetReplicationFactor())
	}
	raw, _ := os.ReadFile(s.disk.metaPath("k"))
	var back stormthrift.SettableBlobMeta
	if err := compat.UnmarshalThrift(raw, &back); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeta("k", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}}); err != nil {
		t.Fatal(err)
	}
	raw, _ = os.ReadFile(s.disk.metaPath("k"))
	if !bytes.Equal(raw, worldEverythingMeta) {
		t.Errorf("meta after SetMeta = %x", raw)
	}
	if err := s.SetMeta("nope", nil); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("SetMeta(missing) = %v", err)
	}
	if _, err := s.Meta("nope"); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("Meta(missing) = %v", err)
	}
	if err := s.SetMeta("k", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{user, user}}); !errors.Is(err, ErrInvalidACL) {
		t.Errorf("SetMeta(dup user) = %v", err)
	}
	// A corrupt meta file is an error, not a panic.
	if err := os.WriteFile(s.disk.metaPath("k"), []byte{0x0f, 0x00, 0x01, 0x0c, 0x7f, 0xff, 0xff, 0xff}, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Meta("k"); err == nil {
		t.Error("Meta on corrupt meta file succeeded")
	}
}

func TestCreateUpdateDelete(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	ctx := context.Background()
	if _, err := s.BeginUpdate(ctx, "k"); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("BeginUpdate(missing) = %v", err)
	}
	id, err := s.BeginCreate(ctx, "k", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Not visible before Finish; a second create of the same key is refused.
	if _, err := s.Read("k"); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("Read during create = %v", err)
	}
	if _, err := s.BeginCreate(ctx, "k", nil); !errors.Is(err, ErrKeyExists) {
		t.Errorf("second BeginCreate = %v", err)
	}
	if err := s.Put(ctx, "k", nil, []byte("x")); !errors.Is(err, ErrKeyExists) {
		t.Errorf("Put during create = %v", err)
	}
	if err := s.UploadChunk(id, []byte("v1")); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, id); !errors.Is(err, ErrNoSession) {
		t.Errorf("second Finish = %v", err)
	}
	if _, err := s.BeginCreate(ctx, "k", nil); !errors.Is(err, ErrKeyExists) {
		t.Errorf("BeginCreate(existing) = %v", err)
	}
	up, err := s.BeginUpdate(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UploadChunk(up, []byte("version two")); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Read("k"); string(b) != "v1" {
		t.Errorf("Read during update = %q", b)
	}
	if err := s.Finish(ctx, up); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Read("k"); string(b) != "version two" {
		t.Errorf("Read after update = %q", b)
	}
	// Cancelled update leaves the content and no tmp file.
	up, _ = s.BeginUpdate(ctx, "k")
	s.UploadChunk(up, []byte("discard me"))
	if err := s.Cancel(up); err != nil {
		t.Fatal(err)
	}
	if err := s.Cancel(up); !errors.Is(err, ErrNoSession) {
		t.Errorf("second Cancel = %v", err)
	}
	if b, _ := s.Read("k"); string(b) != "version two" {
		t.Errorf("Read after cancel = %q", b)
	}
	assertOnlyData(t, s, "k")

	// Put overwrites.
	if err := s.Put(ctx, "k", nil, []byte("three")); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Read("k"); string(b) != "three" {
		t.Errorf("Read after Put = %q", b)
	}
	// Delete with an update in flight: the update is cancelled.
	up, _ = s.BeginUpdate(ctx, "k")
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if err := s.UploadChunk(up, []byte("late")); !errors.Is(err, ErrNoSession) {
		t.Errorf("UploadChunk after Delete = %v", err)
	}
	if err := s.Delete(ctx, "k"); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("second Delete = %v", err)
	}
	for _, d := range []string{s.disk.dataDir("k"), s.disk.metaDir("k")} {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s still there after Delete", d)
		}
	}
	if keys, _ := s.Keys(); len(keys) != 0 {
		t.Errorf("Keys after delete = %q", keys)
	}
	// Cancelled create: the key can be created again.
	id, _ = s.BeginCreate(ctx, "k", nil)
	s.Cancel(id)
	if _, err := os.Stat(s.disk.dataDir("k")); !os.IsNotExist(err) {
		t.Errorf("cancelled create left %s", s.disk.dataDir("k"))
	}
	upload(t, s, "k", nil, []byte("again"), 3)
	if s.Sessions() != 0 {
		t.Errorf("%d sessions left", s.Sessions())
	}
}

func assertOnlyData(t *testing.T, s *Store, key string) {
	t.Helper()
	for _, d := range []string{s.disk.dataDir(key), s.disk.metaDir(key)} {
		ents, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		if len(ents) != 1 || ents[0].Name() != "data" {
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			t.Errorf("%s holds %q, want only data", d, names)
		}
	}
}

func TestBadKeysRefused(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	ctx := context.Background()
	// Plant a file where a path trick would land if keys were not checked.
	secret := filepath.Join(filepath.Dir(s.Dir()), "secret")
	os.WriteFile(secret, []byte("top secret"), 0o600)
	for _, key := range []string{"", ".", "..", "../secret", "../../secret", "a/b", "/etc/passwd", "x\x00y", "k\n"} {
		calls := map[string]error{}
		_, calls["BeginCreate"] = s.BeginCreate(ctx, key, nil)
		_, calls["BeginUpdate"] = s.BeginUpdate(ctx, key)
		calls["Put"] = s.Put(ctx, key, nil, []byte("x"))
		_, calls["Read"] = s.Read(key)
		_, calls["Meta"] = s.Meta(key)
		calls["SetMeta"] = s.SetMeta(key, nil)
		_, calls["BeginDownload"] = s.BeginDownload(key)
		calls["Delete"] = s.Delete(ctx, key)
		_, calls["Replication"] = s.Replication(ctx, key)
		calls["RegisterState"] = s.RegisterState(ctx, key)
		for name, err := range calls {
			if !errors.Is(err, ErrInvalidKey) {
				t.Errorf("%s(%q) = %v, want ErrInvalidKey", name, key, err)
			}
		}
	}
	if b, _ := os.ReadFile(secret); string(b) != "top secret" {
		t.Error("secret file touched")
	}
	if keys, _ := s.Keys(); len(keys) != 0 {
		t.Errorf("keys %q", keys)
	}
	// Sessions are looked up, never interpreted.
	for _, id := range []string{"", "../secret", secret, "k"} {
		if err := s.UploadChunk(id, []byte("x")); !errors.Is(err, ErrNoSession) {
			t.Errorf("UploadChunk(%q) = %v", id, err)
		}
		if _, err := s.DownloadChunk(id); !errors.Is(err, ErrNoSession) {
			t.Errorf("DownloadChunk(%q) = %v", id, err)
		}
	}
}

func TestKeysIgnoresJunk(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	if err := s.Put(context.Background(), "good", nil, []byte("x")); err != nil {
		t.Fatal(err)
	}
	// An entry without data (interrupted create), a wrong-bucket entry, junk.
	os.MkdirAll(s.disk.dataDir("halfway"), 0o755)
	os.WriteFile(filepath.Join(s.disk.dataDir("halfway"), "123.tmp"), nil, 0o644)
	os.MkdirAll(filepath.Join(s.Dir(), "5", "data_misplaced"), 0o755)
	os.WriteFile(filepath.Join(s.Dir(), "5", "data_misplaced", "data"), nil, 0o644)
	os.MkdirAll(filepath.Join(s.Dir(), "notabucket", "data_x"), 0o755)
	keys, err := s.Keys()
	if err != nil {
		t.Fatal(err)
	}
	if !equalStrings(keys, []string{"good"}) {
		t.Errorf("Keys = %q", keys)
	}
}
