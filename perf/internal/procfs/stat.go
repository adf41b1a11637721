package procfs

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// ClockTicks is USER_HZ, the unit of the CPU and start times in /proc/<pid>/stat. Linux fixes it
// at 100 on every architecture the harness runs on.
const ClockTicks = 100

// Stat is the part of /proc/<pid>/stat the harness uses.
type Stat struct {
	PID       int
	Comm      string
	State     byte
	PPID      int
	PGID      int
	UTime     uint64 // clock ticks in user mode
	STime     uint64 // clock ticks in kernel mode
	StartTime uint64 // clock ticks after boot
	RSSPages  int64  // resident set size in pages
}

// CPUTicks is user plus system time, in clock ticks.
func (s Stat) CPUTicks() uint64 { return s.UTime + s.STime }

// ErrMalformed is wrapped by every parse error.
var ErrMalformed = errors.New("procfs: malformed stat")

// ParseStat parses the contents of /proc/<pid>/stat. The command name is in parentheses and may
// itself contain spaces and parentheses, so the fields after it are found from the last ')'.
func ParseStat(b []byte) (Stat, error) {
	var s Stat
	open := bytes.IndexByte(b, '(')
	closing := bytes.LastIndexByte(b, ')')
	if open < 1 || closing < open {
		return s, fmt.Errorf("%w: no command name", ErrMalformed)
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:open])))
	if err != nil {
		return s, fmt.Errorf("%w: pid: %v", ErrMalformed, err)
	}
	s.PID = pid
	s.Comm = string(b[open+1 : closing])
	// Fields after the name, numbered as in proc(5): 3 state, 4 ppid, 5 pgrp, ..., 14 utime,
	// 15 stime, 22 starttime, 24 rss.
	rest := bytes.Fields(b[closing+1:])
	const last = 24
	if len(rest) < last-2 {
		return s, fmt.Errorf("%w: %d fields after the name", ErrMalformed, len(rest))
	}
	field := func(n int) []byte { return rest[n-3] }
	if len(field(3)) != 1 {
		return s, fmt.Errorf("%w: state %q", ErrMalformed, field(3))
	}
	s.State = field(3)[0]
	ints := []struct {
		n   int
		dst *int
	}{{4, &s.PPID}, {5, &s.PGID}}
	for _, f := range ints {
		v, err := strconv.Atoi(string(field(f.n)))
		if err != nil {
			return s, fmt.Errorf("%w: field %d: %v", ErrMalformed, f.n, err)
		}
		*f.dst = v
	}
	uints := []struct {
		n   int
		dst *uint64
	}{{14, &s.UTime}, {15, &s.STime}, {22, &s.StartTime}}
	for _, f := range uints {
		v, err := strconv.ParseUint(string(field(f.n)), 10, 64)
		if err != nil {
			return s, fmt.Errorf("%w: field %d: %v", ErrMalformed, f.n, err)
		}
		*f.dst = v
	}
	rss, err := strconv.ParseInt(string(field(24)), 10, 64)
	if err != nil {
		return s, fmt.Errorf("%w: field 24: %v", ErrMalformed, err)
	}
	s.RSSPages = rss
	return s, nil
}

// ParseBootTime returns the btime line of /proc/stat, in seconds since the epoch.
func ParseBootTime(b []byte) (int64, error) {
	for _, line := range bytes.Split(b, []byte{'\n'}) {
		if v, ok := bytes.CutPrefix(line, []byte("btime ")); ok {
			n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("procfs: btime: %w", err)
			}
			return n, nil
		}
	}
	return 0, errors.New("procfs: no btime in /proc/stat")
}

// ParseCmdline splits the NUL-separated contents of /proc/<pid>/cmdline.
func ParseCmdline(b []byte) []string {
	b = bytes.TrimRight(b, "\x00")
	if len(b) == 0 {
		return nil
	}
	parts := bytes.Split(b, []byte{0})
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = string(p)
	}
	return out
}

// ParseCPUBusy returns the busy and total clock ticks of all CPUs from the first ("cpu ") line
// of /proc/stat: busy is user+nice+system+irq+softirq+steal, total adds idle and iowait.
func ParseCPUBusy(b []byte) (busy, total uint64, err error) {
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	f := bytes.Fields(line)
	if len(f) < 9 || string(f[0]) != "cpu" {
		return 0, 0, fmt.Errorf("%w: no cpu line in /proc/stat", ErrMalformed)
	}
	var v [8]uint64
	for i := range v {
		if v[i], err = strconv.ParseUint(string(f[i+1]), 10, 64); err != nil {
			return 0, 0, fmt.Errorf("%w: cpu field %d: %v", ErrMalformed, i+1, err)
		}
	}
	// user nice system idle iowait irq softirq steal
	busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
	return busy, busy + v[3] + v[4], nil
}
