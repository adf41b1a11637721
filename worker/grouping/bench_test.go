package grouping

import (
	"strconv"
	"testing"
)

func BenchmarkFieldsString(b *testing.B) {
	f, _ := NewFields([]string{"word", "count"}, []string{"word"}, []int32{1, 2, 3, 4, 5, 6, 7, 8})
	words := make([][]any, 1024)
	for i := range words {
		words[i] = []any{"word-" + strconv.Itoa(i), int64(i)}
	}
	dst := make([]int32, 0, 4)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst = f.Choose(dst[:0], 1, words[i&1023])
	}
}

func BenchmarkFieldsLongs(b *testing.B) {
	f, _ := NewFields([]string{"a", "b"}, []string{"a", "b"}, []int32{1, 2, 3, 4, 5, 6, 7, 8})
	values := []any{int64(123456789), int64(987654321)}
	dst := make([]int32, 0, 4)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst = f.Choose(dst[:0], 1, values)
	}
}

func BenchmarkShuffle(b *testing.B) {
	s := NewShuffle([]int32{1, 2, 3, 4, 5, 6, 7, 8}, newRand(1))
	dst := make([]int32, 0, 4)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst = s.Choose(dst[:0], 1, nil)
	}
}
