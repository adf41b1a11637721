package transport

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/galeproject/gale/worker/internal/routine"
)

// Handler receives the task messages of one connection, in order, from that connection's read
// goroutine. msgs and their payloads are valid only during the call (they alias the read buffer):
// decode or copy what you keep. A Handler that blocks stops reads from that connection only, which
// is how receive-side backpressure reaches the sender.
type Handler func(from net.Addr, msgs []Message)

// Server accepts connections from peer workers' clients on the worker port.
type Server struct {
	ln      net.Listener
	handler Handler
	opts    Options
	g       routine.Group

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool

	accepted, messages, bytes, protocolErrors atomic.Int64
}

// ServerStats are cumulative counters of a Server, updated once per delivered batch.
type ServerStats struct {
	Accepted       int64 // connections accepted
	Open           int64 // connections open now
	Messages       int64 // task messages delivered to the Handler
	Bytes          int64 // payload bytes delivered
	ProtocolErrors int64 // connections closed for bad framing
}

// Stats returns the counters.
func (s *Server) Stats() ServerStats {
	s.mu.Lock()
	open := int64(len(s.conns))
	s.mu.Unlock()
	return ServerStats{Accepted: s.accepted.Load(), Open: open, Messages: s.messages.Load(),
		Bytes: s.bytes.Load(), ProtocolErrors: s.protocolErrors.Load()}
}

// Listen listens on addr (host:port; port 0 picks a free one) and serves in the background.
func Listen(addr string, h Handler, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return Serve(ln, h, opts), nil
}

// Serve serves ln in the background; the Server owns ln from now on.
func Serve(ln net.Listener, h Handler, opts Options) *Server {
	s := &Server{ln: ln, handler: h, opts: opts.withDefaults(), conns: make(map[net.Conn]struct{})}
	s.g.Go("accept", s.acceptLoop)
	return s
}

// Addr returns the listening address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

func (s *Server) acceptLoop() {
	var delay time.Duration
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if s.isClosed() || errors.Is(err, net.ErrClosed) {
				return
			}
			// Temporary trouble (out of file descriptors …): back off and keep serving, as
			// net/http does.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			s.opts.Logger.Warn("transport accept failed", "addr", s.ln.Addr().String(), "err", err, "retry_in", delay)
			s.opts.reportError(s.ln.Addr().String(), err)
			time.Sleep(delay)
			continue
		}
		delay = 0
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			conn.Close()
			return
		}
		s.conns[conn] = struct{}{}
		s.mu.Unlock()
		s.accepted.Add(1)
		tuneConn(conn, s.opts)
		s.g.Go("serve "+conn.RemoteAddr().String(), func() { s.serveConn(conn) })
	}
}

func (s *Server) serveConn(conn net.Conn) {
	from := conn.RemoteAddr()
	log := s.opts.Logger.With("peer", from.String())
	log.Debug("transport connection accepted")
	err := readFrames(conn, s.opts, func(msgs []Message) {
		n := 0
		for _, m := range msgs {
			n += len(m.Payload)
		}
		s.messages.Add(int64(len(msgs)))
		s.bytes.Add(int64(n))
		s.handler(from, msgs)
	})
	if errors.Is(err, ErrProtocol) {
		s.protocolErrors.Add(1)
	}
	conn.Close()
	s.mu.Lock()
	delete(s.conns, conn)
	closed := s.closed
	s.mu.Unlock()
	if err != nil && !(closed && errors.Is(err, net.ErrClosed)) {
		log.Warn("transport connection closed", "err", err)
		s.opts.reportError(from.String(), err)
		return
	}
	log.Debug("transport connection ended")
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close stops accepting, closes every connection and waits for the server's goroutines until ctx
// is done (a Handler that never returns keeps its goroutine alive).
func (s *Server) Close(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		s.ln.Close()
		for c := range s.conns {
			c.Close()
		}
	}
	s.mu.Unlock()
	return s.g.Wait(ctx)
}
