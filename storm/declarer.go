package storm

import (
	"errors"
	"fmt"
	"slices"
)

// OutputFieldsDeclarer collects a component's output streams (Storm's OutputFieldsDeclarer).
type OutputFieldsDeclarer interface {
	// Declare declares the default stream.
	Declare(fields ...string)
	// DeclareStream declares a stream.
	DeclareStream(stream string, fields ...string)
	// DeclareDirect declares the default stream as direct (tuples go only to tasks named with
	// EmitDirect).
	DeclareDirect(fields ...string)
	// DeclareDirectStream declares a direct stream.
	DeclareDirectStream(stream string, fields ...string)
}

// StreamInfo is a declared output stream.
type StreamInfo struct {
	Fields []string
	Direct bool
}

// DeclaredStreams calls c.DeclareOutputFields and returns the streams it declared. Declaring a
// stream twice or repeating a field name is an error.
func DeclaredStreams(c Component) (map[string]StreamInfo, error) {
	g := &fieldsGetter{streams: map[string]StreamInfo{}}
	c.DeclareOutputFields(g)
	return g.streams, errors.Join(g.errs...)
}

type fieldsGetter struct {
	streams map[string]StreamInfo
	errs    []error
}

func (g *fieldsGetter) Declare(fields ...string)       { g.declare(DefaultStream, false, fields) }
func (g *fieldsGetter) DeclareDirect(fields ...string) { g.declare(DefaultStream, true, fields) }
func (g *fieldsGetter) DeclareStream(stream string, fields ...string) {
	g.declare(stream, false, fields)
}
func (g *fieldsGetter) DeclareDirectStream(stream string, fields ...string) {
	g.declare(stream, true, fields)
}

func (g *fieldsGetter) declare(stream string, direct bool, fields []string) {
	if _, dup := g.streams[stream]; dup {
		g.errs = append(g.errs, fmt.Errorf("fields for %s already set", stream))
		return
	}
	if _, err := NewFields(fields...); err != nil {
		g.errs = append(g.errs, fmt.Errorf("stream %s: %w", stream, err))
		return
	}
	g.streams[stream] = StreamInfo{Fields: slices.Clone(fields), Direct: direct}
}
