package transport

import (
	"log/slog"
	"time"
)

// Options configure servers and clients. Zero fields take the defaults in parentheses, which are
// Storm 1.0.0's defaults where Storm has the setting.
type Options struct {
	// BatchBytes bounds the bytes between two EOB markers
	// (storm.messaging.netty.transfer.batch.size, 262144).
	BatchBytes int
	// QueueBytes bounds the bytes a client buffers before Send blocks (8 × BatchBytes).
	QueueBytes int
	// QueueMessages, when positive, also bounds the messages a client buffers before Send blocks
	// (the worker sets topology.transfer.buffer.size). A batch may overshoot it by its own size.
	QueueMessages int
	// FlushInterval lets the writer wait for a fuller batch: it writes when BatchBytes are
	// buffered or FlushInterval after the first buffered byte. 0 writes as soon as the writer is
	// free, which batches naturally under load without adding latency (0).
	FlushInterval time.Duration
	// Linger coalesces a steady trickle (FlushInterval 0): while less than LingerBytes are
	// buffered, the writer writes at most once per Linger. A burst over LingerBytes, or the first
	// message after a quiet Linger, goes out at once. It trades at most Linger of latency per
	// hop, at light load only, for one write (and one read at the peer) per batch instead of per
	// message (0: off).
	Linger time.Duration
	// LingerBytes: see Linger (16 KiB).
	LingerBytes int
	// MinWait and MaxWait bound the reconnect backoff, doubling from MinWait
	// (storm.messaging.netty.min_wait_ms 100 ms, max_wait_ms 1000 ms).
	MinWait, MaxWait time.Duration
	// MaxMessageBytes bounds one received payload (64 MiB).
	MaxMessageBytes int
	// ReadBufferBytes is the initial per-connection read buffer (64 KiB); it grows to fit the
	// largest frame seen.
	ReadBufferBytes int
	// SocketBufferBytes sets SO_RCVBUF/SO_SNDBUF when positive
	// (storm.messaging.netty.buffer_size is 5 MB; 0 leaves the OS default).
	SocketBufferBytes int
	// Logger receives connection events (slog.Default when nil).
	Logger *slog.Logger
	// OnError, when set, is called with the peer address and the error whenever a connection is
	// closed because of an error (garbage from a peer, I/O errors). It must not block.
	OnError func(peer string, err error)
	// FromServer, on a client, receives the messages the server sends back (Storm's load metrics,
	// task -1), from the client's read goroutine, with nil from; nil discards them.
	FromServer Handler
}

func (o Options) withDefaults() Options {
	if o.BatchBytes <= 0 {
		o.BatchBytes = 262144
	}
	if o.QueueBytes <= 0 {
		o.QueueBytes = 8 * o.BatchBytes
	}
	if o.LingerBytes <= 0 {
		o.LingerBytes = 16 << 10
	}
	if o.MinWait <= 0 {
		o.MinWait = 100 * time.Millisecond
	}
	if o.MaxWait <= 0 {
		o.MaxWait = time.Second
	}
	if o.MaxWait < o.MinWait {
		o.MaxWait = o.MinWait
	}
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if o.ReadBufferBytes <= 0 {
		o.ReadBufferBytes = 64 << 10
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

func (o Options) reportError(peer string, err error) {
	if o.OnError != nil {
		o.OnError(peer, err)
	}
}

// backoff returns the wait before reconnect attempt n (n >= 1).
func (o Options) backoff(n int) time.Duration {
	d := o.MinWait
	for i := 1; i < n && d < o.MaxWait; i++ {
		d *= 2
	}
	return min(d, o.MaxWait)
}
