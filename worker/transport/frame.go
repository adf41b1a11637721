package transport

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Control codes of Storm's Netty transport (ControlMessage, SaslMessageToken).
const (
	CodeClose              int16 = -100
	CodeOK                 int16 = -200
	CodeEOB                int16 = -201
	CodeSaslRequest        int16 = -202
	CodeSaslComplete       int16 = -203
	CodeFailure            int16 = -400
	CodeSaslToken          int16 = -500
	LoadMetricsTask        int32 = -1 // server→client load metrics travel as a task message to task -1
	headerBytes                  = 6  // int16 task + int32 length
	DefaultMaxMessageBytes       = 64 << 20
)

// Message is one task message: the destination task and the serialized tuple.
type Message struct {
	Task    int32
	Payload []byte
}

// ErrTaskRange is returned for a task id that does not fit the wire's int16.
var ErrTaskRange = errors.New("transport: task id outside int16 range")

// ErrProtocol is wrapped by every framing error.
var ErrProtocol = errors.New("transport: protocol error")

// MessageSize is the number of bytes AppendMessage adds for a payload of n bytes.
func MessageSize(n int) int { return headerBytes + n }

// CheckTask reports whether task can be sent: it must fit an int16 and not be a control code.
func CheckTask(task int32) error {
	if task < math.MinInt16 || task > math.MaxInt16 || isControl(int16(task)) {
		return fmt.Errorf("%w: %d", ErrTaskRange, task)
	}
	return nil
}

// AppendMessage appends a task message frame.
func AppendMessage(dst []byte, task int32, payload []byte) ([]byte, error) {
	if err := CheckTask(task); err != nil {
		return dst, err
	}
	if len(payload) > math.MaxInt32 {
		return dst, fmt.Errorf("transport: payload of %d bytes too large", len(payload))
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(int16(task)))
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(payload)))
	return append(dst, payload...), nil
}

// AppendEOB appends the end-of-batch marker.
func AppendEOB(dst []byte) []byte {
	eob := CodeEOB
	return binary.BigEndian.AppendUint16(dst, uint16(eob))
}

func isControl(code int16) bool {
	switch code {
	case CodeClose, CodeOK, CodeEOB, CodeSaslRequest, CodeSaslComplete, CodeFailure, CodeSaslToken:
		return true
	}
	return false
}

// Parser splits a byte stream into task messages.
type Parser struct {
	// MaxMessageBytes bounds a payload (DefaultMaxMessageBytes when 0).
	MaxMessageBytes int
}

// Parse appends the complete task messages at the start of b to msgs and returns them with the
// number of bytes consumed and, when b holds an incomplete frame, the total size that frame needs
// (0 otherwise). EOB markers are consumed silently. Payloads alias b. Any other control code or an
// oversized length is an error wrapping ErrProtocol; the messages before it are still returned.
// A length of zero or less is an empty payload, as in Storm's decoder.
func (p Parser) Parse(b []byte, msgs []Message) (out []Message, consumed, need int, err error) {
	max := p.MaxMessageBytes
	if max <= 0 {
		max = DefaultMaxMessageBytes
	}
	off := 0
	for {
		rest := b[off:]
		if len(rest) < 2 {
			if len(rest) > 0 {
				need = 2
			}
			return msgs, off, need, nil
		}
		code := int16(binary.BigEndian.Uint16(rest))
		if code == CodeEOB {
			off += 2
			continue
		}
		if isControl(code) {
			return msgs, off, 0, fmt.Errorf("%w: unexpected control code %d", ErrProtocol, code)
		}
		if len(rest) < headerBytes {
			return msgs, off, headerBytes, nil
		}
		n := int32(binary.BigEndian.Uint32(rest[2:]))
		if n <= 0 {
			msgs = append(msgs, Message{Task: int32(code)})
			off += headerBytes
			continue
		}
		if int(n) > max {
			return msgs, off, 0, fmt.Errorf("%w: message of %d bytes exceeds %d", ErrProtocol, n, max)
		}
		if len(rest) < headerBytes+int(n) {
			return msgs, off, headerBytes + int(n), nil
		}
		msgs = append(msgs, Message{Task: int32(code), Payload: rest[headerBytes : headerBytes+int(n) : headerBytes+int(n)]})
		off += headerBytes + int(n)
	}
}
