package worker

import (
	"context"
	"log/slog"
	"math"
	"net"
	"strconv"
	"time"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/worker/transport"
	"github.com/galeproject/gale/worker/tuple"
)

// remote is the connection to one peer worker. Executors hand their encoded batches straight to
// its transport client: TrySendBatch (never blocks; spouts) or SendBatch (waits for room; bolts).
type remote struct {
	ep     endpoint
	addr   string
	client *transport.Client
}

// remoteTable maps remote tasks to their connections. It is replaced, never modified, on every
// refresh; executors load it atomically per tuple.
type remoteTable struct {
	byTask     map[int32]*remote
	byEndpoint map[endpoint]*remote
}

func (w *worker) remoteFor(task int32) *remote { return w.remotes.Load().byTask[task] }

// ConfMessagingLingerMicros is Gale's topology setting for transport.Options.Linger, in
// microseconds (default off). Lingering coalesces a steady trickle of small batches to a peer
// into fewer writes: at 80,000 tuples/s between two workers it cuts CPU per tuple about five
// times, but adds up to a millisecond per hop, since the Go runtime sleeps in whole
// milliseconds when idle — which is why it is off unless a topology asks for it.
const ConfMessagingLingerMicros = "gale.messaging.linger.micros"

func transportOptions(c conf.Conf, log *slog.Logger) transport.Options {
	return transport.Options{
		BatchBytes:        int(c.IntOr(conf.StormNettyMessageBatchSize, 262144)),
		MinWait:           time.Duration(c.IntOr(conf.StormMessagingNettyMinSleepMs, 100)) * time.Millisecond,
		MaxWait:           time.Duration(c.IntOr(conf.StormMessagingNettyMaxSleepMs, 1000)) * time.Millisecond,
		SocketBufferBytes: int(c.IntOr(conf.StormMessagingNettyBufferSize, 0)),
		QueueMessages:     int(c.IntOr(conf.TopologyTransferBufferSize, 1024)),
		Linger:            time.Duration(c.IntOr(ConfMessagingLingerMicros, 0)) * time.Microsecond,
		Logger:            log,
	}
}

// refreshConnections connects to every worker that hosts a task this worker sends to (Storm's
// mk-refresh-connections) and drops connections no longer needed.
func (w *worker) refreshConnections(a *stormthrift.Assignment) {
	w.remoteMu.Lock()
	defer w.remoteMu.Unlock()
	eps := taskEndpoints(a)
	self := endpoint{node: w.cfg.AssignmentID, port: w.cfg.Port}
	old := w.remotes.Load()
	next := &remoteTable{byTask: map[int32]*remote{}, byEndpoint: map[endpoint]*remote{}}
	for _, task := range w.outbound {
		ep, ok := eps[task]
		if !ok || ep == self {
			continue
		}
		host := a.NodeHost[ep.node]
		if host == "" {
			w.log.Warn("no host for node", "node", ep.node)
			continue
		}
		addr := net.JoinHostPort(host, strconv.Itoa(ep.port))
		r := next.byEndpoint[ep]
		if r == nil {
			if o := old.byEndpoint[ep]; o != nil && o.addr == addr {
				r = o
			} else {
				r = w.dial(ep, addr)
			}
			next.byEndpoint[ep] = r
		}
		next.byTask[task] = r
	}
	w.remotes.Store(next)
	for ep, r := range old.byEndpoint {
		if next.byEndpoint[ep] != r {
			w.log.Info("closing connection", "peer", r.addr)
			w.closeRemote(r)
		}
	}
}

func (w *worker) dial(ep endpoint, addr string) *remote {
	w.log.Info("connecting", "node", ep.node, "port", ep.port, "addr", addr)
	return &remote{ep: ep, addr: addr, client: transport.Dial(addr, w.topts)}
}

// closeRemote closes r's client in the background: what it holds is flushed within the grace
// period. Executors that still hold r drop what they send to it (the tuples time out and replay).
func (w *worker) closeRemote(r *remote) {
	w.tg.Go("close "+r.addr, func() {
		ctx, cancel := context.WithTimeout(w.xferCtx, transportGrace)
		defer cancel()
		_ = r.client.Close(ctx)
	})
}

// waitConnectionsReady marks the worker ready once every outbound connection is up (Storm
// activates spouts and bolts only then; messages sent earlier would be dropped).
func (w *worker) waitConnectionsReady() {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		ready := true
		for _, r := range w.remotes.Load().byEndpoint {
			if !r.client.Ready() {
				ready = false
				break
			}
		}
		if ready {
			w.log.Info("all connections are ready")
			w.connsReady.Store(true)
			w.updateActive()
			return
		}
		select {
		case <-t.C:
		case <-w.ctx.Done():
			return
		}
	}
}

// connState is the receive state of one inbound connection, used only by its read goroutine.
type connState struct {
	codec   *tuple.GaleCodec
	batches [][]envelope // by executor index
	dirty   []int
}

func (w *worker) connState(from net.Addr) *connState {
	key := ""
	if from != nil {
		key = from.String()
	}
	w.connMu.Lock()
	defer w.connMu.Unlock()
	cs := w.conns[key]
	if cs == nil {
		if len(w.conns) >= 1024 { // forget closed connections; live ones recreate their state
			clear(w.conns)
		}
		cs = &connState{codec: tuple.NewGaleCodec(), batches: make([][]envelope, len(w.execs))}
		w.conns[key] = cs
	}
	return cs
}

// inTuple is a received tuple with room for the values and the anchor most tuples have: one
// allocation instead of three.
type inTuple struct {
	tuple.Tuple
	values [2]any
	anchor [1]tuple.Anchor
}

// receive is the transport handler: it decodes the messages of one read and hands them to the
// executors' inboxes without ever waiting, so a slow executor cannot stall a connection that also
// carries tuples (and acks) for others. Inboxes beyond their hard bound drop, and the congestion
// that precedes it throttles the spouts.
func (w *worker) receive(from net.Addr, msgs []transport.Message) {
	cs := w.connState(from)
	// Consecutive tuples mostly come from the same task and stream: remember the last lookup.
	lastTask, lastStream, lastComp, lastFields := int32(math.MinInt32), "", "", (*tuple.Fields)(nil)
	for _, m := range msgs {
		x := w.localExec(m.Task)
		if x == nil {
			w.log.Debug("message for a task this worker does not run", "task", m.Task)
			continue
		}
		it := &inTuple{}
		tp := &it.Tuple
		tp.Values, tp.ID = it.values[:0], it.anchor[:0]
		if err := cs.codec.Decode(m.Payload, tp); err != nil {
			w.log.Warn("undecodable tuple dropped", "task", m.Task, "err", err)
			continue
		}
		if tp.SourceTask != lastTask || tp.Stream != lastStream {
			lastComp = w.componentOf(tp.SourceTask)
			lastFields = w.topo.streamFields[lastComp][tp.Stream]
			lastTask, lastStream = tp.SourceTask, tp.Stream
		}
		comp := lastComp
		if comp == "" {
			w.log.Warn("tuple from an unknown task dropped", "source", tp.SourceTask)
			continue
		}
		tp.SourceComponent = comp
		tp.Fields = lastFields
		if len(cs.batches[x.idx]) == 0 {
			cs.dirty = append(cs.dirty, x.idx)
		}
		cs.batches[x.idx] = append(cs.batches[x.idx], envelope{task: m.Task, tuple: tp})
	}
	for _, i := range cs.dirty {
		if n := w.execs[i].inbox.PutNoWait(cs.batches[i]); n > 0 {
			w.log.Warn("executor inbox over its hard bound; tuples dropped", "executor", w.execs[i].id, "dropped", n)
		}
		clear(cs.batches[i])
		cs.batches[i] = cs.batches[i][:0]
	}
	cs.dirty = cs.dirty[:0]
}
