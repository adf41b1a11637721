package stats

import "testing"

func BenchmarkEmittedTransferred(b *testing.B) {
	e := NewBolt(20)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		now := int64(i)
		e.Emitted("default", now)
		e.Transferred("default", 2, now)
	}
}

func BenchmarkRender(b *testing.B) {
	e := NewBolt(20)
	for i := range 10 {
		id := StreamID{"spout", string(rune('a' + i))}
		e.BoltExecuted(id, 3, 0)
		e.BoltAcked(id, 4, 0)
		e.Emitted(id.Stream, 0)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = e.Render(int64(i))
	}
}
