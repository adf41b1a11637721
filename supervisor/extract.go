package supervisor

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// artifactKind is what a topology artifact (stormjar.jar) holds.
type artifactKind int

const (
	artifactUnknown    artifactKind = iota
	artifactZip                     // a jar: extract resources/, run Gale's worker
	artifactExecutable              // a program (a Go topology): run the artifact itself
)

// sniffArtifact classifies an artifact by its first bytes: ELF and Mach-O
// programs are executables, "PK" local or end headers a zip. Anything else
// (a jar with a launcher-script prefix, say) is unknown and tried as a zip.
func sniffArtifact(head []byte) artifactKind {
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")),
		bytes.HasPrefix(head, []byte{0xfe, 0xed, 0xfa, 0xce}), bytes.HasPrefix(head, []byte{0xce, 0xfa, 0xed, 0xfe}),
		bytes.HasPrefix(head, []byte{0xfe, 0xed, 0xfa, 0xcf}), bytes.HasPrefix(head, []byte{0xcf, 0xfa, 0xed, 0xfe}):
		return artifactExecutable
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return artifactZip
	}
	return artifactUnknown
}

func artifactKindOf(p string) (artifactKind, error) {
	f, err := os.Open(p)
	if err != nil {
		return artifactUnknown, err
	}
	defer f.Close()
	head := make([]byte, 4)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return artifactUnknown, err
	}
	return sniffArtifact(head[:n]), nil
}

// hasShebang reports whether file p starts with "#!".
func hasShebang(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	_, err = io.ReadFull(f, head)
	return err == nil && string(head) == "#!"
}

// Limits of one resources extraction.
const maxResourceEntries = 100_000

// Extraction errors.
var (
	errNotZip   = errors.New("not a zip archive")
	errTooLarge = errors.New("resources exceed the size limit")
)

// extractResources copies every file of the jar under resources/ into
// dest/resources/..., as Storm's extract-dir-from-jar does, but refusing
// names that are absolute or climb out of resources/ ("..", "\", NUL), and
// stopping at maxBytes of output or maxResourceEntries files. Entry sizes in
// the archive are not trusted: output is counted as it is written. Only
// regular files and directories are created (a symlink entry becomes a file
// holding its target, as in Storm). A file with an execute bit stays
// executable.
func extractResources(jar, dest string, maxBytes int64) (files int, err error) {
	zr, err := zip.OpenReader(jar)
	if errors.Is(err, zip.ErrInsecurePath) {
		err = nil // every name is checked below
	}
	if err != nil {
		if errors.Is(err, zip.ErrFormat) {
			return 0, fmt.Errorf("%s: %w", jar, errNotZip)
		}
		return 0, err
	}
	defer zr.Close()
	budget := maxBytes
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, resourcesDir+"/") {
			continue
		}
		rel, err := resourceName(f.Name)
		if err != nil {
			return files, err
		}
		if rel == "" {
			continue
		}
		target := filepath.Join(dest, filepath.FromSlash(rel))
		if f.FileInfo().IsDir() || strings.HasSuffix(f.Name, "/") {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return files, err
			}
			continue
		}
		if files++; files > maxResourceEntries {
			return files, fmt.Errorf("jar %s: more than %d resource files", jar, maxResourceEntries)
		}
		n, err := extractFile(f, target, budget)
		if err != nil {
			return files, err
		}
		budget -= n
	}
	return files, nil
}

// resourceName validates an entry name under resources/ and returns it
// cleaned ("" for the resources/ directory itself).
func resourceName(name string) (string, error) {
	bad := strings.ContainsAny(name, "\\\x00") || strings.HasPrefix(name, "/")
	for _, el := range strings.Split(name, "/") {
		if el == ".." {
			bad = true
		}
	}
	clean := path.Clean(name)
	if bad || !filepath.IsLocal(filepath.FromSlash(clean)) {
		return "", fmt.Errorf("refusing jar entry %q: path leaves resources/", name)
	}
	if clean == resourcesDir {
		return "", nil
	}
	if !strings.HasPrefix(clean, resourcesDir+"/") {
		return "", fmt.Errorf("refusing jar entry %q: path leaves resources/", name)
	}
	return clean, nil
}

func extractFile(f *zip.File, target string, budget int64) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return 0, err
	}
	rc, err := f.Open()
	if err != nil {
		return 0, fmt.Errorf("jar entry %q: %w", f.Name, err)
	}
	defer rc.Close()
	mode := os.FileMode(0o644)
	if f.Mode()&0o111 != 0 {
		mode = 0o755
	}
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(rc, budget))
	cerr := out.Close()
	if err == nil && n == budget {
		// At the limit: the entry must end here.
		var one [1]byte
		if m, _ := io.ReadFull(rc, one[:]); m > 0 {
			return n, fmt.Errorf("jar entry %q: %w", f.Name, errTooLarge)
		}
	}
	switch {
	case err != nil:
		return n, fmt.Errorf("jar entry %q: %w", f.Name, err)
	case cerr != nil:
		return n, cerr
	}
	return n, nil
}
