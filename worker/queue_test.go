package worker

import (
	"slices"
	"testing"
	"time"
)

func TestQueueBoundsAndOrder(t *testing.T) {
	var events []bool
	q := newQueue[int](queueOptions{Capacity: 4, Hard: 8, High: 0.75, Low: 0.25, OnCongested: func(on bool) { events = append(events, on) }})

	if ok, _, err := q.TryPut([]int{1, 2}); !ok || err != nil {
		t.Fatal("put below capacity refused")
	}
	if ok, _, _ := q.TryPut([]int{3, 4, 5}); !ok { // admitted: below capacity, overshoots by its size
		t.Fatal("batch refused below capacity")
	}
	ok, space, _ := q.TryPut([]int{6})
	if ok || space == nil {
		t.Fatal("put at capacity admitted")
	}
	if !slices.Equal(events, []bool{true}) {
		t.Fatalf("congestion events %v, want [true]", events)
	}
	if n := q.PutNoWait([]int{6, 7, 8, 9}); n != 1 { // 5 queued + 3 fit the hard bound of 8
		t.Fatalf("PutNoWait dropped %d, want 1", n)
	}
	select {
	case <-space:
		t.Fatal("space signalled without a take")
	default:
	}
	got, left := q.Take(nil, 3)
	if !slices.Equal(got, []int{1, 2, 3}) || left != 5 {
		t.Fatalf("Take = %v, %d left", got, left)
	}
	select {
	case <-space:
		t.Fatal("space signalled while still at capacity")
	default:
	}
	got, left = q.Take(got[:0], 4)
	if !slices.Equal(got, []int{4, 5, 6, 7}) || left != 1 {
		t.Fatalf("Take = %v, %d left", got, left)
	}
	select {
	case <-space:
	default:
		t.Fatal("no space signal below capacity")
	}
	if !slices.Equal(events, []bool{true, false}) {
		t.Fatalf("congestion events %v, want [true false]", events)
	}
	if q.Dropped() != 1 {
		t.Fatalf("Dropped = %d", q.Dropped())
	}
}

func TestQueuePutWaitsAndStops(t *testing.T) {
	q := newQueue[int](queueOptions{Capacity: 1})
	q.PutNoWait([]int{1})
	done := make(chan error, 1)
	go func() { done <- q.Put([]int{2}, nil) }()
	select {
	case <-done:
		t.Fatal("Put did not wait for room")
	case <-time.After(20 * time.Millisecond):
	}
	got, _ := q.Take(nil, 10)
	if err := <-done; err != nil || !slices.Equal(got, []int{1}) {
		t.Fatalf("Put = %v, took %v", err, got)
	}
	stop := make(chan struct{})
	go func() { done <- q.Put([]int{3}, stop) }()
	close(stop)
	if err := <-done; err != errQueueClosed {
		t.Fatalf("stopped Put = %v", err)
	}
	q.Close()
	if _, _, err := q.TryPut([]int{4}); err != errQueueClosed {
		t.Fatalf("TryPut after Close = %v", err)
	}
	if got, _ := q.Take(nil, 10); !slices.Equal(got, []int{2}) {
		t.Fatalf("items lost by Close: %v", got)
	}
}

func TestQueueNotify(t *testing.T) {
	q := newQueue[int](queueOptions{Capacity: 10})
	q.PutNoWait([]int{1})
	q.PutNoWait([]int{2})
	<-q.Notify()
	select {
	case <-q.Notify():
		t.Fatal("two notifications for one wakeup")
	default:
	}
	if got, _ := q.Take(nil, 10); len(got) != 2 {
		t.Fatalf("took %v", got)
	}
}

func BenchmarkQueue(b *testing.B) {
	q := newQueue[envelope](queueOptions{Capacity: 1024})
	batch := make([]envelope, 64)
	done := make(chan struct{})
	go func() {
		var buf []envelope
		n := 0
		for n < b.N*len(batch) {
			<-q.Notify()
			for {
				var left int
				buf, left = q.Take(buf[:0], 256)
				n += len(buf)
				if left == 0 {
					break
				}
			}
		}
		close(done)
	}()
	b.ResetTimer()
	for range b.N {
		if err := q.Put(batch, nil); err != nil {
			b.Fatal(err)
		}
	}
	<-done
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "items/s")
}
