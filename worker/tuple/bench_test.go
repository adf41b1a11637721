package tuple

import "testing"

func benchTuple() *Tuple {
	return &Tuple{SourceTask: 12, Stream: "default", ID: MessageID{{Root: 0x1234567890, Edge: -99}},
		Values: Values{"the-quick-brown-fox", int64(1234567), 3.25}}
}

func BenchmarkGaleEncode(b *testing.B) {
	c := NewGaleCodec()
	tu := benchTuple()
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf, _ = c.AppendEncode(buf[:0], tu)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkGaleDecode(b *testing.B) {
	c := NewGaleCodec()
	buf, _ := c.AppendEncode(nil, benchTuple())
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var tu Tuple // a fresh tuple per message, as the executor hands tuples to bolts
		if err := c.Decode(buf, &tu); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKryoEncode(b *testing.B) {
	c := NewKryoCodec(NewStreamDictionary(map[int32]string{12: "spout"}, map[string][]string{"spout": {"default", "__ack_init"}}))
	tu := benchTuple()
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf, _ = c.AppendEncode(buf[:0], tu)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkKryoDecode(b *testing.B) {
	c := NewKryoCodec(NewStreamDictionary(map[int32]string{12: "spout"}, map[string][]string{"spout": {"default", "__ack_init"}}))
	buf, _ := c.AppendEncode(nil, benchTuple())
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var tu Tuple
		if err := c.Decode(buf, &tu); err != nil {
			b.Fatal(err)
		}
	}
}
