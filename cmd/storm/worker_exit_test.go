package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/galeproject/gale/shellhost"
)

func TestWorkerExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code int
		ok   bool
	}{
		{"nil", nil, 0, false},
		{"other failure", errors.New("boom"), 0, false},
		{"shell died", fmt.Errorf("worker: executor split: %w", &shellhost.FatalError{Component: "split", ExitCode: 3}), 11, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, ok := workerExitCode(tc.err)
			if code != tc.code || ok != tc.ok {
				t.Errorf("workerExitCode = %d, %v; want %d, %v", code, ok, tc.code, tc.ok)
			}
		})
	}
}
