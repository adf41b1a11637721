package transport

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/galeproject/gale/internal/testutil"
)

// sink is a Handler that records every message it receives.
type sink struct {
	mu   sync.Mutex
	msgs []Message
	gate chan struct{} // when non-nil, each delivery waits for a token
}

func (s *sink) handle(_ net.Addr, msgs []Message) {
	if s.gate != nil {
		<-s.gate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range msgs {
		s.msgs = append(s.msgs, Message{m.Task, slices.Clone(m.Payload)})
	}
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

func (s *sink) snapshot() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

func startServer(t *testing.T, h Handler, opts Options) *Server {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	s, err := Listen("127.0.0.1:0", h, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return s
}

func dialReady(t *testing.T, addr string, opts Options) *Client {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	c := Dial(addr, opts)
	t.Cleanup(func() {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // hard stop: tests that need a flush close explicitly
		_ = c.Close(ctx)
	})
	checkFor(t, func() error {
		if !c.Ready() {
			return errors.New("client not ready")
		}
		return nil
	})
	return c
}

func payload(i int) []byte { return fmt.Appendf(nil, "message-%06d", i) }

func TestLoopbackOrderAndBatching(t *testing.T) {
	for _, flush := range []time.Duration{0, time.Millisecond} {
		t.Run(fmt.Sprint("flush=", flush), func(t *testing.T) {
			var s sink
			srv := startServer(t, s.handle, Options{})
			c := dialReady(t, srv.Addr().String(), Options{BatchBytes: 256, QueueBytes: 1024, FlushInterval: flush})
			const n = 5000
			for i := range n {
				if err := c.Send(context.Background(), int32(i%100), payload(i)); err != nil {
					t.Fatal(err)
				}
			}
			checkFor(t, func() error {
				if got := s.count(); got != n {
					return fmt.Errorf("received %d of %d", got, n)
				}
				return nil
			})
			for i, m := range s.snapshot() {
				if m.Task != int32(i%100) || !bytes.Equal(m.Payload, payload(i)) {
					t.Fatalf("message %d = task %d %q", i, m.Task, m.Payload)
				}
			}
			st := c.Stats()
			if st.Sent != n || st.Dropped != 0 || st.Batches == 0 || st.Connects != 1 {
				t.Fatalf("stats %+v", st)
			}
		})
	}
}

// TestBatchesBoundedByEOB reads the raw byte stream and checks that no EOB-delimited batch holds
// more than BatchBytes (unless it is a single oversized message).
func TestBatchesBoundedByEOB(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	raw := make(chan []byte, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			raw <- nil
			return
		}
		defer conn.Close()
		b, _ := io.ReadAll(conn)
		raw <- b
	}()
	c := dialReady(t, ln.Addr().String(), Options{BatchBytes: 100})
	sizes := []int{10, 50, 30, 200, 5, 90, 1}
	for i, n := range sizes {
		if err := c.Send(context.Background(), int32(i), bytes.Repeat([]byte{'z'}, n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := <-raw
	batch, got := 0, 0
	for len(b) > 0 {
		code := int16(binary.BigEndian.Uint16(b))
		if code == CodeEOB {
			b, batch = b[2:], 0
			continue
		}
		n := int(binary.BigEndian.Uint32(b[2:]))
		if n != sizes[got] || int(code) != got {
			t.Fatalf("frame %d: task %d, %d bytes", got, code, n)
		}
		got++
		batch += 6 + n
		if batch > 100 && batch != 6+n {
			t.Fatalf("batch of %d bytes exceeds BatchBytes", batch)
		}
		b = b[6+n:]
	}
	if got != len(sizes) {
		t.Fatalf("read %d frames", got)
	}
}

func TestDropsWhileDisconnectedThenConnects(t *testing.T) {
	// Reserve a free port, then close it so the client finds nothing there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := Dial(addr, Options{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, Logger: testLogger(t)})
	defer c.Close(context.Background())
	for i := range 10 {
		if err := c.Send(context.Background(), 1, payload(i)); err != nil {
			t.Fatal(err)
		}
	}
	if st := c.Stats(); st.Dropped != 10 || st.Sent != 0 {
		t.Fatalf("stats while disconnected %+v", st)
	}
	var s sink
	ln2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("port %s taken meanwhile: %v", addr, err)
	}
	srv := Serve(ln2, s.handle, Options{Logger: testLogger(t)})
	defer srv.Close(context.Background())
	checkFor(t, func() error {
		if !c.Ready() {
			return errors.New("not connected")
		}
		return nil
	})
	if err := c.Send(context.Background(), 2, []byte("after")); err != nil {
		t.Fatal(err)
	}
	checkFor(t, func() error {
		if s.count() != 1 {
			return fmt.Errorf("received %d", s.count())
		}
		return nil
	})
}

func TestReconnectAfterServerRestart(t *testing.T) {
	var s1 sink
	srv := startServer(t, s1.handle, Options{})
	addr := srv.Addr().String()
	var errs sync.Map
	c := dialReady(t, addr, Options{MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond,
		OnError: func(peer string, err error) { errs.Store(peer, err) }})
	if err := c.Send(context.Background(), 1, []byte("one")); err != nil {
		t.Fatal(err)
	}
	checkFor(t, func() error {
		if s1.count() != 1 {
			return errors.New("first message not received")
		}
		return nil
	})
	if err := srv.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkFor(t, func() error {
		if c.Ready() {
			return errors.New("client still ready after server close")
		}
		return nil
	})
	checkFor(t, func() error { // reported after the client stops being ready
		if _, ok := errs.Load(addr); !ok {
			return errors.New("connection loss not reported")
		}
		return nil
	})
	var s2 sink
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("port %s taken meanwhile: %v", addr, err)
	}
	srv2 := Serve(ln, s2.handle, Options{Logger: testLogger(t)})
	defer srv2.Close(context.Background())
	checkFor(t, func() error {
		if !c.Ready() {
			return errors.New("not reconnected")
		}
		return nil
	})
	if err := c.Send(context.Background(), 1, []byte("two")); err != nil {
		t.Fatal(err)
	}
	checkFor(t, func() error {
		if s2.count() != 1 {
			return errors.New("message after reconnect not received")
		}
		return nil
	})
	if c.Stats().Connects != 2 {
		t.Fatalf("connects %d", c.Stats().Connects)
	}
}

// TestBackpressure blocks the receiving handler: the client's buffer fills, Send waits (and honours
// its context), and everything accepted arrives once the handler resumes.
func TestBackpressure(t *testing.T) {
	s := sink{gate: make(chan struct{})}
	srv := startServer(t, s.handle, Options{ReadBufferBytes: 1024, SocketBufferBytes: 4096})
	c := dialReady(t, srv.Addr().String(), Options{BatchBytes: 1024, QueueBytes: 4096, SocketBufferBytes: 4096})
	big := bytes.Repeat([]byte{'b'}, 1000)
	accepted := 0
	ctx, cancel := context.WithCancel(context.Background())
	blocked := make(chan error, 1)
	go func() {
		for {
			if err := c.Send(ctx, 7, big); err != nil {
				blocked <- err
				return
			}
			accepted++
		}
	}()
	checkFor(t, func() error {
		if c.Stats().SendWaits == 0 {
			return errors.New("Send never waited")
		}
		return nil
	})
	cancel()
	if err := <-blocked; !errors.Is(err, context.Canceled) {
		t.Fatalf("blocked Send returned %v", err)
	}
	close(s.gate) // let the handler run
	checkFor(t, func() error {
		if got := s.count(); got != accepted {
			return fmt.Errorf("received %d of %d accepted", got, accepted)
		}
		return nil
	})
	if st := c.Stats(); st.Dropped != 0 {
		t.Fatalf("dropped %d while connected", st.Dropped)
	}
}

func TestGarbagePeerIsClosedAndServerKeepsServing(t *testing.T) {
	var s sink
	errCh := make(chan error, 4)
	srv := startServer(t, s.handle, Options{OnError: func(_ string, err error) { errCh <- err }})
	for _, garbage := range [][]byte{
		{0xff, 0x9c},                         // CLOSE control code
		{0x00, 0x01, 0x7f, 0xff, 0xff, 0xff}, // 2 GiB message
		{0x00, 0x01, 0x00},                   // torn frame at EOF
	} {
		conn, err := net.Dial("tcp", srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		good, _ := AppendMessage(nil, 3, []byte("before"))
		conn.Write(append(good, garbage...))
		conn.(*net.TCPConn).CloseWrite()
		if err := <-errCh; !errors.Is(err, ErrProtocol) {
			t.Fatalf("reported %v, want a protocol error", err)
		}
		// The server closed its side: reads see EOF.
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := conn.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
			t.Fatalf("server did not close the connection: %v", err)
		}
		conn.Close()
	}
	if got := s.count(); got != 3 {
		t.Fatalf("messages before the garbage: %d, want 3", got)
	}
	if st := srv.Stats(); st.ProtocolErrors != 3 || st.Accepted != 3 || st.Messages != 3 {
		t.Fatalf("server stats %+v", st)
	}
	c := dialReady(t, srv.Addr().String(), Options{})
	if err := c.Send(context.Background(), 1, []byte("still serving")); err != nil {
		t.Fatal(err)
	}
	checkFor(t, func() error {
		if s.count() != 4 {
			return errors.New("valid client not served after garbage")
		}
		return nil
	})
}

func TestCloseFlushesAndRejects(t *testing.T) {
	var s sink
	srv := startServer(t, s.handle, Options{})
	c := dialReady(t, srv.Addr().String(), Options{FlushInterval: time.Hour}) // only Close flushes
	for i := range 100 {
		if err := c.Send(context.Background(), 1, payload(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Send(context.Background(), 1, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("Send after Close: %v", err)
	}
	checkFor(t, func() error {
		if s.count() != 100 {
			return fmt.Errorf("received %d of 100 after Close", s.count())
		}
		return nil
	})
}

func TestHardCloseWithStuckPeer(t *testing.T) {
	s := sink{gate: make(chan struct{})}
	defer close(s.gate)
	srv := startServer(t, s.handle, Options{ReadBufferBytes: 1024, SocketBufferBytes: 4096})
	_ = srv
	c := dialReady(t, srv.Addr().String(), Options{BatchBytes: 1024, QueueBytes: 4096, SocketBufferBytes: 4096})
	big := bytes.Repeat([]byte{'h'}, 1000)
	sendCtx, stopSending := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c.Send(sendCtx, 1, big) == nil {
		}
	}()
	checkFor(t, func() error {
		if c.Stats().SendWaits == 0 {
			return errors.New("not blocked yet")
		}
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Close(ctx); err != nil {
		t.Fatalf("hard Close: %v", err)
	}
	<-done // the blocked Send was released by the close
	stopSending()
}

func TestFromServerMessages(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		b, _ := AppendMessage(nil, LoadMetricsTask, []byte("load"))
		conn.Write(AppendEOB(b))
		io.Copy(io.Discard, conn)
	}()
	got := make(chan Message, 1)
	c := dialReady(t, ln.Addr().String(), Options{FromServer: func(_ net.Addr, msgs []Message) {
		got <- Message{msgs[0].Task, slices.Clone(msgs[0].Payload)}
	}})
	m := <-got
	if m.Task != -1 || string(m.Payload) != "load" {
		t.Fatalf("from server: %v", m)
	}
	checkFor(t, func() error {
		if c.Stats().ReadFrames != 1 {
			return errors.New("not counted")
		}
		return nil
	})
}

func TestSendRejectsBadTaskAndSize(t *testing.T) {
	c := Dial("127.0.0.1:1", Options{Logger: testLogger(t), MaxMessageBytes: 10})
	defer c.Close(context.Background())
	if err := c.Send(context.Background(), 40000, nil); !errors.Is(err, ErrTaskRange) {
		t.Fatalf("err %v", err)
	}
	if err := c.Send(context.Background(), 1, make([]byte, 11)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err %v", err)
	}
}

func TestBackoff(t *testing.T) {
	o := Options{}.withDefaults()
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := o.backoff(i + 1); got != w*time.Millisecond {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, w*time.Millisecond)
		}
	}
}

// testLogger logs at warn and above into t's output until the test ends.
func testLogger(t testing.TB) *slog.Logger { return testutil.Logger(t, slog.LevelWarn) }

// checkFor polls fn until it returns nil, failing with its last error after a generous deadline.
// It is a wait for an asynchronous condition, not a timing assertion.
func checkFor(t *testing.T, fn func() error) { t.Helper(); testutil.CheckFor(t, 15*time.Second, fn) }

// A steady trickle of small messages is coalesced into few writes; a message after a quiet spell
// is written at once; with Linger disabled every message is its own write.
func TestLingerCoalescesATrickle(t *testing.T) {
	tests := []struct {
		name                   string
		linger                 time.Duration
		minBatches, maxBatches int64
	}{
		{"linger", 20 * time.Millisecond, 1, 40}, // 200 messages over ~200 ms: ~10 writes
		{"off", 0, 150, 200},                     // one write per message, 1 ms apart
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s sink
			srv := startServer(t, s.handle, Options{})
			c := dialReady(t, srv.Addr().String(), Options{Linger: tt.linger})
			ctx := context.Background()
			for i := range 200 {
				if err := c.Send(ctx, 1, payload(i)); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Millisecond)
			}
			checkFor(t, func() error {
				if n := s.count(); n != 200 {
					return fmt.Errorf("%d of 200 received", n)
				}
				return nil
			})
			st := c.Stats()
			if st.Batches < tt.minBatches || st.Batches > tt.maxBatches {
				t.Errorf("%d writes for 200 messages, want %d to %d", st.Batches, tt.minBatches, tt.maxBatches)
			}
			if tt.linger > 0 {
				time.Sleep(2 * tt.linger) // quiet: the next message goes out without waiting
				start := time.Now()
				if err := c.Send(ctx, 1, payload(200)); err != nil {
					t.Fatal(err)
				}
				checkFor(t, func() error {
					if n := s.count(); n != 201 {
						return fmt.Errorf("%d of 201 received", n)
					}
					return nil
				})
				if d := time.Since(start); d >= tt.linger {
					t.Errorf("message after a quiet spell took %v, linger %v", d, tt.linger)
				}
			}
			for i, m := range s.snapshot() {
				if !bytes.Equal(m.Payload, payload(i)) {
					t.Fatalf("message %d out of order: %q", i, m.Payload)
				}
			}
		})
	}
}

// TrySendBatch never blocks: once the client holds its bound of bytes or messages (the peer is
// stuck), it refuses and returns a channel that is closed when the writer frees space; nothing
// accepted is lost.
func TestTrySendBatchBounds(t *testing.T) {
	tests := []struct {
		name          string
		queueBytes    int
		queueMessages int
		check         func(pendingBytes int, pendingN int64) error
	}{
		{"messages", 1 << 20, 8, func(_ int, n int64) error {
			if n < 8 || n > 9 {
				return fmt.Errorf("refused with %d messages buffered, bound 8", n)
			}
			return nil
		}},
		{"bytes", 4096, 0, func(b int, _ int64) error {
			if b < 4096 {
				return fmt.Errorf("refused with %d bytes buffered, bound 4096", b)
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sink{gate: make(chan struct{})}
			srv := startServer(t, s.handle, Options{ReadBufferBytes: 1024, SocketBufferBytes: 4096})
			c := dialReady(t, srv.Addr().String(), Options{BatchBytes: 1024, QueueBytes: tt.queueBytes,
				QueueMessages: tt.queueMessages, SocketBufferBytes: 4096})
			msg := []Message{{Task: 3, Payload: bytes.Repeat([]byte{'t'}, 100)}}
			accepted := 0
			var space <-chan struct{}
			for i := 0; space == nil; i++ {
				if i > 1_000_000 {
					t.Fatal("TrySendBatch never refused with a stuck peer")
				}
				ok, ch, err := c.TrySendBatch(msg)
				switch {
				case err != nil:
					t.Fatal(err)
				case ok:
					accepted++
				default:
					space = ch
					c.mu.Lock()
					err := tt.check(len(c.pending), c.pendingN)
					c.mu.Unlock()
					if err != nil {
						t.Error(err)
					}
				}
			}
			close(s.gate)
			select {
			case <-space:
			case <-time.After(15 * time.Second):
				t.Fatal("space never freed")
			}
			checkFor(t, func() error {
				if got := s.count(); got != accepted {
					return fmt.Errorf("received %d of %d accepted", got, accepted)
				}
				return nil
			})
		})
	}
}
