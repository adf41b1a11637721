package bench

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/galeproject/gale/perf/internal/procfs"
)

// procInfo is what the sampler learned about a process the first time it saw it.
type procInfo struct {
	PID, PPID int
	Cmdline   []string
	Start     time.Time
	Role      Role
}

// sample is one reading of every process of the deployment (and of the extra processes).
type sample struct {
	T    time.Time
	Busy uint64         // the whole machine's busy clock ticks (all cores)
	CPU  map[int]uint64 // clock ticks, user + system
	RSS  map[int]int64  // bytes
}

// sampler reads /proc every interval until its context ends.
type sampler struct {
	fs       *procfs.FS
	roots    func() []int
	extra    []int // sampled but not part of the deployment (the shared ZooKeeper)
	classify func([]string) Role
	interval time.Duration

	mu      sync.Mutex
	infos   map[int]*procInfo
	samples []sample
}

func newSampler(fs *procfs.FS, roots func() []int, extra []int, classify func([]string) Role, interval time.Duration) *sampler {
	return &sampler{fs: fs, roots: roots, extra: extra, classify: classify, interval: interval, infos: map[int]*procInfo{}}
}

func (s *sampler) run(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		s.once(time.Now())
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *sampler) once(now time.Time) {
	all, err := s.fs.All()
	if err != nil {
		return
	}
	pids := procfs.Tree(all, s.roots())
	busy, _, _ := s.fs.CPUBusy()
	sm := sample{T: now, Busy: busy, CPU: map[int]uint64{}, RSS: map[int]int64{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, pid := range append(pids, s.extra...) {
		st, ok := all[pid]
		if !ok || st.State == 'Z' {
			continue
		}
		sm.CPU[pid] = st.CPUTicks()
		sm.RSS[pid] = s.fs.RSSBytes(st)
		if info, ok := s.infos[pid]; !ok || !info.Start.Equal(s.fs.StartTime(st)) {
			cmd, _ := s.fs.Cmdline(pid)
			s.infos[pid] = &procInfo{PID: pid, PPID: st.PPID, Cmdline: cmd, Start: s.fs.StartTime(st), Role: s.classify(cmd)}
		}
	}
	s.samples = append(s.samples, sm)
}

// usage is what the samples say about a window.
type usage struct {
	Elapsed       time.Duration
	MachineCPU    time.Duration         // busy time of the whole machine in the window
	CPU           map[int]time.Duration // per pid, within the window
	MeanRSS       map[int]int64         // per pid, over the window's samples it appears in
	ClusterRSS    float64               // mean over samples of the deployment's total
	ClusterRSSMax int64
	Groups        map[int][]int // worker pid -> the pids of its group (launcher, worker, children)
	WorkerRSS     float64       // mean over samples and workers of a group's total
	Infos         map[int]procInfo
}

// window computes usage between from and to for the deployment's processes (extra excluded
// from the totals but present in CPU and MeanRSS).
func (s *sampler) window(from, to time.Time) usage {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := usage{CPU: map[int]time.Duration{}, MeanRSS: map[int]int64{}, Groups: map[int][]int{}, Infos: map[int]procInfo{}}
	for pid, in := range s.infos {
		u.Infos[pid] = *in
	}
	base, end := -1, -1
	for i, sm := range s.samples {
		if !sm.T.After(from) {
			base = i
		}
		if !sm.T.After(to) {
			end = i
		}
	}
	if base < 0 {
		base = 0
	}
	if end <= base {
		return u
	}
	b, e := s.samples[base], s.samples[end]
	u.Elapsed = e.T.Sub(b.T)
	u.MachineCPU = procfs.CPU(e.Busy - min(b.Busy, e.Busy))
	last := map[int]uint64{}
	for _, sm := range s.samples[base : end+1] {
		for pid, c := range sm.CPU {
			last[pid] = c
		}
	}
	for pid, c := range last {
		u.CPU[pid] = procfs.CPU(c - min(b.CPU[pid], c)) // absent at the start: counted from 0
	}
	groups := s.groupsLocked(u.Infos)
	u.Groups = groups
	isExtra := map[int]bool{}
	for _, p := range s.extra {
		isExtra[p] = true
	}
	rssSum := map[int]int64{}
	rssN := map[int]int64{}
	var clusterSum float64
	var groupSum float64
	var groupN int
	n := 0
	for _, sm := range s.samples[base+1 : end+1] {
		var total int64
		for pid, r := range sm.RSS {
			rssSum[pid] += r
			rssN[pid]++
			if !isExtra[pid] {
				total += r
			}
		}
		clusterSum += float64(total)
		u.ClusterRSSMax = max(u.ClusterRSSMax, total)
		for _, members := range groups {
			var g int64
			for _, p := range members {
				g += sm.RSS[p]
			}
			if g > 0 {
				groupSum += float64(g)
				groupN++
			}
		}
		n++
	}
	for pid, sum := range rssSum {
		u.MeanRSS[pid] = sum / rssN[pid]
	}
	if n > 0 {
		u.ClusterRSS = clusterSum / float64(n)
	}
	if groupN > 0 {
		u.WorkerRSS = groupSum / float64(groupN)
	}
	return u
}

// groupsLocked assigns every process under a worker, and the worker's launcher parent, to that
// worker's group.
func (s *sampler) groupsLocked(infos map[int]procInfo) map[int][]int {
	groups := map[int][]int{}
	for pid, in := range infos {
		if in.Role != RoleWorker {
			continue
		}
		members := []int{pid}
		if p, ok := infos[in.PPID]; ok && p.Role == RoleLauncher {
			members = append(members, p.PID)
		}
		groups[pid] = members
	}
	// Descendants of a worker (multilang subprocesses).
	for pid, in := range infos {
		if in.Role == RoleWorker || in.Role == RoleLauncher {
			continue
		}
		for anc, hops := in.PPID, 0; anc > 1 && hops < 16; hops++ {
			if _, ok := groups[anc]; ok {
				groups[anc] = append(groups[anc], pid)
				break
			}
			a, ok := infos[anc]
			if !ok {
				break
			}
			anc = a.PPID
		}
	}
	for _, m := range groups {
		sort.Ints(m)
	}
	return groups
}

// launchTime is when the process that became worker pid was started: its launcher's start if
// it has one, else its own.
func launchTime(infos map[int]procInfo, pid int) (time.Time, bool) {
	in, ok := infos[pid]
	if !ok {
		return time.Time{}, false
	}
	if p, ok := infos[in.PPID]; ok && p.Role == RoleLauncher {
		return p.Start, true
	}
	return in.Start, true
}

// shortCmd names a process for the results: the main class or the program and its first args.
func shortCmd(cmd []string) string {
	if len(cmd) == 0 {
		return "?"
	}
	for i, a := range cmd {
		if strings.HasPrefix(a, "org.apache.") || strings.HasPrefix(a, "gale.perf.") {
			return strings.Join(cmd[i:min(len(cmd), i+2)], " ")
		}
	}
	base := cmd[0][strings.LastIndexByte(cmd[0], '/')+1:]
	return strings.Join(append([]string{base}, cmd[1:min(len(cmd), 3)]...), " ")
}
