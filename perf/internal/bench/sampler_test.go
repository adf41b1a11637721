package bench

import (
	"slices"
	"testing"
	"time"
)

func TestClassifyStorm(t *testing.T) {
	tests := []struct {
		cmd  []string
		want Role
	}{
		{[]string{"java", "-cp", "x", "org.apache.storm.LogWriter", "java", "-server", "org.apache.storm.daemon.worker", "id"}, RoleLauncher},
		{[]string{"java", "-server", "-cp", "x", "org.apache.storm.daemon.worker", "id", "sup", "6700", "wid"}, RoleWorker},
		{[]string{"java", "-server", "org.apache.storm.daemon.supervisor"}, RoleOther},
		{[]string{"node", "relay.js"}, RoleOther},
		{nil, RoleOther},
	}
	for _, tt := range tests {
		if got := classifyStorm(tt.cmd); got != tt.want {
			t.Errorf("classifyStorm(%q) = %v, want %v", tt.cmd, got, tt.want)
		}
	}
}

// A supervisor (10) with two slots: LogWriter 20 -> worker 21 -> node 22, LogWriter 30 -> worker 31.
func testSampler() *sampler {
	t0 := time.Unix(1000, 0)
	s := &sampler{infos: map[int]*procInfo{
		10: {PID: 10, PPID: 1, Role: RoleOther, Start: t0},
		20: {PID: 20, PPID: 10, Role: RoleLauncher, Start: t0.Add(1 * time.Second)},
		21: {PID: 21, PPID: 20, Role: RoleWorker, Start: t0.Add(1100 * time.Millisecond)},
		22: {PID: 22, PPID: 21, Role: RoleOther, Start: t0.Add(3 * time.Second)},
		30: {PID: 30, PPID: 10, Role: RoleLauncher, Start: t0.Add(2 * time.Second)},
		31: {PID: 31, PPID: 30, Role: RoleWorker, Start: t0.Add(2100 * time.Millisecond)},
		99: {PID: 99, PPID: 1, Role: RoleOther, Start: t0}, // ZooKeeper
	}, extra: []int{99}}
	const mb = 1 << 20
	for i := range 5 {
		cpu := map[int]uint64{10: uint64(10 * i), 20: 0, 21: uint64(100 * i), 30: 0, 31: uint64(50 * i), 99: uint64(i)}
		rss := map[int]int64{10: 200 * mb, 20: 60 * mb, 21: 400 * mb, 30: 60 * mb, 31: 300 * mb, 99: 50 * mb}
		if i >= 2 { // the multilang subprocess starts in the window
			cpu[22] = uint64(20 * (i - 1))
			rss[22] = 40 * mb
		}
		s.samples = append(s.samples, sample{T: t0.Add(time.Duration(10+i) * time.Second), CPU: cpu, RSS: rss})
	}
	return s
}

func TestSamplerWindow(t *testing.T) {
	s := testSampler()
	t0 := time.Unix(1000, 0)
	u := s.window(t0.Add(10*time.Second), t0.Add(14*time.Second))
	if u.Elapsed != 4*time.Second {
		t.Fatalf("elapsed %v", u.Elapsed)
	}
	wantCPU := map[int]time.Duration{10: 400 * time.Millisecond, 21: 4 * time.Second, 31: 2 * time.Second, 22: 600 * time.Millisecond, 99: 40 * time.Millisecond}
	for pid, want := range wantCPU {
		if u.CPU[pid] != want {
			t.Errorf("cpu[%d] = %v, want %v", pid, u.CPU[pid], want)
		}
	}
	if !slices.Equal(u.Groups[21], []int{20, 21, 22}) || !slices.Equal(u.Groups[31], []int{30, 31}) || len(u.Groups) != 2 {
		t.Fatalf("groups %v", u.Groups)
	}
	const mb = 1 << 20
	if want := float64(1020*mb + 30*mb); u.ClusterRSS != want { // samples 1..4, node (40 MB) in 3 of 4
		t.Errorf("cluster rss %.0f MB, want %.0f MB", u.ClusterRSS/mb, want/mb)
	}
	if lt, _ := launchTime(u.Infos, 21); !lt.Equal(t0.Add(time.Second)) {
		t.Errorf("launch of 21 = %v (want its LogWriter's start)", lt)
	}
}
