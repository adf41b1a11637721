package multilang

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/internal/stormjava"
	"github.com/galeproject/gale/stormthrift"
)

var update = flag.Bool("update", false, "regenerate testdata transcripts with Java (storm-core 1.0.0)")

// parentMessages are the messages GenTranscripts.writeParent writes with
// Storm's JsonSerializer, built with this package.
func parentMessages() [][]byte {
	must := func(b []byte, err error) []byte {
		if err != nil {
			panic(err)
		}
		return b
	}
	tuple := []any{
		"nathan", int32(1), int64(1) << 40, int64(-3), 2.5, 1.0, 1e10, 1e-5, 123456789.0, 0.001, 1e7, math.Copysign(0, -1),
		math.NaN(), float32(3.25), true, false, nil,
		[]any{"a", 2}, map[string]any{"k": "v", "n": int64(7)},
		"sl/ash \"q\" back\\slash \t\n\r\b\f \u0001 \u007f \u0085 \u2028 \u20ac \u00e9 \U0001F600 <>&'",
	}
	return [][]byte{
		must(BoltTuple{ID: "-6955176146395207236", Comp: "words", Stream: "default", Task: 3, Tuple: tuple}.Encode()),
		must(HeartbeatTuple("123").Encode()),
		must(SpoutRequest{Command: SpoutNext, ID: ""}.Encode()),
		must(SpoutRequest{Command: SpoutAck, ID: "m1"}.Encode()),
		must(SpoutRequest{Command: SpoutFail, ID: int64(42)}.Encode()),
		must(SpoutRequest{Command: SpoutAck, ID: map[string]any{"a": int64(1), "b": []any{"x", 2.0}}}.Encode()),
		EncodeTaskIDs([]int32{4, 5}),
		EncodeTaskIDs(nil),
	}
}

// TestParentTranscript pins the bytes of every parent message against
// what Storm 1.0.0's JsonSerializer wrote for the same values.
func TestParentTranscript(t *testing.T) { checkParent(t, "testdata") }

func checkParent(t *testing.T, dir string) {
	want, err := os.ReadFile(filepath.Join(dir, "parent.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	w := NewWriter(&got)
	for _, m := range parentMessages() {
		if err := w.WriteRaw(m); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got.Bytes(), want) {
		gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Errorf("line %d:\n got %s\nwant %s", i, gl[i], wl[i])
			}
		}
		if len(gl) != len(wl) {
			t.Errorf("%d lines, want %d", len(gl), len(wl))
		}
	}
}

// handshakeConf is the conf GenTranscripts passes to connect().
func handshakeConf() map[string]any {
	return map[string]any{
		"topology.name": "t", "topology.workers": int64(2), "f": 0.5,
		"list": []any{int64(1), "x"}, "nested": map[string]any{"b": nil},
	}
}

// TestHandshakeTranscript builds the handshake for three tasks of the
// topology GenTranscripts made, from its Thrift bytes, and compares it
// with what Storm's JsonSerializer.connect wrote for a real
// TopologyContext.
func TestHandshakeTranscript(t *testing.T) { checkHandshake(t, "testdata") }

func checkHandshake(t *testing.T, dir string) {
	raw, err := os.ReadFile(filepath.Join(dir, "topology.bin"))
	if err != nil {
		t.Fatal(err)
	}
	topo := stormthrift.NewStormTopology()
	if err := compat.UnmarshalThrift(raw, topo); err != nil {
		t.Fatal(err)
	}
	var inputs struct {
		Tasks           []int32           `json:"tasks"`
		TaskToComponent map[string]string `json:"task->component"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "context.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &inputs); err != nil {
		t.Fatal(err)
	}
	t2c := map[int32]string{}
	for k, v := range inputs.TaskToComponent {
		var id int32
		if err := json.Unmarshal([]byte(k), &id); err != nil {
			t.Fatal(err)
		}
		t2c[id] = v
	}
	want, err := os.ReadFile(filepath.Join(dir, "handshake.txt"))
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(bytes.NewReader(want), 0)
	for _, task := range inputs.Tasks {
		wantMsg, err := r.ReadRaw()
		if err != nil {
			t.Fatal(err)
		}
		ctx, err := NewContext(topo, t2c, task)
		if err != nil {
			t.Fatal(err)
		}
		got, err := (&Handshake{PidDir: "/pid/dir", Conf: handshakeConf(), Context: ctx}).Encode()
		if err != nil {
			t.Fatal(err)
		}
		gv, err1 := Decode(got)
		wv, err2 := Decode(wantMsg)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gv, wv) {
			t.Errorf("task %d: handshake differs:\n got %s\nwant %s", task, got, wantMsg)
		} else if !bytes.Equal(got, wantMsg) {
			// Members whose keys share a HashMap bucket come in Storm's
			// insertion order, which follows hash maps keyed by Thrift
			// structs; Gale inserts in sorted order.
			t.Logf("task %d: same handshake, member order differs within a bucket", task)
		}
	}
}

// jsonLenient lists texts json-simple accepts although they are not JSON;
// Gale rejects them (see the package comment).
var jsonLenient = map[string]bool{
	`{"command":"sync",}`:                       true,
	`{"command":"sync","a":[1,2,]}`:             true,
	`{"command":"sync","a":01}`:                 true,
	`{"command":"sync","a":"\x"}`:               true,
	"{\"command\":\"sync\",\"a\":\"raw\ttab\"}": true,
	`{"command":"emit","tuple":[true false]}`:   true,
	`{"command":"emit","tuple":[1 2]}`:          true,
	`{"command":"emit" "tuple":[1]}`:            true,
	`{"command":"emit",,"tuple":[1]}`:           true,
}

// TestShellMsgDifferential runs every text of child_messages.json through
// Decode and ParseShellMsg and compares with what Storm's
// JsonSerializer.readShellMsg made of it (shellmsgs.json).
func TestShellMsgDifferential(t *testing.T) { checkShellMsgs(t, "testdata") }

func checkShellMsgs(t *testing.T, dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "shellmsgs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var results []struct {
		Input string         `json:"input"`
		Error string         `json:"error"`
		Msg   map[string]any `json:"msg"`
	}
	if err := json.Unmarshal(b, &results); err != nil {
		t.Fatal(err)
	}
	if len(results) < 60 {
		t.Fatalf("only %d cases", len(results))
	}
	for _, r := range results {
		v, err := NewReader(strings.NewReader(r.Input+"\nend\n"), 0).Read()
		var msg *ShellMsg
		if err == nil {
			msg, err = ParseShellMsg(v)
		}
		switch {
		case r.Error != "" && err == nil:
			t.Errorf("%q: Storm fails (%s), Gale parsed %+v", r.Input, r.Error, msg)
		case r.Error != "":
			// both fail
		case err != nil && jsonLenient[r.Input]:
			if !errors.Is(err, ErrBadJSON) {
				t.Errorf("%q: want ErrBadJSON, got %v", r.Input, err)
			}
		case err != nil:
			t.Errorf("%q: Storm parses it, Gale fails: %v", r.Input, err)
		default:
			got := map[string]any{
				"command": msg.Command, "id": msg.ID, "stream": msg.Stream, "task": msg.Task,
				"tuple": msg.Tuple, "need_task_ids": msg.NeedTaskIDs, "metric_params": msg.MetricParams,
				"level": msg.Level.String(),
			}
			want := map[string]any{}
			for _, k := range []string{"command", "id", "stream", "task", "tuple", "need_task_ids", "metric_params", "level"} {
				want[k] = r.Msg[k]
			}
			if g, w := norm(t, got), norm(t, want); !reflect.DeepEqual(g, w) {
				t.Errorf("%q:\n got %v\nwant %v", r.Input, g, w)
			}
			if ws, _ := r.Msg["msg"].(string); ws != msg.Msg {
				t.Errorf("%q: msg %q, want %q", r.Input, msg.Msg, ws)
			}
			if wn, _ := r.Msg["metric_name"].(string); wn != msg.MetricName {
				t.Errorf("%q: metric name %q, want %q", r.Input, msg.MetricName, wn)
			}
			var wantAnchors []string // Storm keeps null anchors; Gale drops them
			wa, _ := r.Msg["anchors"].([]any)
			for _, a := range wa {
				if s, ok := a.(string); ok {
					wantAnchors = append(wantAnchors, s)
				}
			}
			if len(wantAnchors) != len(msg.Anchors) || (len(wantAnchors) > 0 && !reflect.DeepEqual(wantAnchors, msg.Anchors)) {
				t.Errorf("%q: anchors %q, want %q", r.Input, msg.Anchors, wantAnchors)
			}
		}
	}
}

func norm(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTranscriptsLive regenerates the transcripts with this machine's JVM
// and storm-core 1.0.0 and checks them; with -update it rewrites testdata.
func TestTranscriptsLive(t *testing.T) {
	if testing.Short() && !*update {
		t.Skip("short mode")
	}
	cp := stormjava.Classpath(t)
	classes := stormjava.Compile(t, "testdata/java", cp)
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stormjava.Run(t, stormjava.Command(ctx, classes+string(os.PathListSeparator)+cp,
		"gale.multilang.GenTranscripts", "testdata/child_messages.json", out))
	t.Run("parent", func(t *testing.T) { checkParent(t, out) })
	t.Run("handshake", func(t *testing.T) { checkHandshake(t, out) })
	t.Run("shellmsgs", func(t *testing.T) { checkShellMsgs(t, out) })
	for _, name := range []string{"parent.txt", "handshake.txt", "shellmsgs.json", "context.json", "topology.bin"} {
		live, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(filepath.Join("testdata", name), live, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		committed, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(live, committed) {
			t.Errorf("%s: live output differs from the committed golden (run with -update if Storm's output is right)", name)
		}
	}
}
