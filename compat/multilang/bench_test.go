package multilang

import (
	"bufio"
	"io"
	"testing"
)

var benchTuple = BoltTuple{ID: "-6955176146395207236", Comp: "words", Stream: "default", Task: 3, Tuple: []any{"the cow jumped over the moon", int64(1)}}

// BenchmarkBoltTupleEncode is the generic encoder on the tuple's object
// (what every tuple cost before AppendJSON).
func BenchmarkBoltTupleEncode(b *testing.B) {
	for b.Loop() {
		if _, err := Encode(benchTuple); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBoltTupleAppendJSON(b *testing.B) {
	buf := make([]byte, 0, 256)
	for b.Loop() {
		var err error
		if buf, err = benchTuple.AppendJSON(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriterBoltTuples is the bolt's write path: tuples appended to
// the buffer, one flush per 64.
func BenchmarkWriterBoltTuples(b *testing.B) {
	w := NewWriter(io.Discard)
	n := 0
	for b.Loop() {
		if err := w.AppendBoltTuple(&benchTuple); err != nil {
			b.Fatal(err)
		}
		if n++; n%64 == 0 {
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

var (
	benchEmit = []byte(`{"command":"emit","tuple":[12345678],"anchors":["-6955176146395207236"]}`)
	benchAck  = []byte(`{"command":"ack","id":"-6955176146395207236"}`)
)

// BenchmarkDecodeEmit is Decode + ParseShellMsg of storm.js's emit.
func BenchmarkDecodeEmit(b *testing.B) {
	for b.Loop() {
		v, err := Decode(benchEmit)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ParseShellMsg(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdDecodeEmit is the same on encoding/json (the decoder before).
func BenchmarkStdDecodeEmit(b *testing.B) {
	for b.Loop() {
		v, err := stdDecode(benchEmit)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ParseShellMsg(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseShellMsgJSONEmit(b *testing.B) {
	var msg ShellMsg
	for b.Loop() {
		if err := ParseShellMsgJSON(benchEmit, &msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseShellMsgJSONAck(b *testing.B) {
	var msg ShellMsg
	for b.Loop() {
		if err := ParseShellMsgJSON(benchAck, &msg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReaderShellMsgs is the bolt's read path: framed emits and acks
// read from a buffer and parsed.
func BenchmarkReaderShellMsgs(b *testing.B) {
	var stream []byte
	for range 64 {
		stream = append(append(stream, benchEmit...), "\nend\n"...)
		stream = append(append(stream, benchAck...), "\nend\n"...)
	}
	src := &repeatReader{data: stream}
	r := NewReader(bufio.NewReaderSize(src, 1), 0)
	var msg ShellMsg
	for b.Loop() {
		if err := r.ReadShellMsg(&msg); err != nil {
			b.Fatal(err)
		}
	}
}

// repeatReader returns data over and over.
type repeatReader struct {
	data []byte
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := copy(p, r.data[r.off:])
	r.off = (r.off + n) % len(r.data)
	return n, nil
}
