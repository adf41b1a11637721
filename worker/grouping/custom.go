package grouping

import "fmt"

// StreamID names a stream: the emitting component and its stream id (Storm's GlobalStreamId).
type StreamID struct {
	Component string
	Stream    string
}

// Custom is a user-defined grouping (Storm's CustomStreamGrouping). The storm SDK re-exports it as
// storm.CustomStreamGrouping; topologies name it in the registry of their App.
type Custom interface {
	// Prepare is called once, before any ChooseTasks, with the stream this grouping is used on and
	// the sorted target tasks.
	Prepare(stream StreamID, targets []int32) error
	// ChooseTasks appends the chosen target tasks to dst and returns it; it must not retain dst or
	// values.
	ChooseTasks(dst []int32, sourceTask int32, values []any) []int32
}

// NewCustom prepares c for stream and targets and returns it as a Grouper.
func NewCustom(c Custom, stream StreamID, targets []int32) (Grouper, error) {
	if err := c.Prepare(stream, sortedCopy(targets)); err != nil {
		return nil, fmt.Errorf("prepare custom grouping on %s/%s: %w", stream.Component, stream.Stream, err)
	}
	return customGrouper{c}, nil
}

type customGrouper struct{ c Custom }

func (g customGrouper) Choose(dst []int32, sourceTask int32, values []any) []int32 {
	return g.c.ChooseTasks(dst, sourceTask, values)
}
