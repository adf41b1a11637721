package nimbus

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
)

// thriftServer serves one Thrift processor the way Storm 1.0.0's
// SimpleTransportPlugin does on the wire: TFramedTransport (4-byte big-endian
// length, then the message) and TBinaryProtocol (strict write, lenient read).
//
// Each connection has its own goroutine that reads a whole frame, runs the
// processor on it and writes the reply as one frame, so requests on one
// connection are answered in order and the seqid of the call is echoed.
// Outside bytes never take the daemon down:
//   - a frame longer than maxFrame, a zero/negative length, a truncated
//     frame or an unreadable message header closes that connection only;
//   - an unknown method gets a TApplicationException UNKNOWN_METHOD reply and
//     the connection stays usable;
//   - unreadable arguments get PROTOCOL_ERROR and the connection is closed
//     (its framing can no longer be trusted), as thrift's servers do;
//   - a panic in a handler is recovered, logged and answered with
//     INTERNAL_ERROR.
type thriftServer struct {
	processor thrift.TProcessor
	maxFrame  int
	log       *slog.Logger

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func newThriftServer(p thrift.TProcessor, maxFrame int, log *slog.Logger) *thriftServer {
	if maxFrame <= 0 {
		maxFrame = 1048576
	}
	return &thriftServer{processor: p, maxFrame: maxFrame, log: log, conns: map[net.Conn]struct{}{}}
}

// serve accepts connections on ln until ctx is done, then closes the
// listener and every open connection and waits for their goroutines.
func (s *thriftServer) serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
	}()
	backoff := 5 * time.Millisecond
	for {
		conn, aerr := ln.Accept()
		if aerr != nil {
			if ctx.Err() != nil {
				break
			}
			var ne net.Error
			if errors.As(aerr, &ne) && ne.Timeout() {
				time.Sleep(backoff)
				backoff = min(2*backoff, time.Second)
				continue
			}
			if errors.Is(aerr, net.ErrClosed) {
				break
			}
			s.log.Warn("thrift accept failed", "err", aerr)
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = 5 * time.Millisecond
		s.mu.Lock()
		if ctx.Err() != nil {
			s.mu.Unlock()
			conn.Close()
			break
		}
		s.conns[conn] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, conn)
				s.mu.Unlock()
				conn.Close()
			}()
			s.handle(ctx, conn)
		}()
	}
	cancel()
	<-stopped
	s.wg.Wait()
	return nil
}

// handle runs the request loop of one connection.
func (s *thriftServer) handle(ctx context.Context, conn net.Conn) {
	log := s.log.With("remote", conn.RemoteAddr().String())
	defer func() {
		if r := recover(); r != nil {
			log.Error("thrift connection panicked; closing it", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	r := bufio.NewReaderSize(conn, 64*1024)
	var hdr [4]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			if !errors.Is(err, io.EOF) && ctx.Err() == nil {
				log.Debug("thrift connection closed", "err", err)
			}
			return
		}
		size := int32(binary.BigEndian.Uint32(hdr[:]))
		if size <= 0 || int(size) > s.maxFrame {
			log.Warn("thrift frame size out of range; closing connection", "size", size, "max", s.maxFrame)
			return
		}
		// Grow with the bytes that actually arrive: a header alone does
		// not make the server allocate max_buffer_size.
		var fb bytes.Buffer
		fb.Grow(min(int(size), 64*1024))
		if _, err := io.CopyN(&fb, r, int64(size)); err != nil {
			log.Warn("truncated thrift frame; closing connection", "size", size, "err", err)
			return
		}
		frame := fb.Bytes()
		reply, keep := s.call(ctx, log, frame)
		if len(reply) > 0 {
			out := make([]byte, 4+len(reply))
			binary.BigEndian.PutUint32(out, uint32(len(reply)))
			copy(out[4:], reply)
			if _, err := conn.Write(out); err != nil {
				log.Debug("thrift write failed", "err", err)
				return
			}
		}
		if !keep {
			return
		}
	}
}

// call runs the processor on one frame and returns the reply bytes (without
// the frame header) and whether the connection may continue.
func (s *thriftServer) call(ctx context.Context, log *slog.Logger, frame []byte) (reply []byte, keep bool) {
	name, seq, hdrErr := peekMessageHeader(frame)
	if hdrErr != nil {
		log.Warn("unreadable thrift message; closing connection", "err", hdrErr)
		return nil, false
	}
	cfg := s.protocolConf(len(frame))
	in := thrift.NewTMemoryBufferLen(len(frame))
	in.Write(frame)
	out := thrift.NewTMemoryBufferLen(1024)
	iprot := &boundedProtocol{TProtocol: thrift.NewTBinaryProtocolConf(in, cfg), in: in}
	oprot := thrift.NewTBinaryProtocolConf(out, s.protocolConf(s.maxFrame))

	ok, err, panicked := s.process(ctx, iprot, oprot)
	if panicked != nil {
		log.Error("thrift handler panicked", "method", name, "panic", panicked)
		return s.exceptionReply(name, seq, thrift.INTERNAL_ERROR, fmt.Sprintf("Internal error processing %s: %v", name, panicked)), true
	}
	reply = out.Bytes()
	if len(reply) > s.maxFrame {
		log.Error("thrift reply exceeds nimbus.thrift.max_buffer_size", "method", name, "size", len(reply), "max", s.maxFrame)
		return s.exceptionReply(name, seq, thrift.INTERNAL_ERROR,
			fmt.Sprintf("reply of %s is %d bytes, over nimbus.thrift.max_buffer_size %d", name, len(reply), s.maxFrame)), true
	}
	if err == nil || ok {
		return reply, true
	}
	var tae thrift.TApplicationException
	if errors.As(err, &tae) && tae.TypeId() == thrift.UNKNOWN_METHOD {
		log.Warn("unknown thrift method", "method", name)
		return reply, true
	}
	log.Warn("bad thrift request; closing connection", "method", name, "err", err)
	return reply, false
}

func (s *thriftServer) process(ctx context.Context, in, out thrift.TProtocol) (ok bool, err thrift.TException, panicked any) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprintf("%v\n%s", r, debug.Stack())
		}
	}()
	ok, err = s.processor.Process(ctx, in, out)
	return ok, err, nil
}

func (s *thriftServer) protocolConf(maxMsg int) *thrift.TConfiguration {
	return &thrift.TConfiguration{
		MaxFrameSize:       int32(s.maxFrame),
		MaxMessageSize:     int32(maxMsg),
		TBinaryStrictRead:  thrift.BoolPtr(false),
		TBinaryStrictWrite: thrift.BoolPtr(true),
	}
}

func (s *thriftServer) exceptionReply(name string, seq int32, typ int32, msg string) []byte {
	out := thrift.NewTMemoryBufferLen(256)
	p := thrift.NewTBinaryProtocolConf(out, s.protocolConf(s.maxFrame))
	ctx := context.Background()
	p.WriteMessageBegin(ctx, name, thrift.EXCEPTION, seq)
	thrift.NewTApplicationException(typ, msg).Write(ctx, p)
	p.WriteMessageEnd(ctx)
	return out.Bytes()
}

// peekMessageHeader reads the method name and seqid of a TBinaryProtocol
// message (strict or old-style), without allocating more than the frame.
func peekMessageHeader(b []byte) (name string, seq int32, err error) {
	if len(b) < 4 {
		return "", 0, errors.New("message header too short")
	}
	first := int32(binary.BigEndian.Uint32(b))
	rest := b[4:]
	var n int32
	if first < 0 {
		if uint32(first)&0xffff0000 != 0x80010000 {
			return "", 0, fmt.Errorf("bad thrift version 0x%08x", uint32(first))
		}
		if len(rest) < 4 {
			return "", 0, errors.New("message header too short")
		}
		n = int32(binary.BigEndian.Uint32(rest))
		rest = rest[4:]
	} else {
		n = first // old protocol: name length first, then type byte
	}
	if n < 0 || int(n) > len(rest) {
		return "", 0, fmt.Errorf("bad method name length %d", n)
	}
	name = string(rest[:n])
	rest = rest[n:]
	if first >= 0 {
		if len(rest) < 1 {
			return "", 0, errors.New("message header too short")
		}
		rest = rest[1:]
	}
	if len(rest) < 4 {
		return "", 0, errors.New("message header too short")
	}
	return name, int32(binary.BigEndian.Uint32(rest)), nil
}

// boundedProtocol rejects container headers that claim more elements than
// the rest of the frame could hold, so a small frame cannot make the
// generated readers allocate huge maps or slices.
type boundedProtocol struct {
	thrift.TProtocol
	in *thrift.TMemoryBuffer
}

func minWireSize(t thrift.TType) int {
	switch t {
	case thrift.BOOL, thrift.BYTE:
		return 1
	case thrift.I16:
		return 2
	case thrift.I32:
		return 4
	case thrift.I64, thrift.DOUBLE:
		return 8
	case thrift.STRING:
		return 4
	case thrift.STRUCT:
		return 1
	case thrift.MAP:
		return 6
	case thrift.LIST, thrift.SET:
		return 5
	default:
		return 1
	}
}

func (p *boundedProtocol) check(size, elem int) error {
	if size < 0 || size*elem > int(p.in.RemainingBytes()) {
		return thrift.NewTProtocolExceptionWithType(thrift.SIZE_LIMIT,
			fmt.Errorf("container of %d elements does not fit the %d bytes left in the frame", size, p.in.RemainingBytes()))
	}
	return nil
}

func (p *boundedProtocol) ReadMapBegin(ctx context.Context) (thrift.TType, thrift.TType, int, error) {
	k, v, size, err := p.TProtocol.ReadMapBegin(ctx)
	if err == nil {
		err = p.check(size, minWireSize(k)+minWireSize(v))
	}
	return k, v, size, err
}

func (p *boundedProtocol) ReadListBegin(ctx context.Context) (thrift.TType, int, error) {
	t, size, err := p.TProtocol.ReadListBegin(ctx)
	if err == nil {
		err = p.check(size, minWireSize(t))
	}
	return t, size, err
}

func (p *boundedProtocol) ReadSetBegin(ctx context.Context) (thrift.TType, int, error) {
	t, size, err := p.TProtocol.ReadSetBegin(ctx)
	if err == nil {
		err = p.check(size, minWireSize(t))
	}
	return t, size, err
}
