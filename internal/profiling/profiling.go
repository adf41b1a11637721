// Package profiling writes pprof CPU and allocation profiles of a whole
// process run when the environment asks for it. It is how the performance
// work profiles Gale's daemons and workers where they really run (started by
// a supervisor, in a process group of their own) without a debug port.
package profiling

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// EnvDir names the environment variable holding the directory profiles are
// written to. Unset or empty: no profiling.
const EnvDir = "GALE_PROFILE_DIR"

// Start begins a CPU profile into dir/<name>-<pid>.cpu.pprof when dir is not
// empty. The returned stop function ends it and writes the allocation profile
// (dir/<name>-<pid>.allocs.pprof); it is safe to call when dir was empty.
func Start(dir, name string) (stop func() error, err error) {
	if dir == "" {
		return func() error { return nil }, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("profiling: %w", err)
	}
	base := filepath.Join(dir, fmt.Sprintf("%s-%d", name, os.Getpid()))
	cpu, err := os.Create(base + ".cpu.pprof")
	if err != nil {
		return nil, fmt.Errorf("profiling: %w", err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return nil, fmt.Errorf("profiling: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := cpu.Close(); err != nil {
			return fmt.Errorf("profiling: %w", err)
		}
		f, err := os.Create(base + ".allocs.pprof")
		if err != nil {
			return fmt.Errorf("profiling: %w", err)
		}
		runtime.GC()
		werr := pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("profiling: %w", werr)
		}
		return nil
	}, nil
}
