package transport

import (
	"errors"
	"fmt"
	"io"
	"net"
)

// readFrames reads frames from conn until EOF or an error and passes each parsed group of messages
// to deliver. Payloads alias the read buffer and are valid only during the deliver call. It
// returns nil on a clean EOF between frames.
func readFrames(conn io.Reader, opts Options, deliver func([]Message)) error {
	p := Parser{MaxMessageBytes: opts.MaxMessageBytes}
	buf := make([]byte, opts.ReadBufferBytes)
	var msgs []Message
	start, end := 0, 0
	for {
		n, rerr := conn.Read(buf[end:])
		end += n
		var consumed, need int
		var perr error
		msgs, consumed, need, perr = p.Parse(buf[start:end], msgs[:0])
		start += consumed
		if len(msgs) > 0 {
			deliver(msgs)
			clear(msgs) // drop payload references
		}
		if perr != nil {
			return perr
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				if start != end {
					return fmt.Errorf("%w: connection closed inside a frame", ErrProtocol)
				}
				return nil
			}
			return rerr
		}
		// Make room: move the partial frame to the front, grow for a frame larger than the buffer.
		if start == end {
			start, end = 0, 0
			if len(buf) > 4*opts.ReadBufferBytes { // give back the room a huge frame took
				buf = make([]byte, opts.ReadBufferBytes)
			}
		} else if need > len(buf)-start || end == len(buf) {
			if need > len(buf) {
				nb := make([]byte, max(need, 2*len(buf)))
				end = copy(nb, buf[start:end])
				buf = nb
			} else {
				end = copy(buf, buf[start:end])
			}
			start = 0
		}
	}
}

func tuneConn(conn net.Conn, opts Options) {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return
	}
	_ = tc.SetNoDelay(true)
	_ = tc.SetKeepAlive(true)
	if opts.SocketBufferBytes > 0 {
		_ = tc.SetReadBuffer(opts.SocketBufferBytes)
		_ = tc.SetWriteBuffer(opts.SocketBufferBytes)
	}
}
