package workerproc

import (
	"slices"
	"testing"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want Args
		err  bool
	}{
		{name: "plain", args: []string{"wc-1-2", "sup", "6700", "w1"},
			want: Args{StormID: "wc-1-2", AssignmentID: "sup", Port: 6700, WorkerID: "w1"}},
		{name: "flags anywhere", args: []string{"-c", "a=1", "wc-1-2", "sup", "--config", "/x.yaml", "6701", "w1", "-c", "storm.local.dir=/l"},
			want: Args{StormID: "wc-1-2", AssignmentID: "sup", Port: 6701, WorkerID: "w1", ConfOpts: []string{"a=1", "storm.local.dir=/l"}, ConfFile: "/x.yaml"}},
		{name: "too few", args: []string{"wc", "sup", "6700"}, err: true},
		{name: "too many", args: []string{"wc", "sup", "6700", "w", "x"}, err: true},
		{name: "bad port", args: []string{"wc", "sup", "http", "w"}, err: true},
		{name: "port zero", args: []string{"wc", "sup", "0", "w"}, err: true},
		{name: "empty id", args: []string{"", "sup", "6700", "w"}, err: true},
		{name: "dangling -c", args: []string{"wc", "sup", "6700", "w", "-c"}, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseArgs(tt.args)
			if tt.err {
				if err == nil {
					t.Fatalf("ParseArgs(%q) = %+v, want an error", tt.args, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.StormID != tt.want.StormID || got.AssignmentID != tt.want.AssignmentID || got.Port != tt.want.Port ||
				got.WorkerID != tt.want.WorkerID || got.ConfFile != tt.want.ConfFile || !slices.Equal(got.ConfOpts, tt.want.ConfOpts) {
				t.Errorf("ParseArgs(%q) = %+v, want %+v", tt.args, got, tt.want)
			}
		})
	}
}
