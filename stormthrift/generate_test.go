package stormthrift

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedCodeIsCurrent regenerates the bindings from ../storm.thrift
// into a temporary directory and requires the committed files to match.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	if _, err := exec.LookPath("thrift"); err != nil {
		if os.Getenv("GALE_REQUIRE_THRIFT") == "1" {
			t.Fatalf("thrift compiler not found: %v", err)
		}
		t.Skip("thrift compiler not installed (Debian package thrift-compiler)")
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/thriftgen", "-idl", "../storm.thrift", "-out", out, "-drop", "Assignment")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("thriftgen: %v\n%s", err, b)
	}
	files, err := filepath.Glob(filepath.Join(out, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no generated files (%v)", err)
	}
	for _, f := range files {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Base(f))
		if err != nil {
			t.Fatalf("generated file %s is not committed: %v", filepath.Base(f), err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from `go generate` output; run go generate ./stormthrift", filepath.Base(f))
		}
	}
}
