package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/galeproject/gale/worker/internal/routine"
)

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("transport: client closed")

// ErrTooLarge is returned by Send for a payload above MaxMessageBytes (the receiver would close
// the connection).
var ErrTooLarge = errors.New("transport: message too large")

var (
	errClosing = errors.New("client closing")
	errBroken  = errors.New("connection broken")
)

// ClientStats are cumulative counters of a Client, updated once per batch.
type ClientStats struct {
	Sent       int64 // messages written to a connection
	SentBytes  int64 // bytes written, framing included
	Batches    int64 // writes
	Dropped    int64 // messages dropped because the client was not connected
	Connects   int64 // successful connections
	SendWaits  int64 // Sends that had to wait for buffer space (backpressure)
	ReadFrames int64 // messages received from the server
}

// Client sends task messages to one remote worker, reconnecting as needed. Its methods are safe
// for concurrent use.
type Client struct {
	addr string
	opts Options
	g    routine.Group

	mu        sync.Mutex
	pending   []byte // frames not yet taken by the writer
	pendingN  int64  // messages in pending
	curBatch  int    // bytes since the last EOB in pending
	spare     []byte // a drained buffer kept for reuse
	connected bool
	closing   bool
	conn      net.Conn      // current connection (for the hard stop)
	space     chan struct{} // closed and replaced when buffer space frees up
	waiters   int           // Sends waiting on space
	// tryWaiters: a TrySendBatch was refused and waits on space.
	tryWaiters bool
	// holdUntil, while the writer waits for a fuller batch, is the pending size that ends the
	// wait; appends below it do not wake the writer. 0 otherwise.
	holdUntil int

	wake      chan struct{} // capacity 1: the writer has work
	closingCh chan struct{} // closed by Close
	stop      chan struct{} // closed on hard stop
	stopOnce  sync.Once
	done      chan struct{} // closed when the run loop returns

	sent, sentBytes, batches, dropped, connects, sendWaits, readFrames atomic.Int64
}

// Dial returns a client for the worker at addr (host:port) and starts connecting in the
// background. Messages sent before the connection is ready are dropped (see Ready).
func Dial(addr string, opts Options) *Client {
	c := &Client{
		addr:      addr,
		opts:      opts.withDefaults(),
		space:     make(chan struct{}),
		wake:      make(chan struct{}, 1),
		closingCh: make(chan struct{}),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}
	c.opts.Logger = c.opts.Logger.With("peer", addr)
	c.g.Go("client "+addr, c.run)
	return c
}

// Addr returns the remote address the client sends to.
func (c *Client) Addr() string { return c.addr }

// Ready reports whether the client is connected (Storm activates spouts and bolts only when every
// outbound connection is ready).
func (c *Client) Ready() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connected && !c.closing
}

// Stats returns the counters.
func (c *Client) Stats() ClientStats {
	return ClientStats{
		Sent: c.sent.Load(), SentBytes: c.sentBytes.Load(), Batches: c.batches.Load(), Dropped: c.dropped.Load(),
		Connects: c.connects.Load(), SendWaits: c.sendWaits.Load(), ReadFrames: c.readFrames.Load(),
	}
}

// Send queues one message; the payload is copied. It blocks while the buffer is full, until there
// is room, ctx is done (returning ctx.Err()) or the client is closed (ErrClosed). While the client is
// not connected the message is dropped and counted, and Send returns nil.
func (c *Client) Send(ctx context.Context, task int32, payload []byte) error {
	return c.SendBatch(ctx, []Message{{Task: task, Payload: payload}})
}

// SendBatch queues msgs in order, as Send does for each.
func (c *Client) SendBatch(ctx context.Context, msgs []Message) error {
	if err := c.check(msgs); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 0; i < len(msgs); {
		if c.closing {
			return ErrClosed
		}
		if !c.connected {
			c.dropped.Add(int64(len(msgs) - i))
			return nil
		}
		size := MessageSize(len(msgs[i].Payload))
		if len(c.pending) > 0 && (len(c.pending)+size > c.opts.QueueBytes || c.fullOfMessages()) {
			if err := c.waitSpace(ctx); err != nil {
				return err
			}
			continue
		}
		c.appendLocked(msgs[i])
		i++
	}
	return nil
}

// TrySendBatch queues msgs, as SendBatch does, if less than QueueBytes are buffered (the batch
// may overshoot the bound by its own size). Otherwise it queues nothing and returns a channel
// that is closed when the writer frees space; the caller retries then. It never blocks, which is
// what a spout's executor needs: it must keep taking acks while a peer is slow.
func (c *Client) TrySendBatch(msgs []Message) (bool, <-chan struct{}, error) {
	if err := c.check(msgs); err != nil {
		return false, nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closing:
		return false, nil, ErrClosed
	case !c.connected:
		c.dropped.Add(int64(len(msgs)))
		return true, nil, nil
	case len(c.pending) > 0 && (len(c.pending) >= c.opts.QueueBytes || c.fullOfMessages()):
		c.tryWaiters = true
		c.sendWaits.Add(1)
		return false, c.space, nil
	}
	for _, m := range msgs {
		c.appendLocked(m)
	}
	return true, nil, nil
}

// fullOfMessages reports whether QueueMessages are buffered; c.mu is held.
func (c *Client) fullOfMessages() bool {
	return c.opts.QueueMessages > 0 && c.pendingN >= int64(c.opts.QueueMessages)
}

func (c *Client) check(msgs []Message) error {
	for _, m := range msgs {
		if err := CheckTask(m.Task); err != nil {
			return err
		}
		if len(m.Payload) > c.opts.MaxMessageBytes {
			return fmt.Errorf("%w: %d bytes", ErrTooLarge, len(m.Payload))
		}
	}
	return nil
}

// appendLocked frames m into the pending buffer and wakes the writer unless it is lingering for
// more (it then wakes itself, or is woken when the buffer reaches the size that ends its wait).
// c.mu is held.
func (c *Client) appendLocked(m Message) {
	size := MessageSize(len(m.Payload))
	if c.curBatch > 0 && c.curBatch+size > c.opts.BatchBytes {
		c.pending = AppendEOB(c.pending)
		c.curBatch = 0
	}
	c.pending, _ = AppendMessage(c.pending, m.Task, m.Payload)
	c.curBatch += size
	c.pendingN++
	if c.holdUntil > 0 && len(c.pending) < c.holdUntil {
		return
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// waitSpace waits, with c.mu released, until the writer frees buffer space.
func (c *Client) waitSpace(ctx context.Context) error {
	ch := c.space
	c.waiters++
	c.mu.Unlock()
	c.sendWaits.Add(1)
	var err error
	select {
	case <-ch:
	case <-ctx.Done():
		err = ctx.Err()
	case <-c.stop:
		err = ErrClosed
	}
	c.mu.Lock()
	c.waiters--
	return err
}

// notifySpace wakes Sends waiting for space; c.mu is held.
func (c *Client) notifySpace() {
	if c.waiters > 0 || c.tryWaiters {
		c.tryWaiters = false
		close(c.space)
		c.space = make(chan struct{})
	}
}

// run is the connection loop: connect, write until the connection breaks, drop what was buffered,
// back off, reconnect — until Close.
func (c *Client) run() {
	defer close(c.done)
	dialCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // cancel a dial in progress on Close
		select {
		case <-c.closingCh:
		case <-c.done:
		}
		cancel()
	}()
	var d net.Dialer
	attempt := 0
	for {
		if attempt > 0 {
			t := time.NewTimer(c.opts.backoff(attempt))
			select {
			case <-t.C:
			case <-c.closingCh:
				t.Stop()
				return
			}
		}
		conn, err := d.DialContext(dialCtx, "tcp", c.addr)
		if err != nil {
			if c.isClosing() {
				return
			}
			attempt++
			c.opts.Logger.Debug("transport connect failed", "attempt", attempt, "err", err)
			continue
		}
		tuneConn(conn, c.opts)
		c.mu.Lock()
		if c.closing {
			c.mu.Unlock()
			conn.Close()
			return
		}
		c.connected, c.conn = true, conn
		c.mu.Unlock()
		c.connects.Add(1)
		c.opts.Logger.Info("transport connected")

		broken := make(chan struct{})
		var readErr error
		c.g.Go("client read "+c.addr, func() {
			defer close(broken)
			readErr = readFrames(conn, c.opts, c.fromServer)
		})
		werr := c.writeLoop(conn, broken)

		c.mu.Lock()
		c.connected, c.conn = false, nil
		if c.pendingN > 0 {
			c.dropped.Add(c.pendingN)
		}
		c.pending, c.pendingN, c.curBatch = c.pending[:0], 0, 0
		c.notifySpace()
		closing := c.closing
		c.mu.Unlock()
		conn.Close()
		<-broken

		if errors.Is(werr, errClosing) || (closing && errors.Is(werr, net.ErrClosed)) {
			return
		}
		err = werr
		if errors.Is(werr, errBroken) {
			err = readErr
		}
		if err == nil {
			err = errors.New("connection closed by peer")
		}
		c.opts.Logger.Warn("transport connection lost", "err", err)
		c.opts.reportError(c.addr, err)
		attempt = 1
	}
}

func (c *Client) isClosing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing
}

func (c *Client) fromServer(msgs []Message) {
	c.readFrames.Add(int64(len(msgs)))
	if c.opts.FromServer != nil {
		c.opts.FromServer(nil, msgs)
	}
}

// holdFor says how long the writer waits for a fuller batch before writing what is buffered, and
// the buffered size that ends the wait early (see Options.FlushInterval and Linger). c.mu is held.
func (c *Client) holdFor(lastWrite time.Time) (time.Duration, int) {
	if c.closing {
		return 0, 0
	}
	if c.opts.FlushInterval > 0 {
		if len(c.pending) < c.opts.BatchBytes {
			return c.opts.FlushInterval, c.opts.BatchBytes
		}
		return 0, 0
	}
	if c.opts.Linger <= 0 || len(c.pending) >= c.opts.LingerBytes || lastWrite.IsZero() {
		return 0, 0
	}
	since := time.Since(lastWrite)
	if since >= c.opts.Linger {
		return 0, 0
	}
	return c.opts.Linger - since, c.opts.LingerBytes
}

// writeLoop writes batches until the connection breaks or the client is closed with nothing left
// to flush (errClosing).
func (c *Client) writeLoop(conn net.Conn, broken <-chan struct{}) error {
	var flush *time.Timer
	var lastWrite time.Time
	for {
		c.mu.Lock()
		for len(c.pending) == 0 {
			if c.closing {
				c.mu.Unlock()
				return errClosing
			}
			c.mu.Unlock()
			select {
			case <-c.wake:
			case <-c.closingCh:
			case <-broken:
				return errBroken
			}
			c.mu.Lock()
		}
		if wait, enough := c.holdFor(lastWrite); wait > 0 {
			c.holdUntil = enough
			c.mu.Unlock()
			if flush == nil {
				flush = time.NewTimer(wait)
			} else {
				flush.Reset(wait)
			}
		wait:
			for {
				select {
				case <-flush.C:
					break wait
				case <-c.wake:
					c.mu.Lock()
					full := len(c.pending) >= enough || c.closing
					c.mu.Unlock()
					if full {
						flush.Stop()
						break wait
					}
				case <-c.closingCh:
					flush.Stop()
					break wait
				case <-broken:
					flush.Stop()
					c.mu.Lock()
					c.holdUntil = 0
					c.mu.Unlock()
					return errBroken
				}
			}
			c.mu.Lock()
			c.holdUntil = 0
		}
		buf, n := c.pending, c.pendingN
		c.pending, c.pendingN, c.curBatch = c.spare[:0], 0, 0
		c.spare = nil
		c.notifySpace()
		c.mu.Unlock()

		buf = AppendEOB(buf)
		lastWrite = time.Now()
		if _, err := conn.Write(buf); err != nil {
			c.dropped.Add(n)
			return fmt.Errorf("write: %w", err)
		}
		c.sent.Add(n)
		c.sentBytes.Add(int64(len(buf)))
		c.batches.Add(1)

		c.mu.Lock()
		if c.spare == nil && cap(buf) <= 2*c.opts.QueueBytes {
			c.spare = buf[:0]
		}
		c.mu.Unlock()
	}
}

// Close stops the client. Soft stop first: new Sends fail with ErrClosed and what is buffered is
// flushed if the client is connected. If ctx ends before that finishes, the hard stop closes the
// connection and drops the rest. Close returns when the client's goroutines have ended.
func (c *Client) Close(ctx context.Context) error {
	c.mu.Lock()
	if !c.closing {
		c.closing = true
		close(c.closingCh)
		c.notifySpace()
	}
	c.mu.Unlock()
	select {
	case <-c.done:
	case <-ctx.Done():
		c.hardStop()
		<-c.done
	}
	return c.g.Wait(context.WithoutCancel(ctx))
}

func (c *Client) hardStop() {
	c.stopOnce.Do(func() {
		close(c.stop)
		c.mu.Lock()
		if c.conn != nil {
			c.conn.Close()
		}
		c.mu.Unlock()
	})
}
