package transport

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"
)

func frames(t testing.TB, msgs ...Message) []byte {
	var b []byte
	for _, m := range msgs {
		var err error
		if b, err = AppendMessage(b, m.Task, m.Payload); err != nil {
			t.Fatal(err)
		}
	}
	return AppendEOB(b)
}

func TestAppendMessageBytes(t *testing.T) {
	b, err := AppendMessage(nil, 258, []byte("hi"))
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0x01, 0x02, 0, 0, 0, 2, 'h', 'i'}
	if !bytes.Equal(b, want) {
		t.Fatalf("frame % x, want % x", b, want)
	}
	if got := AppendEOB(nil); !bytes.Equal(got, []byte{0xff, 0x37}) {
		t.Fatalf("EOB % x", got)
	}
	for _, task := range []int32{32768, -32769, -201, -100, -500} {
		if _, err := AppendMessage(nil, task, nil); !errors.Is(err, ErrTaskRange) {
			t.Errorf("task %d: err %v", task, err)
		}
	}
	if _, err := AppendMessage(nil, -1, nil); err != nil {
		t.Errorf("task -1 (load metrics) rejected: %v", err)
	}
}

func TestParse(t *testing.T) {
	stream := frames(t, Message{1, []byte("a")}, Message{2, []byte("bcd")}, Message{32767, nil})
	p := Parser{}
	msgs, consumed, need, err := p.Parse(stream, nil)
	if err != nil || consumed != len(stream) || need != 0 || len(msgs) != 3 {
		t.Fatalf("Parse = %v, %d, %d, %v", msgs, consumed, need, err)
	}
	if msgs[1].Task != 2 || string(msgs[1].Payload) != "bcd" || msgs[2].Task != 32767 || msgs[2].Payload != nil {
		t.Fatalf("messages %v", msgs)
	}
	// Every truncation parses a prefix and says how much the next frame needs.
	for n := range len(stream) {
		msgs, consumed, need, err := p.Parse(stream[:n], nil)
		if err != nil {
			t.Fatalf("prefix %d: %v", n, err)
		}
		if consumed < n && need <= n-consumed {
			t.Fatalf("prefix %d: consumed %d, need %d", n, consumed, need)
		}
		for _, m := range msgs {
			if m.Task == 0 {
				t.Fatalf("prefix %d: bogus message", n)
			}
		}
	}
	// Negative length is an empty payload, as Storm's decoder does.
	neg := []byte{0, 5, 0xff, 0xff, 0xff, 0xff}
	if msgs, _, _, err := p.Parse(neg, nil); err != nil || len(msgs) != 1 || msgs[0].Task != 5 || msgs[0].Payload != nil {
		t.Fatalf("negative length: %v %v", msgs, err)
	}
	for name, b := range map[string][]byte{
		"close":      {0xff, 0x9c},
		"sasl token": {0xfe, 0x0c, 0, 0, 0, 1, 'x'},
		"oversized":  {0, 1, 0x7f, 0xff, 0xff, 0xff},
	} {
		prefix := frames(t, Message{3, []byte("ok")})
		msgs, consumed, _, err := p.Parse(append(prefix, b...), nil)
		if !errors.Is(err, ErrProtocol) || len(msgs) != 1 || consumed != len(prefix) {
			t.Errorf("%s: msgs %v consumed %d err %v", name, msgs, consumed, err)
		}
	}
	small := Parser{MaxMessageBytes: 4}
	if _, _, _, err := small.Parse(frames(t, Message{1, []byte("12345")}), nil); !errors.Is(err, ErrProtocol) {
		t.Fatalf("MaxMessageBytes not enforced: %v", err)
	}
}

// chunkReader returns its data in chunks of the given sizes (cycling), to exercise partial reads.
type chunkReader struct {
	data   []byte
	chunks []byte
	i      int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(r.chunks) > 0 {
		n = int(r.chunks[r.i%len(r.chunks)]) + 1
		r.i++
	}
	n = min(n, len(p), len(r.data))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

func collect(r io.Reader, opts Options) ([]Message, error) {
	var got []Message
	err := readFrames(r, opts.withDefaults(), func(msgs []Message) {
		for _, m := range msgs {
			got = append(got, Message{m.Task, slices.Clone(m.Payload)})
		}
	})
	return got, err
}

func TestReadFramesChunkedAndGrowing(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 1000)
	want := []Message{{1, []byte("a")}, {2, big}, {3, nil}, {4, bytes.Repeat([]byte("y"), 70)}}
	stream := frames(t, want...)
	for _, chunks := range [][]byte{nil, {0}, {6, 200}, {255}} {
		got, err := collect(&chunkReader{data: stream, chunks: chunks}, Options{ReadBufferBytes: 16})
		if err != nil {
			t.Fatalf("chunks %v: %v", chunks, err)
		}
		if len(got) != len(want) {
			t.Fatalf("chunks %v: %d messages", chunks, len(got))
		}
		for i := range want {
			if got[i].Task != want[i].Task || !bytes.Equal(got[i].Payload, want[i].Payload) {
				t.Fatalf("chunks %v: message %d = %d/%d bytes", chunks, i, got[i].Task, len(got[i].Payload))
			}
		}
	}
	if _, err := collect(bytes.NewReader(stream[:len(stream)-3]), Options{}); !errors.Is(err, ErrProtocol) {
		t.Fatalf("torn frame at EOF: %v", err)
	}
}

// FuzzParse: arbitrary bytes never panic the parser; what it accepts re-encodes to the same
// messages; reading the bytes in arbitrary chunks yields the same messages as parsing them whole.
func FuzzParse(f *testing.F) {
	f.Add(frames(f, Message{1, []byte("a")}, Message{2, []byte("bcd")}), []byte{3})
	f.Add([]byte{0xff, 0x37, 0xff, 0x37}, []byte{})
	f.Add([]byte{0, 5, 0xff, 0xff, 0xff, 0xff}, []byte{0, 1})
	f.Add([]byte{0xfe, 0x0c, 0, 0, 0, 1, 'x'}, []byte{})
	f.Fuzz(func(t *testing.T, b []byte, chunks []byte) {
		p := Parser{MaxMessageBytes: 1 << 16}
		msgs, consumed, need, err := p.Parse(b, nil)
		if consumed > len(b) || (err == nil && consumed < len(b) && need <= len(b)-consumed) {
			t.Fatalf("consumed %d of %d, need %d, err %v", consumed, len(b), need, err)
		}
		var re []byte
		for _, m := range msgs {
			if len(m.Payload) > 1<<16 {
				t.Fatalf("payload over the limit")
			}
			re, _ = AppendMessage(re, m.Task, m.Payload)
		}
		again, _, _, err2 := p.Parse(re, nil)
		if err2 != nil || len(again) != len(msgs) {
			t.Fatalf("re-parse: %v, %d vs %d", err2, len(again), len(msgs))
		}
		got, rerr := collect(&chunkReader{data: b, chunks: chunks}, Options{ReadBufferBytes: 8, MaxMessageBytes: 1 << 16})
		if len(got) != len(msgs) {
			t.Fatalf("chunked read got %d messages, whole parse %d (err %v / %v)", len(got), len(msgs), rerr, err)
		}
		for i := range got {
			if got[i].Task != msgs[i].Task || !bytes.Equal(got[i].Payload, msgs[i].Payload) {
				t.Fatalf("message %d differs", i)
			}
		}
		switch {
		case err != nil, consumed < len(b): // garbage, or a torn frame at EOF
			if !errors.Is(rerr, ErrProtocol) {
				t.Fatalf("parse err %v (consumed %d of %d), read err %v", err, consumed, len(b), rerr)
			}
		case rerr != nil:
			t.Fatalf("read err %v for a clean stream", rerr)
		}
	})
}
