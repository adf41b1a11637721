package main

import (
	"io"
	"sync"
)

// quietWriter forwards to w until stop; goroutines that log after the test
// ended cannot fail it.
type quietWriter struct {
	mu   sync.Mutex
	w    io.Writer
	done bool
}

func (q *quietWriter) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.done {
		return len(p), nil
	}
	return q.w.Write(p)
}

func (q *quietWriter) stop() {
	q.mu.Lock()
	q.done = true
	q.mu.Unlock()
}
