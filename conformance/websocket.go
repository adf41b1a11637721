package conformance

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// wsConn is a minimal RFC 6455 client for the Chrome DevTools protocol on
// 127.0.0.1: text messages out (masked), text messages in (fragments
// joined), pings answered, no extensions. Reads are from one goroutine;
// writes are serialized.
type wsConn struct {
	conn net.Conn
	br   *bufio.Reader
	wmu  sync.Mutex
}

// maxWSMessage bounds one incoming message (screenshots are the biggest).
const maxWSMessage = 64 << 20

func dialWebSocket(rawURL string, timeout time.Duration) (*wsConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "ws" {
		return nil, fmt.Errorf("websocket: scheme %q, want ws", u.Scheme)
	}
	conn, err := net.DialTimeout("tcp", u.Host, timeout)
	if err != nil {
		return nil, err
	}
	var keyb [16]byte
	_, _ = rand.Read(keyb[:])
	key := base64.StdEncoding.EncodeToString(keyb[:])
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host +
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
		"\r\nSec-WebSocket-Version: 13\r\n\r\n"
	_ = conn.SetDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, err
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, &http.Request{Method: "GET"})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: %w", err)
	}
	resp.Body.Close()
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.StatusCode != http.StatusSwitchingProtocols ||
		resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: status %s", resp.Status)
	}
	_ = conn.SetDeadline(time.Time{})
	return &wsConn{conn: conn, br: br}, nil
}

func (c *wsConn) Close() error { return c.conn.Close() }

// writeFrame sends one final frame with opcode op, masked as clients must.
func (c *wsConn) writeFrame(op byte, payload []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	hdr := []byte{0x80 | op}
	n := len(payload)
	switch {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n <= 0xffff:
		hdr = append(hdr, 0x80|126, byte(n>>8), byte(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	var mask [4]byte
	_, _ = rand.Read(mask[:])
	hdr = append(hdr, mask[:]...)
	buf := make([]byte, 0, len(hdr)+n)
	buf = append(buf, hdr...)
	for i, b := range payload {
		buf = append(buf, b^mask[i%4])
	}
	_, err := c.conn.Write(buf)
	return err
}

// WriteText sends one text message.
func (c *wsConn) WriteText(msg []byte) error { return c.writeFrame(0x1, msg) }

var errWSClosed = errors.New("websocket closed by peer")

// ReadMessage returns the next text or binary message.
func (c *wsConn) ReadMessage() ([]byte, error) {
	return readWSMessage(c.br, func(op byte, payload []byte) error {
		if op == 0x9 { // ping
			return c.writeFrame(0xA, payload)
		}
		return nil
	})
}

// readWSMessage reads frames from r until one whole data message is
// complete; control frames go to control (close ends the read with
// errWSClosed). It never panics on malformed input.
func readWSMessage(r io.Reader, control func(op byte, payload []byte) error) ([]byte, error) {
	var msg []byte
	started := false
	for {
		var h [2]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return nil, err
		}
		fin, op := h[0]&0x80 != 0, h[0]&0x0f
		if h[0]&0x70 != 0 {
			return nil, errors.New("websocket: reserved bits set")
		}
		masked := h[1]&0x80 != 0
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if op >= 0x8 && (n > 125 || !fin) {
			return nil, errors.New("websocket: bad control frame")
		}
		if n > maxWSMessage || uint64(len(msg))+n > maxWSMessage {
			return nil, fmt.Errorf("websocket: message over %d bytes", maxWSMessage)
		}
		var mask [4]byte
		if masked {
			if _, err := io.ReadFull(r, mask[:]); err != nil {
				return nil, err
			}
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(r, payload); err != nil {
			return nil, err
		}
		if masked {
			for i := range payload {
				payload[i] ^= mask[i%4]
			}
		}
		switch op {
		case 0x8:
			return nil, errWSClosed
		case 0x9, 0xA:
			if err := control(op, payload); err != nil {
				return nil, err
			}
			continue
		case 0x0:
			if !started {
				return nil, errors.New("websocket: continuation without a start")
			}
		case 0x1, 0x2:
			if started {
				return nil, errors.New("websocket: new message inside a fragmented one")
			}
			started = true
		default:
			return nil, fmt.Errorf("websocket: opcode %#x", op)
		}
		msg = append(msg, payload...)
		if fin {
			return msg, nil
		}
	}
}

// devToolsURL finds the browser's DevTools endpoint in Chromium's stderr
// line "DevTools listening on ws://...".
func devToolsURL(line string) (string, bool) {
	const prefix = "DevTools listening on "
	i := strings.Index(line, prefix)
	if i < 0 {
		return "", false
	}
	u := strings.TrimSpace(line[i+len(prefix):])
	return u, strings.HasPrefix(u, "ws://")
}
