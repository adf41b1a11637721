package rotating

import "testing"

func TestExpiryWindow(t *testing.T) {
	for _, n := range []int{2, 3, 5} {
		m := New[int, string](n)
		m.Put(1, "a")
		var expired []int
		rotations := 0
		for !func() bool { _, ok := m.Get(1); return !ok }() {
			m.Rotate(func(k int, _ string) { expired = append(expired, k) })
			rotations++
		}
		if rotations != n {
			t.Errorf("n=%d: expired after %d rotations, want %d", n, rotations, n)
		}
		if len(expired) != 1 || expired[0] != 1 {
			t.Errorf("n=%d: expired %v", n, expired)
		}
	}
}

func TestPutRefreshesAndMoves(t *testing.T) {
	m := New[string, int](2)
	m.Put("k", 1)
	m.Rotate(nil)
	m.Put("k", 2) // moves back into the newest bucket
	if m.Len() != 1 {
		t.Fatalf("Len = %d, want 1 (no duplicate across buckets)", m.Len())
	}
	m.Rotate(nil)
	if v, ok := m.Get("k"); !ok || v != 2 {
		t.Fatalf("Get = %v,%v after one rotation, want 2,true", v, ok)
	}
	m.Rotate(nil)
	if m.Contains("k") {
		t.Fatal("k still present after two rotations")
	}
}

func TestTakePutNew(t *testing.T) {
	m := New[int, int](3)
	m.Put(7, 70)
	m.Rotate(nil)
	v, ok := m.Take(7)
	if !ok || v != 70 || m.Len() != 0 {
		t.Fatalf("Take = %d,%v len %d", v, ok, m.Len())
	}
	if _, ok := m.Take(7); ok {
		t.Fatal("second Take found the key")
	}
	m.PutNew(7, 71)
	n := 0
	m.Range(func(k, v int) bool { n++; return true })
	if n != 1 {
		t.Fatalf("Range saw %d entries", n)
	}
}

func TestMinimumBuckets(t *testing.T) {
	if New[int, int](0).Buckets() != 2 {
		t.Fatal("New(0) must have 2 buckets")
	}
}
