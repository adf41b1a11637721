package multilang

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// decodeCorpus holds texts the hand-written decoder must treat exactly as
// encoding/json (stdDecode) does.
var decodeCorpus = []string{
	``, ` `, `null`, `true`, `false`, `nul`, `nullx`, `tru`, `[`, `]`, `{`, `}`, `[]`, `{}`, ` [ ] `, ` { } `,
	`0`, `-0`, `-`, `01`, `1.`, `.5`, `1.5`, `-1.5e10`, `1e`, `1e+`, `1E-2`, `1e400`, `-1e400`, `1e-400`,
	`9223372036854775807`, `9223372036854775808`, `-9223372036854775808`, `-9223372036854775809`,
	`18446744073709551616`, `99999999999999999999999`, `123abc`, `[1,2,]`, `[,1]`, `[1 2]`, `[1,,2]`,
	`{"a":1,}`, `{,"a":1}`, `{"a" 1}`, `{"a":}`, `{a:1}`, `{'a':1}`, `{"a":1}{"b":2}`, `{"a":1} x`,
	`{"a":1,"a":2}`, `{"a":{"b":[1,{"c":null}]}}`,
	`""`, `"abc"`, `"a\"b\\c\/d\be\ff\ng\rh\ti"`, `"\u00e9\u20AC"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00"`,
	`"\ud83d\u0041"`, `"\ud83dx"`, `"\ud83d\ud83d\ude00"`, `"\u12"`, `"\u12g4"`, `"\x"`, `"\'"`, `"\`, `"abc`,
	"\"raw\ttab\"", "\"nl\n\"", "\"\x7f\"", "\"é€😀\"", "\"\xff\xfe\"", "\"a\xc3\"", "\"\xed\xa0\x80\"",
	"{\"\xff\":1}", `{"k\u0065y":"v"}`, "\t\r\n[1]\n", `[true,false,null,"x",1,2.5,[],{}]`,
	`{"command":"emit","anchors":["-6955176146395207236"],"tuple":["cow"]}`,
	`{"command":"ack","id":"123"}`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	strings.Repeat(`{"a":`, 10001) + "1" + strings.Repeat("}", 10001),
}

func checkSameDecode(t *testing.T, in []byte) {
	t.Helper()
	got, err := Decode(in)
	want, wantErr := stdDecode(in)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("Decode(%q) = %#v, %v; encoding/json: %#v, %v", in, got, err, want, wantErr)
	}
	if err != nil {
		if !errors.Is(err, ErrBadJSON) {
			t.Fatalf("Decode(%q): %v does not wrap ErrBadJSON", in, err)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Decode(%q) = %#v, encoding/json: %#v", in, got, want)
	}
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for _, s := range decodeCorpus {
		checkSameDecode(t, []byte(s))
	}
	for _, name := range []string{"testdata/parent.txt", "testdata/handshake.txt"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		r := NewReader(bytes.NewReader(b), 0)
		for {
			raw, err := r.ReadRaw()
			if err != nil {
				break
			}
			checkSameDecode(t, raw)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range decodeCorpus[:len(decodeCorpus)-3] {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkSameDecode(t, b)
		checkSameShellMsg(t, b)
	})
}

// checkSameShellMsg compares ParseShellMsgJSON with Decode + ParseShellMsg.
func checkSameShellMsg(t *testing.T, in []byte) {
	t.Helper()
	var want *ShellMsg
	v, wantErr := Decode(in)
	if wantErr == nil && v == nil {
		wantErr = ErrBadJSON
	}
	if wantErr == nil {
		want, wantErr = ParseShellMsg(v)
	}
	got := &ShellMsg{Anchors: []string{"stale", "storage"}}
	err := ParseShellMsgJSON(in, got)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("ParseShellMsgJSON(%q) = %+v, %v; want %+v, %v", in, got, err, want, wantErr)
	}
	if err != nil {
		if errors.Is(err, ErrBadJSON) != errors.Is(wantErr, ErrBadJSON) || errors.Is(err, ErrBadMessage) != errors.Is(wantErr, ErrBadMessage) {
			t.Fatalf("ParseShellMsgJSON(%q) error %v, want %v", in, err, wantErr)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseShellMsgJSON(%q) = %#v, want %#v", in, got, want)
	}
}

var shellMsgCorpus = []string{
	`{"command":"emit","anchors":["-6955176146395207236"],"tuple":["cow"]}`,
	`{"command":"emit","tuple":[1,2.5,"x",null,true,[1],{"a":1}],"stream":"s","task":5,"anchors":[null]}`,
	`{"command":"emit","tuple":["x"],"need_task_ids":false,"anchors":"1"}`,
	`{"command":"emit","anchors":["1",null,"2"],"anchors":["3"]}`,
	`{"command":"emit","anchors":["1",2]}`,
	`{"command":"emit","anchors":["1",2],"anchors":["3"]}`,
	`{"command":"emit","anchors":["3"],"anchors":["1",2]}`,
	`{"command":"emit","anchors":["3"],"anchors":null}`,
	`{"command":"emit","anchors":[]}`,
	`{"command":"emit","anchors":[["1"]]}`,
	`{"command":"emit","anchors":["1" "2"]}`,
	`{"command":"emit","anchors":["1",nul]}`,
	`{"command":"emit","anchors":["1"`,
	`{"command":"emit","anchors":{}}`,
	`{"command":"emit","anchors":5}`,
	`{"command":"emit","task":1.5}`, `{"command":"emit","task":"1"}`, `{"command":"emit","need_task_ids":1}`,
	`{"command":"emit","tuple":{}}`, `{"command":"emit","stream":1}`, `{"command":"emit","stream":null}`,
	`{"command":"ack","id":"123"}`, `{"command":"fail","id":123}`, `{"command":"sync"}`, `{"command":""}`,
	`{"command":null}`, `{"command":1}`, `{}`, `[]`, `null`, `1`, `"x"`, `{"command":"sync"} x`,
	`{"command":"log","msg":"m","level":4}`, `{"command":"log","msg":"m","level":7}`, `{"command":"log","msg":1}`,
	`{"command":"error","msg":"e"}`, `{"command":"metrics","name":"n","params":{"a":[1]}}`,
	`{"command":"metrics","name":1}`, `{"comm\u0061nd":"sync","x":[1,{"y":9223372036854775808}]}`,
	`{"command":"sync","x":9223372036854775808}`, ` {"command" : "sync" } `,
}

func TestParseShellMsgJSON(t *testing.T) {
	for _, s := range shellMsgCorpus {
		checkSameShellMsg(t, []byte(s))
	}
	for _, s := range decodeCorpus {
		checkSameShellMsg(t, []byte(s))
	}
	b, err := os.ReadFile("testdata/shellmsgs.json")
	if err != nil {
		t.Fatal(err)
	}
	var results []struct {
		Input string `json:"input"`
	}
	if err := json.Unmarshal(b, &results); err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		checkSameShellMsg(t, []byte(r.Input))
	}
	// Anchors storage is reused.
	msg := &ShellMsg{}
	if err := ParseShellMsgJSON([]byte(`{"command":"emit","anchors":["a","b"]}`), msg); err != nil {
		t.Fatal(err)
	}
	first := &msg.Anchors[0]
	if err := ParseShellMsgJSON([]byte(`{"command":"emit","anchors":["c"]}`), msg); err != nil {
		t.Fatal(err)
	}
	if &msg.Anchors[0] != first || !reflect.DeepEqual(msg.Anchors, []string{"c"}) {
		t.Errorf("anchors %q not in the reused storage", msg.Anchors)
	}
}

func TestBoltTupleAppendJSON(t *testing.T) {
	for _, bt := range []BoltTuple{
		{ID: "-6955176146395207236", Comp: "words", Stream: "default", Task: 3, Tuple: []any{"the cow/jumped\n", int64(1), 2.5, nil, true, []any{"x"}, map[string]any{"b": 1, "a": 2}}},
		HeartbeatTuple("42"),
		{ID: "1", Comp: "é\u2028", Stream: "s\"", Task: -7, Tuple: []any{}},
	} {
		want, err := Encode(bt.jsonValue())
		if err != nil {
			t.Fatal(err)
		}
		got, err := bt.AppendJSON([]byte("prefix"))
		if err != nil || string(got) != "prefix"+string(want) {
			t.Errorf("AppendJSON = %s, %v; want prefix%s", got, err, want)
		}
	}
	bad := BoltTuple{ID: "1", Tuple: []any{make(chan int)}}
	if got, err := bad.AppendJSON([]byte("p")); err == nil || string(got) != "p" {
		t.Errorf("AppendJSON of a channel = %q, %v", got, err)
	}
}

func TestReaderBuffered(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", false}, {"{}", false}, {"{}\nend", false}, {"{}\nend\n", true}, {"{}\nend\r\n", true},
		{"{}\nend\r", false}, {"end\n", true}, {"end\r\n", true}, {"{\"a\":\"\nendx\"}\nen", false},
		{"{}\nendx\n{}\nend\n", true}, {"x\n end\n", false},
	} {
		r := NewReader(strings.NewReader(tc.in), 0)
		_, _ = r.br.Peek(len(tc.in)) // fill the buffer without consuming
		if got := r.Buffered(); got != tc.want {
			t.Errorf("Buffered after %q = %v, want %v", tc.in, got, tc.want)
		}
	}
	// After a message, Buffered tells whether the next one is there.
	r := NewReader(strings.NewReader("{}\nend\n[1]\nend\n[2]\ne"), 0)
	if _, err := r.ReadRaw(); err != nil {
		t.Fatal(err)
	}
	if !r.Buffered() {
		t.Error("second message not seen as buffered")
	}
	if _, err := r.ReadRaw(); err != nil {
		t.Fatal(err)
	}
	if r.Buffered() {
		t.Error("partial third message seen as buffered")
	}
}

func TestWriterAppend(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	bt := BoltTuple{ID: "7", Comp: "c", Stream: "default", Task: 1, Tuple: []any{"v"}}
	if err := w.AppendBoltTuple(&bt); err != nil {
		t.Fatal(err)
	}
	if err := w.AppendTaskIDs([]int32{3, 4}); err != nil {
		t.Fatal(err)
	}
	if err := w.AppendRaw([]byte(`{"x":1}`)); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Fatalf("appended messages written before Flush: %q", buf.String())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := `{"comp":"c","tuple":["v"],"task":1,"stream":"default","id":"7"}` + "\nend\n[3,4]\nend\n" + `{"x":1}` + "\nend\n"
	if buf.String() != want {
		t.Errorf("wrote %q, want %q", buf.String(), want)
	}
}
