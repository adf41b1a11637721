package multilang

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxMessageBytes bounds one message when the reader is given no
// other limit. Storm has no bound; tuples over 64 MiB are not a use case.
const DefaultMaxMessageBytes = 64 << 20

// ErrTooLarge is wrapped by the error for a message longer than the
// reader's limit.
var ErrTooLarge = errors.New("multilang message too large")

// ErrPipeClosed is wrapped by the error for a stream that ends before a
// message is complete (JsonSerializer: "Pipe to subprocess seems to be
// broken!"). It also wraps io.EOF.
var ErrPipeClosed = errors.New("pipe to subprocess seems to be broken")

// Reader reads framed messages. It is not safe for concurrent use.
type Reader struct {
	br  *bufio.Reader
	max int
	msg []byte // ReadRaw's result, reused
}

// NewReader reads messages from r, refusing any longer than maxBytes
// (DefaultMaxMessageBytes if maxBytes <= 0).
func NewReader(r io.Reader, maxBytes int) *Reader {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxMessageBytes
	}
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), max: maxBytes}
}

// ReadRaw returns the text of the next message: its lines up to the line
// "end", joined with "\n". A line ends at "\n" or "\r\n"; the last line may
// lack its terminator. The text is valid until the next read.
func (r *Reader) ReadRaw() ([]byte, error) {
	msg := r.msg[:0]
	defer func() {
		if cap(msg) <= 64<<10 { // keep a modest buffer only
			r.msg = msg[:0]
		}
	}()
	lines := 0
	for {
		line, err := r.line(len(msg))
		if err != nil {
			if errors.Is(err, io.EOF) {
				if lines == 0 {
					return nil, fmt.Errorf("%w: no output read (%w)", ErrPipeClosed, io.EOF)
				}
				return nil, fmt.Errorf("%w: currently read output: %q (%w)", ErrPipeClosed, truncate(msg, 1024), io.EOF)
			}
			return nil, err
		}
		if string(line) == "end" {
			return msg, nil
		}
		if n := len(msg) + len(line) + min(lines, 1); n > r.max {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, r.max)
		}
		if lines > 0 {
			msg = append(msg, '\n')
		}
		msg = append(msg, line...)
		lines++
	}
}

// line reads one line without its terminator; have is the size of the
// message so far, for the bound (a line may always be long enough to be
// "end"). The line is valid until the next read.
func (r *Reader) line(have int) ([]byte, error) {
	var line []byte
	limit := max(r.max-have, len("end")) + len("\r\n")
	for first := true; ; first = false {
		chunk, err := r.br.ReadSlice('\n')
		if len(line)+len(chunk) > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, r.max)
		}
		if first && !errors.Is(err, bufio.ErrBufferFull) {
			line = chunk // the whole line, read no further: no copy
		} else {
			line = append(line, chunk...) // the next ReadSlice reuses chunk's bytes
		}
		switch {
		case err == nil:
			line = line[:len(line)-1]
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return line, nil // last line without a terminator
		default:
			return nil, err
		}
	}
}

// Read reads the next message and decodes it (see [Decode]). A message
// that is JSON null is an error, as for JsonSerializer.
func (r *Reader) Read() (any, error) {
	raw, err := r.ReadRaw()
	if err != nil {
		return nil, err
	}
	v, err := Decode(raw)
	if err == nil && v == nil {
		err = fmt.Errorf("%w: null", ErrBadJSON)
	}
	if err != nil {
		return nil, fmt.Errorf("unable to parse %q: %w", truncate(raw, 1024), err)
	}
	return v, nil
}

// ReadShellMsg reads the next message, a command from a subprocess, into
// msg: what Read followed by ParseShellMsg returns, without the
// intermediate map (see [ParseShellMsgJSON]).
func (r *Reader) ReadShellMsg(msg *ShellMsg) error {
	raw, err := r.ReadRaw()
	if err != nil {
		return err
	}
	if err := ParseShellMsgJSON(raw, msg); err != nil {
		if errors.Is(err, ErrBadJSON) {
			return fmt.Errorf("unable to parse %q: %w", truncate(raw, 1024), err)
		}
		return err
	}
	return nil
}

// Buffered reports whether a whole message is already buffered: the next
// read returns it (or fails) without reading from the stream.
func (r *Reader) Buffered() bool {
	n := r.br.Buffered()
	if n == 0 {
		return false
	}
	b, _ := r.br.Peek(n)
	// A message ends at a line "end": at the start, or after "\n".
	if bytes.HasPrefix(b, endLF) || bytes.HasPrefix(b, endCRLF) {
		return true
	}
	for {
		i := bytes.Index(b, nlEnd)
		if i < 0 {
			return false
		}
		rest := b[i+len(nlEnd):]
		if len(rest) > 0 && (rest[0] == '\n' || (rest[0] == '\r' && len(rest) > 1 && rest[1] == '\n')) {
			return true
		}
		b = b[i+1:]
	}
}

var (
	endLF   = []byte("end\n")
	endCRLF = []byte("end\r\n")
	nlEnd   = []byte("\nend")
)

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// Writer writes framed messages. It is not safe for concurrent use.
//
// The Write methods write and flush one message; the Append methods only
// buffer theirs (the buffer is written out when full), for a batch ended
// by Flush.
type Writer struct {
	bw *bufio.Writer
}

// NewWriter writes messages to w.
func NewWriter(w io.Writer) *Writer { return &Writer{bw: bufio.NewWriterSize(w, 64<<10)} }

// WriteRaw writes text followed by "\nend\n" and flushes.
func (w *Writer) WriteRaw(text []byte) error {
	if err := w.AppendRaw(text); err != nil {
		return err
	}
	return w.bw.Flush()
}

// Write encodes v (see [Encode]) and writes it as one message.
func (w *Writer) Write(v any) error {
	b, err := Encode(v)
	if err != nil {
		return err
	}
	return w.WriteRaw(b)
}

// Flush writes out what the Append methods buffered.
func (w *Writer) Flush() error { return w.bw.Flush() }

// AppendRaw buffers text followed by "\nend\n".
func (w *Writer) AppendRaw(text []byte) error {
	w.bw.Write(text)
	_, err := w.bw.WriteString(terminator)
	return err
}

// AppendBoltTuple buffers t as one message, encoded in place.
func (w *Writer) AppendBoltTuple(t *BoltTuple) error {
	buf, err := t.AppendJSON(w.bw.AvailableBuffer())
	if err != nil {
		return err
	}
	buf = append(buf, terminator...)
	_, err = w.bw.Write(buf)
	return err
}

// AppendTaskIDs buffers the reply to an emit (see [EncodeTaskIDs]).
func (w *Writer) AppendTaskIDs(ids []int32) error {
	_, err := w.bw.Write(AppendTaskIDsFrame(w.bw.AvailableBuffer(), ids))
	return err
}

// AppendFramed buffers messages already framed, such as replies made with
// [AppendTaskIDsFrame].
func (w *Writer) AppendFramed(b []byte) error {
	_, err := w.bw.Write(b)
	return err
}

// AppendTaskIDsFrame appends the reply to an emit (see [EncodeTaskIDs])
// and its terminator to buf.
func AppendTaskIDsFrame(buf []byte, ids []int32) []byte {
	return append(appendTaskIDs(buf, ids), terminator...)
}

// terminator ends every message the parent writes.
const terminator = "\nend\n"
