package worker

import (
	"sync"
	"sync/atomic"
)

// flag is a boolean that goroutines read cheaply and can wait on: Changed returns a channel that
// is closed at the next change. Read the channel before the value to never miss a change.
type flag struct {
	v  atomic.Bool
	mu sync.Mutex // serializes Set
	ch atomic.Pointer[chan struct{}]
}

func newFlag() *flag {
	f := &flag{}
	ch := make(chan struct{})
	f.ch.Store(&ch)
	return f
}

func (f *flag) Get() bool { return f.v.Load() }

// Set stores v and wakes waiters if it changed.
func (f *flag) Set(v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.v.Load() == v {
		return
	}
	f.v.Store(v) // before the new channel is published: a reader of the new channel sees v
	close(*f.ch.Load())
	ch := make(chan struct{})
	f.ch.Store(&ch)
}

// Changed returns a channel closed at the next change.
func (f *flag) Changed() <-chan struct{} { return *f.ch.Load() }
