package worker

import (
	"context"
	"time"
)

// errorReport is one error for /errors/<id>/<component>.
type errorReport struct {
	component string
	msg       string
	at        time.Time
}

// report queues an error for the cluster state without waiting (executors call it); when the
// queue is full the report is only logged.
func (w *worker) report(component, msg string) {
	select {
	case w.reports <- errorReport{component: component, msg: msg, at: w.clock.Now()}:
	default:
		w.log.Warn("error report queue full; not reported", "component", component, "err", msg)
	}
}

func (w *worker) writeReport(ctx context.Context, r errorReport) {
	if err := w.cfg.State.ReportError(ctx, w.cfg.StormID, r.component, w.host, w.cfg.Port, r.msg, r.at); err != nil {
		w.log.Warn("could not report error", "component", r.component, "err", err)
	}
}

// reportLoop writes queued errors until the worker stops.
func (w *worker) reportLoop() {
	for {
		select {
		case r := <-w.reports:
			// Not bound to w.ctx: the report that triggered a shutdown must still be written.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), cleanupTimeout)
			w.writeReport(ctx, r)
			cancel()
		case <-w.ctx.Done():
			return
		}
	}
}

// drainReports writes the errors still queued at shutdown (the fatal one among them).
func (w *worker) drainReports(ctx context.Context) {
	for {
		select {
		case r := <-w.reports:
			w.writeReport(ctx, r)
		default:
			return
		}
	}
}
