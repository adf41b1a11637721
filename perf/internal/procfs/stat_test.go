package procfs

import (
	"os"
	"slices"
	"testing"
)

const sampleStat = "4242 (java (worker) x) S 1 4242 4242 0 -1 4194560 123 0 0 0 1500 250 0 0 20 0 42 0 987654 3000000000 76543 18446744073709551615 1 1 0 0 0 0 0 4096 16384 0 0 0 17 1 0 0 0 0 0\n"

func TestParseStat(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Stat
		wantErr bool
	}{
		{name: "name with spaces and parens", in: sampleStat, want: Stat{PID: 4242, Comm: "java (worker) x", State: 'S',
			PPID: 1, PGID: 4242, UTime: 1500, STime: 250, StartTime: 987654, RSSPages: 76543}},
		{name: "empty", in: "", wantErr: true},
		{name: "truncated", in: "1 (init) S 0 1 1", wantErr: true},
		{name: "bad pid", in: "x (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 10 7", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStat([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseCmdlineAndBootTime(t *testing.T) {
	if got := ParseCmdline([]byte("java\x00-cp\x00a:b\x00Main\x00")); !slices.Equal(got, []string{"java", "-cp", "a:b", "Main"}) {
		t.Fatalf("cmdline = %q", got)
	}
	if got := ParseCmdline(nil); got != nil {
		t.Fatalf("empty cmdline = %q", got)
	}
	bt, err := ParseBootTime([]byte("cpu  1 2 3\nbtime 1700000000\nprocesses 5\n"))
	if err != nil || bt != 1700000000 {
		t.Fatalf("btime = %d, %v", bt, err)
	}
}

func TestTree(t *testing.T) {
	procs := map[int]Stat{1: {PID: 1}, 10: {PID: 10, PPID: 1}, 11: {PID: 11, PPID: 10}, 12: {PID: 12, PPID: 11}, 20: {PID: 20, PPID: 1}}
	got := Tree(procs, []int{10, 99})
	slices.Sort(got)
	if !slices.Equal(got, []int{10, 11, 12}) {
		t.Fatalf("Tree = %v", got)
	}
}

func TestReadSelf(t *testing.T) {
	fs, err := Open("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	s, err := fs.Stat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.PID != os.Getpid() || s.PPID != os.Getppid() || fs.RSSBytes(s) <= 0 {
		t.Fatalf("self stat = %+v", s)
	}
}

func FuzzParseStat(f *testing.F) {
	f.Add([]byte(sampleStat))
	f.Add([]byte("1 (a)) S"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseStat(b)
		if err == nil && s.PID < 0 && s.Comm == "" {
			t.Skip()
		}
		ParseCmdline(b)
		_, _ = ParseBootTime(b)
		_, _, _ = ParseCPUBusy(b)
	})
}

func TestParseCPUBusy(t *testing.T) {
	busy, total, err := ParseCPUBusy([]byte("cpu  100 5 50 1000 20 1 2 3 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n"))
	if err != nil || busy != 161 || total != 1181 {
		t.Fatalf("busy %d total %d err %v", busy, total, err)
	}
	if _, _, err := ParseCPUBusy([]byte("intr 1 2 3")); err == nil {
		t.Fatal("want error")
	}
}
