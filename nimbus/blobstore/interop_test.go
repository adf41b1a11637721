package blobstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/stormjava"
	"github.com/galeproject/gale/internal/zktest"
	"github.com/galeproject/gale/stormthrift"
)

// TestJavaLocalFsBlobStoreInterop runs Storm 1.0.0's LocalFsBlobStore on the
// same blobs directory as a Gale Store: Java must list and read what Gale
// wrote (keys, content, ACL, version), and Gale must read what Java wrote,
// with byte-identical meta files.
func TestJavaLocalFsBlobStoreInterop(t *testing.T) {
	cp := stormjava.Classpath(t)
	classes := stormjava.Compile(t, filepath.Join("testdata", "java"), cp)
	cp = classes + string(os.PathListSeparator) + cp
	zkHost, zkPort, err := net.SplitHostPort(zktest.Start(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	s, err := New(filepath.Join(base, "blobs"), Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	java := func(args ...string) string {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		return string(stormjava.Run(t, stormjava.Command(ctx, cp, "BlobInterop", append([]string{zkHost, zkPort, base}, args...)...)))
	}

	// Gale writes; Java reads.
	want := map[string][]byte{
		"topo-1-1-stormjar.jar":  payload(200000, 1),
		"topo-1-1-stormconf.ser": payload(300, 2),
		"topo-1-1-stormcode.ser": {},
		"my key\twith:tab.x":     []byte("tab key"),
	}
	for k, v := range want {
		if k == "my key\twith:tab.x" {
			user := &stormthrift.AccessControl{Type: stormthrift.AccessControlType_USER, Name: ptr("alice"), Access: accessRead | accessWrite}
			upload(t, s, k, &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{user}}, v, 3)
			continue
		}
		if err := s.Put(ctx, k, &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}}, v); err != nil {
			t.Fatal(err)
		}
	}
	var listed []string
	listing := java("list")
	t.Logf("LocalFsBlobStore lists:\n%s", listing)
	for _, line := range strings.Split(strings.TrimSpace(listing), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 5 {
			t.Fatalf("bad line %q", line)
		}
		key := f[0]
		listed = append(listed, key)
		data, ok := want[key]
		if !ok {
			t.Errorf("Java lists unexpected key %q", key)
			continue
		}
		sum := sha256.Sum256(data)
		if f[3] != fmt.Sprint(len(data)) || f[4] != hex.EncodeToString(sum[:]) {
			t.Errorf("%q: Java read %s bytes sha %s, want %d bytes", key, f[3], f[4], len(data))
		}
		m, err := s.Meta(key)
		if err != nil {
			t.Fatal(err)
		}
		if f[1] != fmt.Sprint(m.Version) {
			t.Errorf("%q: Java version %s, Gale version %d", key, f[1], m.Version)
		}
		wantACL := "o::rwa"
		if key == "my key\twith:tab.x" {
			wantACL = "u:alice:rw-,o::rwa"
		}
		if f[2] != wantACL {
			t.Errorf("%q: Java sees ACL %q, want %q", key, f[2], wantACL)
		}
	}
	gale, _ := s.Keys()
	slices.Sort(listed)
	slices.Sort(gale)
	if !slices.Equal(listed, gale) {
		t.Errorf("Java lists %q, Gale %q", listed, gale)
	}

	// Java writes; Gale reads.
	java("create", "java-made-1-stormconf.ser", "written by storm")
	got, err := s.Read("java-made-1-stormconf.ser")
	if err != nil || string(got) != "written by storm" {
		t.Fatalf("Gale reads %q, %v", got, err)
	}
	m, err := s.Meta("java-made-1-stormconf.ser")
	if err != nil {
		t.Fatal(err)
	}
	if aclString(m.Settable.Acl) != aclString([]*stormthrift.AccessControl{ac(stormthrift.AccessControlType_OTHER, "", 7)}) {
		t.Errorf("ACL of Java's blob %s", aclString(m.Settable.Acl))
	}
	javaMeta, err := os.ReadFile(s.disk.metaPath("java-made-1-stormconf.ser"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(javaMeta, worldEverythingMeta) {
		t.Errorf("Java's meta file %x, Gale writes %x", javaMeta, worldEverythingMeta)
	}
	goMeta, _ := os.ReadFile(s.disk.metaPath("topo-1-1-stormconf.ser"))
	if !bytes.Equal(goMeta, javaMeta) {
		t.Errorf("meta files differ: Gale %x, Java %x", goMeta, javaMeta)
	}
	got, _, _ = download(t, s, "java-made-1-stormconf.ser")
	if string(got) != "written by storm" {
		t.Errorf("download of Java's blob %q", got)
	}
}
