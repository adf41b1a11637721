package grouping

import "fmt"

// Fields sends each tuple to the target picked by the Java hash of the grouping fields' values:
// sortedTargets[floorMod(ListHashCode(selected), n)], exactly as Storm's mk-fields-grouper does, so
// Go and Java workers agree on the task for the same values.
type Fields struct {
	tasks []int32
	idx   []int // positions of the grouping fields in the emitter's output fields
}

// NewFields returns a fields grouping on groupFields of a stream declared with outFields. Every
// grouping field must be an output field. With no grouping fields use Global (Storm treats an
// empty fields grouping as global).
func NewFields(outFields, groupFields []string, targets []int32) (*Fields, error) {
	f := &Fields{tasks: sortedCopy(targets), idx: make([]int, len(groupFields))}
	for i, g := range groupFields {
		f.idx[i] = -1
		for j, o := range outFields {
			if o == g {
				f.idx[i] = j
				break
			}
		}
		if f.idx[i] < 0 {
			return nil, fmt.Errorf("grouping field %q is not an output field %v", g, outFields)
		}
	}
	return f, nil
}

// Choose implements Grouper. A grouping field beyond the end of values hashes as null.
func (f *Fields) Choose(dst []int32, _ int32, values []any) []int32 {
	n := len(f.tasks)
	if n == 0 {
		return dst
	}
	h := int32(1)
	for _, i := range f.idx {
		var v any
		if i < len(values) {
			v = values[i]
		}
		h = 31*h + JavaHashCode(v)
	}
	return append(dst, f.tasks[floorMod(h, n)])
}

// floorMod is Java's Math.floorMod / Clojure's mod for a positive divisor.
func floorMod(h int32, n int) int {
	m := int(h) % n
	if m < 0 {
		m += n
	}
	return m
}
