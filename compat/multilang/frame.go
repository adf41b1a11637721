package multilang

import (
	"bufio"
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
// lack its terminator.
func (r *Reader) ReadRaw() ([]byte, error) {
	var msg []byte
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
// "end").
func (r *Reader) line(have int) ([]byte, error) {
	var line []byte
	limit := max(r.max-have, len("end")) + len("\r\n")
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(line)+len(chunk) > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, r.max)
		}
		line = append(line, chunk...)
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

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// Writer writes framed messages. It is not safe for concurrent use.
type Writer struct {
	bw *bufio.Writer
}

// NewWriter writes messages to w.
func NewWriter(w io.Writer) *Writer { return &Writer{bw: bufio.NewWriterSize(w, 64<<10)} }

// WriteRaw writes text followed by "\nend\n" and flushes.
func (w *Writer) WriteRaw(text []byte) error {
	w.bw.Write(text)
	w.bw.WriteString("\nend\n")
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
