package metrics

import (
	"math/bits"
	"sort"
	"time"
)

// Bucket layout (the same in perf/java Hist.java): a value v in microseconds below 64 has bucket
// v; above, each power of two [2^e, 2^(e+1)) is split into 32 equal buckets, so a bucket is at
// most about 3% wide.
const (
	linear     = 64
	subBuckets = 32
	subBits    = 5
)

// Index returns the bucket of a latency in microseconds (negative values count as 0).
func Index(micros int64) int {
	if micros < linear {
		return int(max(micros, 0))
	}
	e := 63 - bits.LeadingZeros64(uint64(micros)) // >= 6
	sub := int(micros>>(e-subBits)) - subBuckets
	return linear + (e-6)*subBuckets + sub
}

// Bounds returns the range [lo, hi) of microseconds bucket idx holds.
func Bounds(idx int) (lo, hi int64) {
	if idx < linear {
		return int64(idx), int64(idx) + 1
	}
	e := 6 + (idx-linear)/subBuckets
	sub := int64((idx - linear) % subBuckets)
	width := int64(1) << (e - subBits)
	lo = (subBuckets + sub) * width
	return lo, lo + width
}

// Hist is a latency histogram over Index buckets.
type Hist struct {
	Counts    map[int]int64
	SumMicros int64
}

// NewHist returns an empty histogram.
func NewHist() *Hist { return &Hist{Counts: map[int]int64{}} }

// Record adds one latency.
func (h *Hist) Record(d time.Duration) {
	us := d.Microseconds()
	h.Counts[Index(us)]++
	h.SumMicros += max(us, 0)
}

// Merge adds o's counts into h.
func (h *Hist) Merge(o *Hist) {
	for k, v := range o.Counts {
		h.Counts[k] += v
	}
	h.SumMicros += o.SumMicros
}

// N is the number of recorded values.
func (h *Hist) N() int64 {
	var n int64
	for _, v := range h.Counts {
		n += v
	}
	return n
}

// Mean is the exact mean of the recorded values (0 when empty).
func (h *Hist) Mean() time.Duration {
	n := h.N()
	if n == 0 {
		return 0
	}
	return time.Duration(h.SumMicros/n) * time.Microsecond
}

// Quantile returns the q-quantile (0..1) as the midpoint of the bucket holding that rank (0 when
// empty).
func (h *Hist) Quantile(q float64) time.Duration {
	n := h.N()
	if n == 0 {
		return 0
	}
	keys := make([]int, 0, len(h.Counts))
	for k := range h.Counts {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	rank := int64(q*float64(n-1)) + 1 // 1-based
	var seen int64
	for _, k := range keys {
		seen += h.Counts[k]
		if seen >= rank {
			lo, hi := Bounds(k)
			return time.Duration((lo+hi)/2) * time.Microsecond
		}
	}
	lo, hi := Bounds(keys[len(keys)-1])
	return time.Duration((lo+hi)/2) * time.Microsecond
}
