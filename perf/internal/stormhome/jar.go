package stormhome

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// TopologyJar compiles the Java sources under srcDir against the Storm jars and packs the
// classes, the files under resourcesDir (which must hold resources/...), storm.js and storm.py
// (as resources/storm.js and resources/storm.py, next to the multilang scripts) into a jar. The jar is cached in
// <Dir>/jars by the content of its inputs.
func (h *Home) TopologyJar(ctx context.Context, srcDir, resourcesDir string) (string, error) {
	var sources []string
	hash := sha256.New()
	for _, root := range []string{srcDir, resourcesDir} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			fmt.Fprintf(hash, "%s\x00%d\x00", rel, len(b))
			hash.Write(b)
			if strings.HasSuffix(p, ".java") && root == srcDir {
				sources = append(sources, p)
			}
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("stormhome: read %s: %w", root, err)
		}
	}
	if len(sources) == 0 {
		return "", fmt.Errorf("stormhome: no .java files under %s", srcDir)
	}
	var libs []jarFile
	for _, f := range []string{h.StormJS, h.StormPy} {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("stormhome: %w", err)
		}
		name := "resources/" + filepath.Base(f)
		fmt.Fprintf(hash, "%s\x00%d\x00", name, len(b))
		hash.Write(b)
		libs = append(libs, jarFile{name: name, data: b})
	}
	cp, err := h.Classpath()
	if err != nil {
		return "", err
	}
	hash.Write([]byte(cp))
	jar := filepath.Join(h.Dir, "jars", "gale-perf-"+hex.EncodeToString(hash.Sum(nil))[:16]+".jar")
	if _, err := os.Stat(jar); err == nil {
		return jar, nil
	}
	if err := os.MkdirAll(filepath.Dir(jar), 0o755); err != nil {
		return "", fmt.Errorf("stormhome: %w", err)
	}
	classes, err := os.MkdirTemp(filepath.Dir(jar), "classes-")
	if err != nil {
		return "", fmt.Errorf("stormhome: %w", err)
	}
	defer os.RemoveAll(classes)
	args := append([]string{"-nowarn", "-encoding", "UTF-8", "-cp", cp, "-d", classes}, sources...)
	if out, err := exec.CommandContext(ctx, "javac", args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("stormhome: javac: %w\n%s", err, tail(out, 4000))
	}
	tmp := jar + ".tmp"
	if err := writeJar(tmp, []string{classes, resourcesDir}, libs); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := os.Rename(tmp, jar); err != nil {
		return "", fmt.Errorf("stormhome: %w", err)
	}
	return jar, nil
}

// jarFile is one file added to a jar by name.
type jarFile struct {
	name string
	data []byte
}

// writeJar writes a jar with a manifest, the trees of roots (each added at the jar root), and
// files (Storm's multilang libraries: resources/storm.js, resources/storm.py).
func writeJar(path string, roots []string, files []jarFile) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("stormhome: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("stormhome: %w", cerr)
		}
	}()
	zw := zip.NewWriter(f)
	add := func(name string, r io.Reader) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, r)
		return err
	}
	if err := add("META-INF/MANIFEST.MF", strings.NewReader("Manifest-Version: 1.0\r\nCreated-By: gale perf\r\n\r\n")); err != nil {
		return fmt.Errorf("stormhome: jar: %w", err)
	}
	for _, dir := range roots {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			src, err := os.Open(p)
			if err != nil {
				return err
			}
			defer src.Close()
			return add(filepath.ToSlash(rel), src)
		})
		if err != nil {
			return fmt.Errorf("stormhome: jar %s: %w", dir, err)
		}
	}
	for _, jf := range files {
		if err := add(jf.name, bytes.NewReader(jf.data)); err != nil {
			return fmt.Errorf("stormhome: jar: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("stormhome: jar: %w", err)
	}
	return nil
}
