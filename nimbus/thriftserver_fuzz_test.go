package nimbus

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/stormthrift"
)

// stubHandler answers getNimbusConf; every other method panics (nil
// embedded interface), which the server must turn into INTERNAL_ERROR.
type stubHandler struct{ stormthrift.Nimbus }

func (stubHandler) GetNimbusConf(context.Context) (string, error) { return "{}", nil }

// bytesConn is a net.Conn reading from a fixed input and discarding output.
type bytesConn struct {
	r   *bytes.Reader
	out bytes.Buffer
}

func (c *bytesConn) Read(b []byte) (int, error)       { return c.r.Read(b) }
func (c *bytesConn) Write(b []byte) (int, error)      { return c.out.Write(b) }
func (c *bytesConn) Close() error                     { return nil }
func (c *bytesConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *bytesConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *bytesConn) SetDeadline(time.Time) error      { return nil }
func (c *bytesConn) SetReadDeadline(time.Time) error  { return nil }
func (c *bytesConn) SetWriteDeadline(time.Time) error { return nil }

// FuzzThriftConn feeds arbitrary bytes to one server connection: it must
// return (no hang, no panic escaping) and every reply must be a well-formed
// frame.
func FuzzThriftConn(f *testing.F) {
	call := func(name string, seq int32) []byte { return frame(rawMessage(f, name, thrift.CALL, seq, nil)) }
	f.Add(call("getNimbusConf", 1))
	f.Add(call("getClusterInfo", 2)) // panics in the stub
	f.Add(call("nope", 3))
	f.Add(append(call("getNimbusConf", 1), call("getNimbusConf", 2)...))
	f.Add([]byte{0, 0, 0, 5, 0x80, 1, 0, 1, 0})
	f.Add([]byte{0x7f, 0xff, 0xff, 0xff})
	f.Add(frame([]byte{0x80, 0x01, 0x00, 0x01, 0, 0, 0, 13, 'g', 'e', 't', 'N', 'i', 'm', 'b', 'u', 's', 'C', 'o', 'n', 'f', 0, 0, 0, 1, 15, 12, 0x7f, 0xff, 0xff, 0xff}))
	srv := newThriftServer(stormthrift.NewNimbusProcessor(stubHandler{}), 1<<16, slog.New(slog.DiscardHandler))
	f.Fuzz(func(t *testing.T, in []byte) {
		c := &bytesConn{r: bytes.NewReader(in)}
		done := make(chan struct{})
		go func() {
			defer close(done)
			srv.handle(context.Background(), c)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("handler did not return")
		}
		out := c.out.Bytes()
		for len(out) > 0 {
			if len(out) < 4 {
				t.Fatalf("short frame header %x", out)
			}
			n := int(uint32(out[0])<<24 | uint32(out[1])<<16 | uint32(out[2])<<8 | uint32(out[3]))
			if n <= 0 || n > len(out)-4 {
				t.Fatalf("bad reply frame length %d of %d", n, len(out)-4)
			}
			if _, _, err := peekMessageHeader(out[4 : 4+n]); err != nil {
				t.Fatalf("bad reply message: %v", err)
			}
			out = out[4+n:]
		}
	})
}
