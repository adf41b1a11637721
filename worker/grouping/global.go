package grouping

// Global sends every tuple to the lowest target task id.
type Global struct {
	task int32
	ok   bool
}

// NewGlobal returns a global grouping.
func NewGlobal(targets []int32) *Global {
	s := sortedCopy(targets)
	if len(s) == 0 {
		return &Global{}
	}
	return &Global{task: s[0], ok: true}
}

// Choose implements Grouper.
func (g *Global) Choose(dst []int32, _ int32, _ []any) []int32 {
	if !g.ok {
		return dst
	}
	return append(dst, g.task)
}
