package multilang

import "testing"

func BenchmarkBoltTupleEncode(b *testing.B) {
	t := BoltTuple{ID: "-6955176146395207236", Comp: "words", Stream: "default", Task: 3, Tuple: []any{"the cow jumped over the moon", int64(1)}}
	for b.Loop() {
		if _, err := t.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeEmit(b *testing.B) {
	msg := []byte(`{"command":"emit","anchors":["-6955176146395207236"],"tuple":["cow"]}`)
	for b.Loop() {
		v, err := Decode(msg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ParseShellMsg(v); err != nil {
			b.Fatal(err)
		}
	}
}
