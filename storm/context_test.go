package storm_test

import (
	"slices"
	"testing"

	"github.com/galeproject/gale/storm"
)

func TestTopologyContext(t *testing.T) {
	word, _ := storm.NewFields("word")
	ctx := storm.NewTopologyContext(storm.TopologyContextConfig{
		StormID:         "wc-1-1",
		TaskID:          5,
		ComponentID:     "count",
		TaskToComponent: map[int32]string{1: "spout", 2: "split", 3: "split", 6: "count", 4: "count", 5: "count"},
		StreamFields:    map[string]map[string]*storm.Fields{"split": {"default": word}, "count": {"default": word}},
		Sources:         map[string][]storm.GlobalStreamID{"count": {{Component: "split", Stream: "default"}}},
		WorkerPort:      6700,
		WorkerTasks:     []int32{1, 5},
	})
	if ctx.StormID() != "wc-1-1" || ctx.ThisTaskID() != 5 || ctx.ThisComponentID() != "count" || ctx.ThisTaskIndex() != 1 {
		t.Fatal("identity")
	}
	if !slices.Equal(ctx.ComponentTasks("count"), []int32{4, 5, 6}) || ctx.ComponentID(2) != "split" || ctx.ComponentID(-1) != "__system" {
		t.Fatal("tasks")
	}
	if !slices.Equal(ctx.ComponentIDs(), []string{"count", "split", "spout"}) {
		t.Fatalf("ids %v", ctx.ComponentIDs())
	}
	if ctx.ComponentOutputFields("split", "default") != word || ctx.ThisOutputFields("default") != word ||
		ctx.ComponentOutputFields("x", "y") != nil {
		t.Fatal("fields")
	}
	if !slices.Equal(ctx.ThisStreams(), []string{"default"}) || len(ctx.ThisSources()) != 1 || ctx.ThisWorkerPort() != 6700 ||
		len(ctx.ThisWorkerTasks()) != 2 {
		t.Fatal("streams/sources/worker")
	}
}
