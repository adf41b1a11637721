package compat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/klauspost/compress/gzip"
)

// DirData is the single byte Storm stores in the data of every directory node
// it creates with mkdirs.
const DirData = 0x07

// MaxDecodedSize bounds the size of any decompressed payload and of any plain
// thrift buffer handed to the decoders in this package (64 MiB).
const MaxDecodedSize = 64 << 20

// ErrTooLarge reports a payload whose decoded size exceeds MaxDecodedSize.
var ErrTooLarge = errors.New("compat: payload exceeds size limit")

// ErrNotGzip reports a gzip-thrift payload that does not start with the gzip
// magic bytes 1f 8b.
var ErrNotGzip = errors.New("compat: payload is not gzip data")

// DirNodeData returns a fresh []byte{DirData}, the data of a directory node.
func DirNodeData() []byte { return []byte{DirData} }

// Serialize encodes s the way Storm's default ZooKeeper serialization
// delegate does: gzip over the TBinaryProtocol (strict write) encoding of the
// struct alone.
func Serialize(s thrift.TStruct) ([]byte, error) {
	raw, err := MarshalThrift(s)
	if err != nil {
		return nil, err
	}
	return gzipBytes(raw)
}

// Deserialize decodes a gzip-thrift payload written by Storm (or Serialize)
// into s. It rejects data without the gzip magic, decompressed payloads over
// MaxDecodedSize and malformed thrift, and never panics.
func Deserialize(b []byte, s thrift.TStruct) error {
	raw, err := gunzipBytes(b)
	if err != nil {
		return err
	}
	return UnmarshalThrift(raw, s)
}

// MarshalThrift encodes s as plain TBinaryProtocol struct bytes (strict
// write, no message header), as Java's TSerializer does.
func MarshalThrift(s thrift.TStruct) ([]byte, error) {
	if s == nil {
		return nil, errors.New("compat: marshal nil struct")
	}
	buf := thrift.NewTMemoryBuffer()
	proto := thrift.NewTBinaryProtocolConf(buf, &thrift.TConfiguration{
		TBinaryStrictWrite: thrift.BoolPtr(true),
		TBinaryStrictRead:  thrift.BoolPtr(true),
	})
	ctx := context.Background()
	if err := s.Write(ctx, proto); err != nil {
		return nil, fmt.Errorf("compat: encode %T: %w", s, err)
	}
	if err := proto.Flush(ctx); err != nil {
		return nil, fmt.Errorf("compat: encode %T: %w", s, err)
	}
	return buf.Bytes(), nil
}

// UnmarshalThrift decodes plain TBinaryProtocol struct bytes into s. Trailing
// bytes after the struct are ignored, as Java's TDeserializer does. Strings
// and containers may not claim more elements than the buffer has bytes.
func UnmarshalThrift(b []byte, s thrift.TStruct) (err error) {
	if s == nil {
		return errors.New("compat: unmarshal into nil struct")
	}
	if len(b) > MaxDecodedSize {
		return fmt.Errorf("compat: decode %T: %d bytes: %w", s, len(b), ErrTooLarge)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("compat: decode %T: malformed input: %v", s, r)
		}
	}()
	// Every element of a string or container takes at least one byte, so a
	// size larger than the buffer is a lie; capping sizes at len(b) bounds
	// the allocations the generated code makes up front.
	limit := int32(len(b))
	if limit < 1 {
		limit = 1
	}
	buf := &thrift.TMemoryBuffer{Buffer: bytes.NewBuffer(b)}
	proto := thrift.NewTBinaryProtocolConf(buf, &thrift.TConfiguration{
		MaxMessageSize:     limit,
		MaxFrameSize:       limit,
		TBinaryStrictRead:  thrift.BoolPtr(true),
		TBinaryStrictWrite: thrift.BoolPtr(true),
	})
	bounded := &boundedProtocol{TProtocol: proto, budget: MaxElements}
	if err := s.Read(context.Background(), bounded); err != nil {
		return fmt.Errorf("compat: decode %T: %w", s, err)
	}
	return nil
}

// gzipBytes compresses b with a header shaped like java.util.zip's
// GZIPOutputStream (no name, mtime 0, OS byte 0).
func gzipBytes(b []byte) ([]byte, error) {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.OS = 0
	if _, err := w.Write(b); err != nil {
		return nil, fmt.Errorf("compat: gzip: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("compat: gzip: %w", err)
	}
	return out.Bytes(), nil
}

// gunzipBytes decompresses b (concatenated members allowed, as in Java),
// refusing output larger than MaxDecodedSize.
func gunzipBytes(b []byte) ([]byte, error) {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return nil, ErrNotGzip
	}
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("compat: gunzip: %w", err)
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, MaxDecodedSize+1))
	if err != nil {
		return nil, fmt.Errorf("compat: gunzip: %w", err)
	}
	if len(out) > MaxDecodedSize {
		return nil, fmt.Errorf("compat: gunzip: %w", ErrTooLarge)
	}
	return out, nil
}
