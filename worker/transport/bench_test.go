package transport

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
)

// BenchmarkLoopbackThroughput sends messages from one client to one server over loopback TCP and
// waits until the server has received them all. One op = one message.
func BenchmarkLoopbackThroughput(b *testing.B) {
	for _, size := range []int{64, 1024} {
		b.Run(fmt.Sprintf("payload=%d", size), func(b *testing.B) {
			quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
			var got atomic.Int64
			done := make(chan struct{})
			var target atomic.Int64
			srv, err := Listen("127.0.0.1:0", func(_ net.Addr, msgs []Message) {
				if got.Add(int64(len(msgs))) == target.Load() {
					close(done)
				}
			}, Options{Logger: quiet})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close(context.Background())
			c := Dial(srv.Addr().String(), Options{Logger: quiet})
			defer c.Close(context.Background())
			for !c.Ready() {
				// The connection is up within a few round trips.
				runtime.Gosched()
			}
			p := make([]byte, size)
			target.Store(int64(b.N))
			b.SetBytes(int64(MessageSize(size)))
			b.ReportAllocs()
			b.ResetTimer()
			ctx := context.Background()
			batch := make([]Message, 0, 64)
			for i := 0; i < b.N; i++ {
				batch = append(batch, Message{Task: int32(i & 1023), Payload: p})
				if len(batch) == cap(batch) || i == b.N-1 {
					if err := c.SendBatch(ctx, batch); err != nil {
						b.Fatal(err)
					}
					batch = batch[:0]
				}
			}
			<-done
			b.StopTimer()
			st := c.Stats()
			b.ReportMetric(float64(st.Sent)/float64(st.Batches), "msgs/write")
		})
	}
}
