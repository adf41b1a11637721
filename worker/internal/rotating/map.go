package rotating

// Map is a map split into rotating buckets. Bucket 0 is the newest. The zero value is not usable;
// call New.
type Map[K comparable, V any] struct {
	buckets []map[K]V
}

// New returns a map with n buckets (n >= 2; smaller values are raised to 2).
func New[K comparable, V any](n int) *Map[K, V] {
	if n < 2 {
		n = 2
	}
	m := &Map[K, V]{buckets: make([]map[K]V, n)}
	for i := range m.buckets {
		m.buckets[i] = make(map[K]V)
	}
	return m
}

// Buckets returns the number of buckets.
func (m *Map[K, V]) Buckets() int { return len(m.buckets) }

// Get returns the value stored for k, looking through the buckets newest first.
func (m *Map[K, V]) Get(k K) (V, bool) {
	for _, b := range m.buckets {
		if v, ok := b[k]; ok {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// Contains reports whether k is present.
func (m *Map[K, V]) Contains(k K) bool {
	_, ok := m.Get(k)
	return ok
}

// Put stores v for k in the newest bucket and removes k from the older ones, restarting its
// expiry.
func (m *Map[K, V]) Put(k K, v V) {
	m.buckets[0][k] = v
	for _, b := range m.buckets[1:] {
		if len(b) != 0 {
			delete(b, k)
		}
	}
}

// PutNew stores v for k in the newest bucket. The caller guarantees that k is absent (for
// example, it has just been removed with Take); PutNew then costs one map write.
func (m *Map[K, V]) PutNew(k K, v V) {
	m.buckets[0][k] = v
}

// Take removes k and returns its value.
func (m *Map[K, V]) Take(k K) (V, bool) {
	for _, b := range m.buckets {
		if v, ok := b[k]; ok {
			delete(b, k)
			return v, true
		}
	}
	var zero V
	return zero, false
}

// Len returns the number of entries in all buckets.
func (m *Map[K, V]) Len() int {
	n := 0
	for _, b := range m.buckets {
		n += len(b)
	}
	return n
}

// Rotate drops the oldest bucket and opens a new empty newest one. If expire is not nil it is
// called for every dropped entry, in map order (callers that need an order sort what they
// collect). The dropped bucket's storage is reused.
func (m *Map[K, V]) Rotate(expire func(K, V)) {
	last := len(m.buckets) - 1
	dead := m.buckets[last]
	if expire != nil {
		for k, v := range dead {
			expire(k, v)
		}
	}
	clear(dead)
	copy(m.buckets[1:], m.buckets[:last])
	m.buckets[0] = dead
}

// Range calls fn for every entry, newest bucket first, until fn returns false.
func (m *Map[K, V]) Range(fn func(K, V) bool) {
	for _, b := range m.buckets {
		for k, v := range b {
			if !fn(k, v) {
				return
			}
		}
	}
}
