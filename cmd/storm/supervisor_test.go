package main

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestWorkerFlags(t *testing.T) {
	abs, err := filepath.Abs("conf/storm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		g    globalArgs
		want []string
	}{
		{"none", globalArgs{}, nil},
		{"options in order", globalArgs{confOpts: []string{"a=1", "b=[2]"}}, []string{"-c", "a=1", "-c", "b=[2]"}},
		{"config file made absolute", globalArgs{confFile: "conf/storm.yaml", confOpts: []string{"x=y"}},
			[]string{"--config", abs, "-c", "x=y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := workerFlags(tt.g)
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("workerFlags = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
