package main

import (
	"errors"
	"flag"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	idl := flag.String("idl", "../storm.thrift", "the IDL file")
	out := flag.String("out", ".", "the package directory to write")
	drop := flag.String("drop", "", "comma-separated struct names to leave to hand-written code")
	thrift := flag.String("thrift", "thrift", "the thrift compiler")
	flag.Parse()
	if err := run(*idl, *out, *drop, *thrift); err != nil {
		fmt.Fprintln(os.Stderr, "thriftgen:", err)
		os.Exit(1)
	}
}

func run(idl, out, drop, thrift string) error {
	src, err := os.ReadFile(idl)
	if err != nil {
		return fmt.Errorf("read idl: %w", err)
	}
	for _, name := range strings.Split(drop, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		src, err = dropStruct(src, name)
		if err != nil {
			return err
		}
	}
	tmp, err := os.MkdirTemp("", "thriftgen")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	in := filepath.Join(tmp, "storm.thrift")
	if err := os.WriteFile(in, src, 0o644); err != nil {
		return fmt.Errorf("write idl copy: %w", err)
	}
	gen := filepath.Join(tmp, "gen")
	if err := os.Mkdir(gen, 0o755); err != nil {
		return fmt.Errorf("mkdir: %w", err)
	}
	cmd := exec.Command(thrift, "--gen", "go:package=stormthrift,skip_remote", "-out", gen, in)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("thrift compiler: %w", err)
	}
	files, err := filepath.Glob(filepath.Join(gen, "stormthrift", "*.go"))
	if err != nil || len(files) == 0 {
		return errors.New("the compiler wrote no Go files")
	}
	for _, f := range files {
		base := filepath.Base(f)
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("read generated: %w", err)
		}
		if b, err = format.Source(b); err != nil {
			return fmt.Errorf("gofmt %s: %w", base, err)
		}
		if err := os.WriteFile(filepath.Join(out, base), b, 0o644); err != nil {
			return fmt.Errorf("write generated: %w", err)
		}
	}
	return nil
}

// dropStruct removes `struct NAME {` through its closing line `}` (and the
// comment lines directly above it) from an IDL.
func dropStruct(src []byte, name string) ([]byte, error) {
	lines := strings.SplitAfter(string(src), "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "struct "+name+" ") || strings.HasPrefix(l, "struct "+name+"{") {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("struct %s not found in the idl", name)
	}
	end := start
	for end < len(lines) && strings.TrimSpace(lines[end]) != "}" {
		end++
	}
	if end == len(lines) {
		return nil, fmt.Errorf("struct %s is not closed", name)
	}
	for start > 0 && strings.HasPrefix(lines[start-1], "//") {
		start--
	}
	return []byte(strings.Join(append(lines[:start:start], lines[end+1:]...), "")), nil
}
