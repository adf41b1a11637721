package stormjava

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// Jar packs the files under dir into a jar (a zip with a manifest) in a
// fresh temporary directory of t and returns its path. It stands in for a
// user's topology jar, the file `storm jar` passes as -Dstorm.jar.
func Jar(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "topology.jar")
	if err := writeJar(path, dir); err != nil {
		t.Fatalf("build jar from %s: %v", dir, err)
	}
	return path
}

func writeJar(path, dir string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	mf, err := zw.Create("META-INF/MANIFEST.MF")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(mf, "Manifest-Version: 1.0\r\nCreated-By: gale stormjava\r\n\r\n"); err != nil {
		return err
	}
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(w, src)
		return err
	})
	if err != nil {
		return fmt.Errorf("add files: %w", err)
	}
	return zw.Close()
}
