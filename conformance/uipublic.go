package conformance

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Where the Storm UI 1.0.0 front end comes from. Storm ships it only in its
// release tarball (public/), which no package registry carries, and Gale
// does not commit Storm's files; so a run finds it here, or the browser
// case is reported as a known gap.
const (
	// UIPublicEnv names a Storm 1.0.0 release's public/ directory.
	UIPublicEnv = "GALE_STORM_UI_PUBLIC"
	// StormGitEnv names an apache/storm git directory with the v1.0.0 tag;
	// the front end is read from storm-core/src/ui/public at that tag.
	StormGitEnv = "GALE_STORM_GIT_DIR"
	// devStormGit is where a developer session keeps its copy of Storm's
	// repository.
	devStormGit = "/work/.mirror/apache+storm/repo"
)

// UIPublicDir returns a directory holding the Storm UI 1.0.0 front end,
// extracting it under scratch when it comes from a git directory; "" when
// none is available.
func UIPublicDir(scratch string) (string, error) {
	if d := os.Getenv(UIPublicEnv); d != "" {
		if _, err := os.Stat(filepath.Join(d, "index.html")); err != nil {
			return "", fmt.Errorf("%s=%s: %w", UIPublicEnv, d, err)
		}
		return filepath.Abs(d)
	}
	gitDir := os.Getenv(StormGitEnv)
	if gitDir == "" {
		if _, err := os.Stat(devStormGit); err != nil {
			return "", nil
		}
		gitDir = devStormGit
	}
	const prefix = "storm-core/src/ui/public"
	var out, errOut bytes.Buffer
	cmd := exec.Command("git", "--git-dir", gitDir, "archive", "--format=tar", "v1.0.0", prefix)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git archive of %s in %s: %w: %s", prefix, gitDir, err, errOut.String())
	}
	if err := untar(&out, scratch); err != nil {
		return "", fmt.Errorf("extract the Storm UI front end: %w", err)
	}
	return filepath.Join(scratch, prefix), nil
}

// untar writes the regular files and directories of a tar stream under dir,
// refusing names that leave it.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Clean(h.Name)
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			return fmt.Errorf("tar entry %q leaves the target directory", h.Name)
		}
		path := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(path, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
}
