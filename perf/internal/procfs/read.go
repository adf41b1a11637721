package procfs

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// FS reads one /proc mount (normally "/proc").
type FS struct {
	Root     string
	bootTime time.Time
	pageSize int64
}

// Open reads the boot time from root/stat.
func Open(root string) (*FS, error) {
	b, err := os.ReadFile(filepath.Join(root, "stat"))
	if err != nil {
		return nil, fmt.Errorf("procfs: %w", err)
	}
	bt, err := ParseBootTime(b)
	if err != nil {
		return nil, err
	}
	return &FS{Root: root, bootTime: time.Unix(bt, 0), pageSize: int64(os.Getpagesize())}, nil
}

// Stat reads /proc/<pid>/stat.
func (fs *FS) Stat(pid int) (Stat, error) {
	b, err := os.ReadFile(filepath.Join(fs.Root, strconv.Itoa(pid), "stat"))
	if err != nil {
		return Stat{}, fmt.Errorf("procfs: %w", err)
	}
	return ParseStat(b)
}

// Cmdline reads /proc/<pid>/cmdline (empty for kernel threads and zombies).
func (fs *FS) Cmdline(pid int) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(fs.Root, strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return nil, fmt.Errorf("procfs: %w", err)
	}
	return ParseCmdline(b), nil
}

// All reads the stat of every process. Processes that exit while it runs are skipped.
func (fs *FS) All() (map[int]Stat, error) {
	ents, err := os.ReadDir(fs.Root)
	if err != nil {
		return nil, fmt.Errorf("procfs: %w", err)
	}
	out := make(map[int]Stat, len(ents))
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !e.IsDir() {
			continue
		}
		s, err := fs.Stat(pid)
		if err != nil {
			continue // gone, or unreadable
		}
		out[pid] = s
	}
	return out, nil
}

// StartTime converts a Stat's start time to wall-clock time (10 ms resolution).
func (fs *FS) StartTime(s Stat) time.Time {
	return fs.bootTime.Add(time.Duration(s.StartTime) * time.Second / ClockTicks)
}

// RSSBytes converts a Stat's resident set size to bytes.
func (fs *FS) RSSBytes(s Stat) int64 { return s.RSSPages * fs.pageSize }

// CPU converts clock ticks to a duration.
func CPU(ticks uint64) time.Duration { return time.Duration(ticks) * time.Second / ClockTicks }

// Tree returns roots and all their descendants present in procs, roots first, each once.
func Tree(procs map[int]Stat, roots []int) []int {
	children := map[int][]int{}
	for pid, s := range procs {
		children[s.PPID] = append(children[s.PPID], pid)
	}
	seen := map[int]bool{}
	var out []int
	queue := append([]int(nil), roots...)
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if seen[pid] {
			continue
		}
		seen[pid] = true
		if _, ok := procs[pid]; !ok {
			continue
		}
		out = append(out, pid)
		queue = append(queue, children[pid]...)
	}
	return out
}

// CPUBusy reads the machine's busy and total CPU ticks (all cores) from /proc/stat.
func (fs *FS) CPUBusy() (busy, total uint64, err error) {
	b, err := os.ReadFile(filepath.Join(fs.Root, "stat"))
	if err != nil {
		return 0, 0, fmt.Errorf("procfs: %w", err)
	}
	return ParseCPUBusy(b)
}
