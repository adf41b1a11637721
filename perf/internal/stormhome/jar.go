package stormhome

import (
	"archive/zip"
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
// classes, the files under resourcesDir (which must hold resources/...) and storm.js (as
// resources/storm.js, next to the multilang scripts) into a jar. The jar is cached in
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
	js, err := os.ReadFile(h.StormJS)
	if err != nil {
		return "", fmt.Errorf("stormhome: %w", err)
	}
	hash.Write(js)
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
	if err := writeJar(tmp, []string{classes, resourcesDir}, js); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := os.Rename(tmp, jar); err != nil {
		return "", fmt.Errorf("stormhome: %w", err)
	}
	return jar, nil
}

// writeJar writes a jar with a manifest, the trees of roots (each added at the jar root), and
// storm.js at resources/storm.js.
func writeJar(path string, roots []string, stormJS []byte) (err error) {
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
	if err := add("resources/storm.js", strings.NewReader(string(stormJS))); err != nil {
		return fmt.Errorf("stormhome: jar: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("stormhome: jar: %w", err)
	}
	return nil
}
