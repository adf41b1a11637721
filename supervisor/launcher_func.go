package supervisor

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// WorkerFunc runs one worker in-process until ctx is cancelled (a kill) or
// the worker fails. It must write the worker's LocalState heartbeats like a
// worker process does.
type WorkerFunc func(ctx context.Context, spec WorkerSpec) error

// FuncLauncher runs workers as goroutines of this process: the embedded
// `storm dev` cluster, where workers share the in-memory cluster state.
// Kill cancels the worker's context. A worker's context does not descend
// from the supervisor's, so stopping a Supervisor leaves its workers
// running; KillAll ends them (the embedded cluster's teardown).
type FuncLauncher struct {
	run WorkerFunc

	mu      sync.Mutex
	workers map[string]*funcWorker
}

var _ WorkerLookup = (*FuncLauncher)(nil)

// NewFuncLauncher returns a launcher that runs workers with run.
func NewFuncLauncher(run WorkerFunc) *FuncLauncher {
	return &FuncLauncher{run: run, workers: map[string]*funcWorker{}}
}

// Launch starts the worker goroutine. A panic in it ends the worker with an
// error instead of the process.
func (l *FuncLauncher) Launch(ctx context.Context, spec WorkerSpec) (Worker, error) {
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	w := &funcWorker{cancel: cancel, done: make(chan struct{})}
	l.mu.Lock()
	l.workers[spec.WorkerID] = w
	l.mu.Unlock()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				w.err = fmt.Errorf("supervisor: worker %s panicked: %v\n%s", spec.WorkerID, r, debug.Stack())
			}
			cancel()
			close(w.done)
			l.mu.Lock()
			if l.workers[spec.WorkerID] == w {
				delete(l.workers, spec.WorkerID)
			}
			l.mu.Unlock()
		}()
		w.err = l.run(wctx, spec)
	}()
	return w, nil
}

// Lookup returns a running worker by id.
func (l *FuncLauncher) Lookup(workerID string) (Worker, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.workers[workerID]
	return w, ok
}

// KillAll cancels every running worker and waits until ctx is done or all
// have returned.
func (l *FuncLauncher) KillAll(ctx context.Context) error {
	l.mu.Lock()
	ws := make([]*funcWorker, 0, len(l.workers))
	for _, w := range l.workers {
		ws = append(ws, w)
	}
	l.mu.Unlock()
	for _, w := range ws {
		w.cancel()
	}
	for _, w := range ws {
		select {
		case <-w.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

type funcWorker struct {
	cancel context.CancelFunc
	done   chan struct{}
	err    error // set before done is closed
}

func (w *funcWorker) PID() int              { return 0 }
func (w *funcWorker) Done() <-chan struct{} { return w.done }
func (w *funcWorker) Kill(bool) error       { w.cancel(); return nil }

func (w *funcWorker) Wait() error {
	<-w.done
	return w.err
}
