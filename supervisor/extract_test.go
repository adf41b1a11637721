package supervisor

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type zipEntry struct {
	name string
	body string
	mode fs.FileMode
}

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeTemp(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "stormjar.jar")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSniffArtifact(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	self, err := artifactKindOf(exe)
	if err != nil || self != artifactExecutable {
		t.Errorf("the test binary is %v (%v), want executable", self, err)
	}
	tests := []struct {
		head string
		want artifactKind
	}{
		{"\x7fELF\x02\x01", artifactExecutable},
		{"\xcf\xfa\xed\xfe", artifactExecutable},
		{"PK\x03\x04", artifactZip},
		{"PK\x05\x06", artifactZip},
		{"#!/bin/sh\n", artifactUnknown},
		{"", artifactUnknown},
		{"\x7fEL", artifactUnknown},
	}
	for _, tc := range tests {
		if got := sniffArtifact([]byte(tc.head)); got != tc.want {
			t.Errorf("sniff(%q) = %v, want %v", tc.head, got, tc.want)
		}
	}
}

func TestExtractResources(t *testing.T) {
	jar := writeTemp(t, makeZip(t,
		zipEntry{name: "META-INF/MANIFEST.MF", body: "Manifest-Version: 1.0\n"},
		zipEntry{name: "resources/"},
		zipEntry{name: "resources/splitsentence.py", body: "print('hi')\n"},
		zipEntry{name: "resources/storm.py", body: "# storm\n"},
		zipEntry{name: "resources/bin/run.sh", body: "#!/bin/sh\n", mode: 0o755},
		zipEntry{name: "resourcesX/not-me", body: "x"},
		zipEntry{name: "org/example/Topo.class", body: "\xca\xfe\xba\xbe"},
	))
	dest := t.TempDir()
	n, err := extractResources(jar, dest, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("extracted %d files, want 3", n)
	}
	var got []string
	filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dest, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	want := "resources/bin/run.sh resources/splitsentence.py resources/storm.py"
	if strings.Join(got, " ") != want {
		t.Errorf("extracted %v, want %s", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "resources", "storm.py")); string(b) != "# storm\n" {
		t.Errorf("content %q", b)
	}
	if fi, err := os.Stat(filepath.Join(dest, "resources", "bin", "run.sh")); err != nil || fi.Mode()&0o100 == 0 {
		t.Errorf("executable resource lost its mode: %v %v", fi.Mode(), err)
	}
}

func TestExtractResourcesRefuses(t *testing.T) {
	tests := []struct {
		name  string
		entry zipEntry
	}{
		{"parent climb", zipEntry{name: "resources/../../evil", body: "x"}},
		{"climb back into the code dir", zipEntry{name: "resources/../stormconf.ser", body: "x"}},
		{"backslash", zipEntry{name: "resources/..\\evil", body: "x"}},
		{"NUL", zipEntry{name: "resources/a\x00b", body: "x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dest := filepath.Join(root, "code")
			os.Mkdir(dest, 0o755)
			jar := writeTemp(t, makeZip(t, tc.entry))
			if _, err := extractResources(jar, dest, 1<<20); err == nil {
				t.Fatal("extracted a hostile name")
			}
			assertInside(t, root, dest)
		})
	}
	// An absolute name does not start with resources/ and is ignored.
	jar := writeTemp(t, makeZip(t, zipEntry{name: "/resources/x", body: "x"}))
	if n, err := extractResources(jar, t.TempDir(), 1<<20); err != nil || n != 0 {
		t.Errorf("absolute name: %d files, %v", n, err)
	}
}

// assertInside fails if anything under root lies outside dest.
func assertInside(t *testing.T, root, dest string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && p != root && p != dest && !strings.HasPrefix(p, dest+string(filepath.Separator)) {
			t.Errorf("wrote %s outside %s", p, dest)
		}
		return nil
	})
}

func TestExtractResourcesBounds(t *testing.T) {
	big := strings.Repeat("a", 1<<16) // compresses to almost nothing
	jar := writeTemp(t, makeZip(t,
		zipEntry{name: "resources/one", body: big},
		zipEntry{name: "resources/two", body: big},
	))
	if _, err := extractResources(jar, t.TempDir(), 1<<17); err != nil {
		t.Fatalf("within the limit: %v", err)
	}
	if _, err := extractResources(jar, t.TempDir(), 1<<17-1); err == nil {
		t.Fatal("a jar expanding past the limit was extracted")
	}
	// Not a zip at all.
	if _, err := extractResources(writeTemp(t, []byte("#!/bin/sh\necho hi\n")), t.TempDir(), 1<<20); !errors.Is(err, errNotZip) {
		t.Errorf("script: err = %v, want errNotZip", err)
	}
}

func FuzzExtractResources(f *testing.F) {
	f.Add(makeZip(f, zipEntry{name: "resources/a.py", body: "print(1)"}))
	f.Add(makeZip(f, zipEntry{name: "resources/../x", body: "x"}, zipEntry{name: "resources/d/", body: ""}))
	f.Add(makeZip(f, zipEntry{name: "resources/x", body: strings.Repeat("z", 5000)}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		root := t.TempDir()
		dest := filepath.Join(root, "code")
		if err := os.Mkdir(dest, 0o755); err != nil {
			t.Fatal(err)
		}
		jar := filepath.Join(root, "code.jar")
		if err := os.WriteFile(jar, b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _ = extractResources(jar, dest, 4096)
		os.Remove(jar)
		assertInside(t, root, dest)
		var total int64
		filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if fi, err := d.Info(); err == nil {
					total += fi.Size()
				}
			}
			return nil
		})
		if total > 4096 {
			t.Errorf("extracted %d bytes past the 4096 limit", total)
		}
	})
}
