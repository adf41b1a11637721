package nimbus

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
)

// rawMessage builds a strict binary message with write(p) as its body.
func rawMessage(t testing.TB, name string, typ thrift.TMessageType, seq int32, write func(p thrift.TProtocol)) []byte {
	t.Helper()
	ctx := context.Background()
	buf := thrift.NewTMemoryBuffer()
	p := thrift.NewTBinaryProtocolConf(buf, &thrift.TConfiguration{TBinaryStrictWrite: thrift.BoolPtr(true)})
	p.WriteMessageBegin(ctx, name, typ, seq)
	if write != nil {
		write(p)
	} else {
		p.WriteStructBegin(ctx, "args")
		p.WriteFieldStop(ctx)
		p.WriteStructEnd(ctx)
	}
	p.WriteMessageEnd(ctx)
	return buf.Bytes()
}

func frame(msg []byte) []byte {
	out := make([]byte, 4+len(msg))
	binary.BigEndian.PutUint32(out, uint32(len(msg)))
	copy(out[4:], msg)
	return out
}

// readReply reads one framed reply and returns its header and a protocol
// positioned at the body.
func readReply(t testing.TB, conn net.Conn) (name string, typ thrift.TMessageType, seq int32, body thrift.TProtocol) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var hdr [4]byte
	if _, err := io.ReadFull(conn, hdr[:]); err != nil {
		t.Fatalf("read reply header: %v", err)
	}
	b := make([]byte, binary.BigEndian.Uint32(hdr[:]))
	if _, err := io.ReadFull(conn, b); err != nil {
		t.Fatalf("read reply: %v", err)
	}
	buf := thrift.NewTMemoryBuffer()
	buf.Write(b)
	p := thrift.NewTBinaryProtocolConf(buf, &thrift.TConfiguration{})
	name, typ, seq, err := p.ReadMessageBegin(context.Background())
	if err != nil {
		t.Fatalf("reply header: %v", err)
	}
	return name, typ, seq, p
}

func readAppException(t testing.TB, p thrift.TProtocol) thrift.TApplicationException {
	t.Helper()
	x := thrift.NewTApplicationException(0, "")
	if err := x.Read(context.Background(), p); err != nil {
		t.Fatalf("read exception: %v", err)
	}
	return x.(thrift.TApplicationException)
}

// expectClosed asserts that the server closes conn without a reply.
func expectClosed(t testing.TB, conn net.Conn) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	b := make([]byte, 1)
	n, err := conn.Read(b)
	if n != 0 || !errors.Is(err, io.EOF) {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("connection still open")
		}
		if n != 0 {
			t.Fatalf("got data %x, want close", b[:n])
		}
	}
}

func dialRaw(t testing.TB, addr string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestThriftServerBadInput(t *testing.T) {
	h := startNimbus(t, harnessOpts{})
	addr := h.n.Addr().String()

	badString := rawMessage(t, "getTopologyConf", thrift.CALL, 3, func(p thrift.TProtocol) {
		ctx := context.Background()
		p.WriteStructBegin(ctx, "args")
		p.WriteFieldBegin(ctx, "id", thrift.STRING, 1)
		p.WriteI32(ctx, -5) // negative string length
		p.WriteFieldEnd(ctx)
		p.WriteFieldStop(ctx)
		p.WriteStructEnd(ctx)
	})
	hugeList := rawMessage(t, "getTopologyConf", thrift.CALL, 4, func(p thrift.TProtocol) {
		ctx := context.Background()
		p.WriteStructBegin(ctx, "args")
		p.WriteFieldBegin(ctx, "x", thrift.LIST, 9)
		p.WriteListBegin(ctx, thrift.STRUCT, 1<<20) // claims a million structs, has none
		p.WriteFieldStop(ctx)
		p.WriteStructEnd(ctx)
	})
	tests := []struct {
		name  string
		bytes []byte
		// wantApp is the TApplicationException type of the reply; 0 means
		// the connection is closed without a reply.
		wantApp int32
		wantSeq int32
		keep    bool // the connection stays usable
	}{
		{name: "truncated frame", bytes: frame(rawMessage(t, "getNimbusConf", thrift.CALL, 1, nil))[:10]},
		{name: "frame over max", bytes: []byte{0x00, 0x10, 0x00, 0x01, 1, 2, 3}},
		{name: "negative frame size", bytes: []byte{0xff, 0xff, 0xff, 0xf0}},
		{name: "garbage frame", bytes: frame([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))},
		{name: "http request", bytes: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")},
		{name: "unknown method", bytes: frame(rawMessage(t, "noSuchMethod", thrift.CALL, 7, nil)), wantApp: thrift.UNKNOWN_METHOD, wantSeq: 7, keep: true},
		{name: "bad args", bytes: frame(badString), wantApp: thrift.PROTOCOL_ERROR, wantSeq: 3},
		{name: "huge container", bytes: frame(hugeList), wantApp: thrift.PROTOCOL_ERROR, wantSeq: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conn := dialRaw(t, addr)
			if _, err := conn.Write(tc.bytes); err != nil {
				t.Fatal(err)
			}
			if tc.name == "truncated frame" {
				conn.(*net.TCPConn).CloseWrite()
			}
			if tc.wantApp != 0 {
				_, typ, seq, p := readReply(t, conn)
				if typ != thrift.EXCEPTION || seq != tc.wantSeq {
					t.Fatalf("reply type %v seq %d, want EXCEPTION seq %d", typ, seq, tc.wantSeq)
				}
				if x := readAppException(t, p); x.TypeId() != tc.wantApp {
					t.Fatalf("exception %v (type %d), want type %d", x, x.TypeId(), tc.wantApp)
				}
			}
			if tc.keep {
				conn.Write(frame(rawMessage(t, "getNimbusConf", thrift.CALL, 8, nil)))
				name, typ, seq, _ := readReply(t, conn)
				if name != "getNimbusConf" || typ != thrift.REPLY || seq != 8 {
					t.Fatalf("follow-up reply %s %v %d", name, typ, seq)
				}
			} else {
				expectClosed(t, conn)
			}
			// The daemon keeps serving other clients.
			if _, err := h.client().GetNimbusConf(context.Background()); err != nil {
				t.Fatalf("other client after %s: %v", tc.name, err)
			}
		})
	}
}

func TestThriftServerSeqIDEcho(t *testing.T) {
	h := startNimbus(t, harnessOpts{})
	conn := dialRaw(t, h.n.Addr().String())
	var all []byte
	for _, seq := range []int32{41, -2, 0} {
		all = append(all, frame(rawMessage(t, "getClusterInfo", thrift.CALL, seq, nil))...)
	}
	conn.Write(all) // pipelined
	for _, want := range []int32{41, -2, 0} {
		name, typ, seq, _ := readReply(t, conn)
		if name != "getClusterInfo" || typ != thrift.REPLY || seq != want {
			t.Fatalf("reply %s %v seq %d, want seq %d", name, typ, seq, want)
		}
	}
}

func TestThriftServerStopsOnCancel(t *testing.T) {
	h := startNimbus(t, harnessOpts{})
	conn := dialRaw(t, h.n.Addr().String())
	conn.Write(frame(rawMessage(t, "getNimbusConf", thrift.CALL, 1, nil)))
	readReply(t, conn)
	h.stop()
	expectClosed(t, conn)
	if c, err := net.DialTimeout("tcp", h.n.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Fatal("listener still accepting after Run returned")
	}
}

func TestPeekMessageHeader(t *testing.T) {
	strict := rawMessage(t, "getClusterInfo", thrift.CALL, 9, nil)
	old := new(bytes.Buffer)
	binary.Write(old, binary.BigEndian, int32(4))
	old.WriteString("ping")
	old.WriteByte(byte(thrift.CALL))
	binary.Write(old, binary.BigEndian, int32(5))
	for _, tc := range []struct {
		in   []byte
		name string
		seq  int32
		ok   bool
	}{
		{strict, "getClusterInfo", 9, true},
		{old.Bytes(), "ping", 5, true},
		{[]byte{0x80, 0x01}, "", 0, false},
		{[]byte{0x80, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, "", 0, false},
		{[]byte{0, 0, 0, 100, 'a'}, "", 0, false},
	} {
		name, seq, err := peekMessageHeader(tc.in)
		if (err == nil) != tc.ok || name != tc.name || seq != tc.seq {
			t.Errorf("peek(%x) = %q %d %v", tc.in, name, seq, err)
		}
	}
}
