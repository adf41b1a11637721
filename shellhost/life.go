package shellhost

import (
	"sync"
	"time"
)

// life is the shared end of a Bolt or Spout host: Close (an expected end)
// and a fatal death each happen once, Done closes after either, and Err
// says which.
type life struct {
	p         *process
	kind      string       // "ShellBolt" or "ShellSpout", in the log
	report    func(string) // the collector's ReportError
	killGrace time.Duration

	stop      chan struct{} // closed by Close
	closeOnce sync.Once
	done      chan struct{} // closed when dead or closed
	dieOnce   sync.Once
	err       error // set before done closes
	wg        sync.WaitGroup
}

func newLife(p *process, kind string, report func(string), killGrace time.Duration) life {
	return life{p: p, kind: kind, report: report, killGrace: killGrace,
		stop: make(chan struct{}), done: make(chan struct{})}
}

// Pid returns the subprocess's pid as it reported it.
func (l *life) Pid() int { return l.p.pid }

// Done is closed when the subprocess is dead (see Err) or closed.
func (l *life) Done() <-chan struct{} { return l.done }

// Err returns why the subprocess died (a *FatalError), ErrClosed after
// Close, or nil while it runs.
func (l *life) Err() error {
	select {
	case <-l.done:
		return l.err
	default:
		return nil
	}
}

// Close stops the subprocess (no error is reported for its end) and waits
// for the host's goroutines.
func (l *life) Close() error {
	l.closeOnce.Do(func() {
		close(l.stop)
		l.end(ErrClosed, false)
		l.p.kill(l.killGrace)
	})
	l.wg.Wait()
	return nil
}

// end records the end once: for a fatal error (report set) it logs and
// reports it before Done closes, then kills the child.
func (l *life) end(err error, report bool) {
	l.dieOnce.Do(func() {
		l.err = err
		if report {
			l.p.log.Error("Halting process: "+l.kind+" died", "err", err)
			l.report(err.Error())
			go l.p.kill(l.killGrace)
		}
		close(l.done)
	})
}

// fail makes err fatal unless the host is closing: reported to the
// collector, subprocess killed. It returns the error callers see.
func (l *life) fail(err error) error {
	select {
	case <-l.stop:
		return ErrClosed // closing: the end is expected
	default:
	}
	l.end(l.p.fatal(err), true)
	return l.err
}
