package conformance

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"testing"
)

// frame builds one server-to-client frame (unmasked unless mask != nil).
func frame(fin bool, op byte, payload []byte, mask []byte) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	out := []byte{b0}
	mbit := byte(0)
	if mask != nil {
		mbit = 0x80
	}
	n := len(payload)
	switch {
	case n < 126:
		out = append(out, mbit|byte(n))
	case n <= 0xffff:
		out = append(out, mbit|126, byte(n>>8), byte(n))
	default:
		out = append(out, mbit|127)
		out = binary.BigEndian.AppendUint64(out, uint64(n))
	}
	p := append([]byte(nil), payload...)
	if mask != nil {
		out = append(out, mask...)
		for i := range p {
			p[i] ^= mask[i%4]
		}
	}
	return append(out, p...)
}

func TestReadWSMessage(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 70000)
	var in []byte
	in = append(in, frame(false, 0x1, []byte("hel"), nil)...)
	in = append(in, frame(true, 0x9, []byte("ping"), nil)...)
	in = append(in, frame(true, 0x0, []byte("lo"), []byte{1, 2, 3, 4})...)
	in = append(in, frame(true, 0x1, big, nil)...)
	in = append(in, frame(true, 0x8, nil, nil)...)
	r := bytes.NewReader(in)
	var pings []string
	control := func(op byte, p []byte) error {
		if op == 0x9 {
			pings = append(pings, string(p))
		}
		return nil
	}
	m, err := readWSMessage(r, control)
	if err != nil || string(m) != "hello" {
		t.Fatalf("first message %q, %v", m, err)
	}
	if len(pings) != 1 || pings[0] != "ping" {
		t.Errorf("pings %q", pings)
	}
	if m, err = readWSMessage(r, control); err != nil || !bytes.Equal(m, big) {
		t.Fatalf("big message: %d bytes, %v", len(m), err)
	}
	if _, err = readWSMessage(r, control); !errors.Is(err, errWSClosed) {
		t.Errorf("close frame: %v", err)
	}
	for name, bad := range map[string][]byte{
		"continuation first": frame(true, 0x0, []byte("x"), nil),
		"reserved bits":      {0xF1, 0},
		"long control":       frame(true, 0x9, bytes.Repeat([]byte("p"), 200), nil),
		"bad opcode":         frame(true, 0x3, nil, nil),
		"truncated":          frame(true, 0x1, []byte("abc"), nil)[:3],
		"too big":            {0x81, 127, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	} {
		if _, err := readWSMessage(bytes.NewReader(bad), control); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestWSWriteRead sends client frames (masked) through a pipe and reads
// them back with the same reader a server would use.
func TestWSWriteRead(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := &wsConn{conn: a}
	msgs := [][]byte{[]byte(`{"id":1}`), bytes.Repeat([]byte("y"), 300), bytes.Repeat([]byte("z"), 70000)}
	go func() {
		for _, m := range msgs {
			if err := c.WriteText(m); err != nil {
				return
			}
		}
	}()
	for _, want := range msgs {
		got, err := readWSMessage(b, func(byte, []byte) error { return nil })
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("read %d bytes, %v; want %d bytes", len(got), err, len(want))
		}
	}
}

func TestDevToolsURL(t *testing.T) {
	u, ok := devToolsURL("\nDevTools listening on ws://127.0.0.1:9222/devtools/browser/abc\n")
	if !ok || u != "ws://127.0.0.1:9222/devtools/browser/abc" {
		t.Errorf("devToolsURL = %q, %v", u, ok)
	}
	if _, ok := devToolsURL("[ERROR:bus.cc] Failed to connect"); ok {
		t.Error("matched a line without an endpoint")
	}
}

// FuzzReadWSMessage: frames come from Chromium, outside bytes.
func FuzzReadWSMessage(f *testing.F) {
	f.Add(frame(true, 0x1, []byte(`{"id":1,"result":{}}`), nil))
	f.Add(append(frame(false, 0x1, []byte("a"), nil), frame(true, 0x0, []byte("b"), []byte{9, 8, 7, 6})...))
	f.Add([]byte{0x81, 126, 0, 3, 'a', 'b', 'c'})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bytes.NewReader(b)
		for i := 0; i < 4; i++ {
			if _, err := readWSMessage(r, func(byte, []byte) error { return nil }); err != nil {
				return
			}
		}
	})
}
