package conformance

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
)

// StreamparseRequirements pins streamparse and its dependencies (relative
// to this package's directory).
const StreamparseRequirements = "testdata/streamparse/requirements.txt"

// StreamparseVenv returns the virtualenv scripts/lib.sh's
// ensure_streamparse builds from StreamparseRequirements —
// <cache>/streamparse-<first 16 hex digits of the file's sha256>, where
// cache is $GALE_CACHE_DIR, else <user cache dir>/gale — or "" when it is
// not there or its python cannot import streamparse. The suite installs
// nothing itself.
func StreamparseVenv() string {
	req, err := os.ReadFile(StreamparseRequirements)
	if err != nil {
		return ""
	}
	cache := os.Getenv("GALE_CACHE_DIR")
	if cache == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		cache = filepath.Join(base, "gale")
	}
	sum := sha256.Sum256(req)
	venv := filepath.Join(cache, "streamparse-"+hex.EncodeToString(sum[:])[:16])
	if _, err := os.Stat(filepath.Join(venv, ".gale-ok")); err != nil {
		return ""
	}
	python := filepath.Join(venv, "bin", "python")
	if exec.Command(python, "-c", "import streamparse, pystorm").Run() != nil {
		return ""
	}
	return venv
}
