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
	if err := WriteJar(path, dir, nil); err != nil {
		t.Fatalf("build jar from %s: %v", dir, err)
	}
	return path
}

// WriteJar packs the files under dir for which keep(slash-separated
// relative path) is true (every file when keep is nil) into a jar with a
// manifest at path.
func WriteJar(path, dir string, keep func(rel string) bool) (err error) {
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
	if _, err := io.WriteString(mf, "Manifest-Version: 1.0\r\nCreated-By: gale\r\n\r\n"); err != nil {
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
		rel = filepath.ToSlash(rel)
		if keep != nil && !keep(rel) {
			return nil
		}
		w, err := zw.Create(rel)
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
