package stats

// Window keys of ExecutorStats maps.
const (
	Window10m     = "600"
	Window3h      = "10800"
	Window1d      = "86400"
	WindowAllTime = ":all-time"
)

// NumBuckets is the number of buckets per rolling window (Storm's NUM-STAT-BUCKETS).
const NumBuckets = 20

// windows returns the rolling windows in milliseconds, in the order of windowKeys.
func windows() [3]int64 { return [3]int64{600_000, 10_800_000, 86_400_000} }

// windowKeys returns the window keys: the rolling windows, then all-time.
func windowKeys() [4]string { return [4]string{Window10m, Window3h, Window1d, WindowAllTime} }

// ring is one rolling window: NumBuckets full buckets plus the one in progress. Slot i holds the
// values of bucket epoch epochs[i] (epoch = time / width).
type ring struct {
	epochs [NumBuckets + 1]int64
	a, b   [NumBuckets + 1]int64 // a: count or latency sum; b: latency count
}

func (r *ring) slot(epoch int64) int {
	i := int(epoch % (NumBuckets + 1))
	if r.epochs[i] != epoch {
		r.epochs[i] = epoch
		r.a[i], r.b[i] = 0, 0
	}
	return i
}

func (r *ring) add(width, now, a, b int64) {
	i := r.slot(now / width)
	r.a[i] += a
	r.b[i] += b
}

// read returns the sums over the last window: the current bucket, the NumBuckets-1 before it and
// the oldest bucket weighted by the part of it still inside the window.
func (r *ring) read(width, now int64) (a, b float64) {
	e := now / width
	for k := int64(0); k < NumBuckets; k++ {
		i := int((e - k) % (NumBuckets + 1))
		if e-k >= 0 && r.epochs[i] == e-k {
			a += float64(r.a[i])
			b += float64(r.b[i])
		}
	}
	old := e - NumBuckets
	if i := int(old % (NumBuckets + 1)); old >= 0 && r.epochs[i] == old {
		w := 1 - float64(now%width)/float64(width)
		a += w * float64(r.a[i])
		b += w * float64(r.b[i])
	}
	return a, b
}

// series is a counter (b unused) or a latency (a = sum of ms, b = count) over all windows.
type series struct {
	rings        [3]ring
	allA, allB   int64
	last         int64
	everRecorded bool
}

func newSeries() *series {
	s := &series{}
	for w := range s.rings {
		for i := range s.rings[w].epochs {
			s.rings[w].epochs[i] = -1
		}
	}
	return s
}

func (s *series) add(now, a, b int64) {
	now = max(now, s.last, 0) // time never runs backwards inside a series
	s.last = now
	for w, width := range windows() {
		s.rings[w].add(width/NumBuckets, now, a, b)
	}
	s.allA += a
	s.allB += b
}

// counts returns the count of each window, in windowKeys order.
func (s *series) counts(now int64) [4]int64 {
	now = max(now, s.last)
	var out [4]int64
	for w, width := range windows() {
		a, _ := s.rings[w].read(width/NumBuckets, now)
		out[w] = int64(a + 0.5)
	}
	out[3] = s.allA
	return out
}

// averages returns the average latency of each window (0 when there was nothing in a window).
func (s *series) averages(now int64) [4]float64 {
	now = max(now, s.last)
	var out [4]float64
	for w, width := range windows() {
		sum, n := s.rings[w].read(width/NumBuckets, now)
		if n > 0 {
			out[w] = sum / n
		}
	}
	if s.allB > 0 {
		out[3] = float64(s.allA) / float64(s.allB)
	}
	return out
}
