package grouping

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/galeproject/gale/stormthrift"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0xdeadbeef)) }

func TestShuffleRoundsArePermutations(t *testing.T) {
	targets := []int32{9, 3, 5, 7, 1}
	s := NewShuffle(targets, newRand(1))
	var dst []int32
	for round := range 20 {
		dst = dst[:0]
		for range len(targets) {
			dst = s.Choose(dst, 0, nil)
		}
		got := slices.Clone(dst)
		slices.Sort(got)
		if !slices.Equal(got, []int32{1, 3, 5, 7, 9}) {
			t.Fatalf("round %d chose %v, want a permutation of the targets", round, dst)
		}
	}
}

func TestShuffleDeterministicPerSeed(t *testing.T) {
	run := func(seed uint64) []int32 {
		s := NewShuffle([]int32{1, 2, 3, 4, 5, 6}, newRand(seed))
		var dst []int32
		for range 60 {
			dst = s.Choose(dst, 0, nil)
		}
		return dst
	}
	if !slices.Equal(run(7), run(7)) {
		t.Fatal("same seed, different choices")
	}
	if slices.Equal(run(7), run(8)) {
		t.Fatal("different seeds, same 60 choices")
	}
}

func TestSimpleGroupings(t *testing.T) {
	targets := []int32{30, 10, 20}
	tests := []struct {
		name string
		g    Grouper
		want []int32
	}{
		{"all", NewAll(targets), []int32{10, 20, 30}},
		{"global", NewGlobal(targets), []int32{10}},
		{"direct", NewDirect(targets), nil},
		{"empty shuffle", NewShuffle(nil, newRand(1)), nil},
		{"empty none", NewNone(nil, newRand(1)), nil},
		{"empty global", NewGlobal(nil), nil},
		{"empty all", NewAll(nil), nil},
	}
	for _, tt := range tests {
		got := tt.g.Choose([]int32{99}, 5, []any{"x"})
		if !slices.Equal(got, append([]int32{99}, tt.want...)) {
			t.Errorf("%s: Choose = %v, want [99 %v]", tt.name, got, tt.want)
		}
	}
}

func TestFieldsEmptyTargetsAndMissingValue(t *testing.T) {
	f, err := NewFields([]string{"a", "b"}, []string{"b"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Choose(nil, 1, []any{"x", "y"}); len(got) != 0 {
		t.Fatalf("no targets chose %v", got)
	}
	f, _ = NewFields([]string{"a", "b"}, []string{"b"}, []int32{1, 2, 3})
	// A missing value hashes as null: deepHashCode([null]) = 31, 31 mod 3 = 1.
	if got := f.Choose(nil, 1, []any{"x"}); !slices.Equal(got, []int32{2}) {
		t.Fatalf("missing value chose %v", got)
	}
	if _, err := NewFields([]string{"a"}, []string{"zz"}, []int32{1}); err == nil {
		t.Fatal("unknown grouping field accepted")
	}
}

func TestNoneUniform(t *testing.T) {
	g := NewNone([]int32{1, 2, 3, 4}, newRand(3))
	counts := map[int32]int{}
	var dst []int32
	for range 4000 {
		dst = g.Choose(dst[:0], 0, nil)
		counts[dst[0]]++
	}
	for task, n := range counts {
		if n < 850 || n > 1150 {
			t.Fatalf("task %d chosen %d of 4000 times: %v", task, n, counts)
		}
	}
}

func TestDirectAccepts(t *testing.T) {
	d := NewDirect([]int32{5, 3})
	if !d.Accepts(3) || !d.Accepts(5) || d.Accepts(4) {
		t.Fatal("Accepts wrong")
	}
}

func TestLocalOrShuffle(t *testing.T) {
	g := NewLocalOrShuffle([]int32{1, 2, 3, 4}, []int32{4, 2, 8}, newRand(1))
	var dst []int32
	for range 10 {
		dst = g.Choose(dst, 0, nil)
	}
	for _, task := range dst {
		if task != 2 && task != 4 {
			t.Fatalf("chose non-local task %d: %v", task, dst)
		}
	}
	g = NewLocalOrShuffle([]int32{1, 2}, []int32{7}, newRand(1))
	dst = dst[:0]
	for range 4 {
		dst = g.Choose(dst, 0, nil)
	}
	slices.Sort(dst)
	if !slices.Equal(dst, []int32{1, 1, 2, 2}) {
		t.Fatalf("no local tasks: chose %v, want a shuffle over all", dst)
	}
}

type modCustom struct {
	prepared StreamID
	targets  []int32
}

func (m *modCustom) Prepare(s StreamID, targets []int32) error {
	if len(targets) == 0 {
		return errors.New("no targets")
	}
	m.prepared, m.targets = s, targets
	return nil
}

func (m *modCustom) ChooseTasks(dst []int32, src int32, _ []any) []int32 {
	return append(dst, m.targets[int(src)%len(m.targets)])
}

func TestCustom(t *testing.T) {
	c := &modCustom{}
	g, err := NewCustom(c, StreamID{"spout", "default"}, []int32{6, 4})
	if err != nil {
		t.Fatal(err)
	}
	if c.prepared != (StreamID{"spout", "default"}) || !slices.Equal(c.targets, []int32{4, 6}) {
		t.Fatalf("prepared with %v %v", c.prepared, c.targets)
	}
	if got := g.Choose(nil, 3, nil); !slices.Equal(got, []int32{6}) {
		t.Fatalf("Choose = %v", got)
	}
	if _, err := NewCustom(&modCustom{}, StreamID{}, nil); err == nil {
		t.Fatal("Prepare error not returned")
	}
}

func TestSpecOfAndBuild(t *testing.T) {
	null := stormthrift.NewNullStruct()
	env := Env{
		Stream:     StreamID{"spout", "default"},
		OutFields:  []string{"word", "n"},
		Targets:    []int32{3, 1, 2},
		LocalTasks: []int32{2},
		Rand:       newRand(1),
		Custom: func(name string) (Custom, error) {
			if name == "mod" {
				return &modCustom{}, nil
			}
			return nil, errors.New("unknown")
		},
	}
	tests := []struct {
		name    string
		g       *stormthrift.Grouping
		kind    Kind
		values  []any
		want    []int32 // nil: only check that Build works
		wantErr bool
	}{
		{"fields", &stormthrift.Grouping{Fields: []string{"word"}}, KindFields, []any{"apple", 1}, []int32{1}, false},
		{"empty fields is global", &stormthrift.Grouping{Fields: []string{}}, KindGlobal, nil, []int32{1}, false},
		{"shuffle", &stormthrift.Grouping{Shuffle: null}, KindShuffle, nil, nil, false},
		{"all", &stormthrift.Grouping{All: null}, KindAll, nil, []int32{1, 2, 3}, false},
		{"none", &stormthrift.Grouping{None: null}, KindNone, nil, nil, false},
		{"direct", &stormthrift.Grouping{Direct: null}, KindDirect, nil, []int32{}, false},
		{"local or shuffle", &stormthrift.Grouping{LocalOrShuffle: null}, KindLocalOrShuffle, nil, []int32{2}, false},
		{"custom object", &stormthrift.Grouping{CustomObject: &stormthrift.JavaObject{FullClassName: "mod"}}, KindCustomObject, nil, []int32{1}, false},
		{"unknown custom", &stormthrift.Grouping{CustomObject: &stormthrift.JavaObject{FullClassName: "x"}}, KindCustomObject, nil, nil, true},
		{"custom serialized", &stormthrift.Grouping{CustomSerialized: []byte{0xac, 0xed}}, KindCustomSerialized, nil, nil, true},
		{"bad field", &stormthrift.Grouping{Fields: []string{"nope"}}, KindFields, nil, nil, true},
	}
	for _, tt := range tests {
		spec, err := SpecOf(tt.g)
		if err != nil || spec.Kind != tt.kind {
			t.Errorf("%s: SpecOf = %v, %v", tt.name, spec, err)
			continue
		}
		g, err := Build(spec, env)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: Build err = %v", tt.name, err)
			continue
		}
		if err != nil || tt.want == nil {
			continue
		}
		if got := g.Choose([]int32{}, 3, tt.values); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Choose = %v, want %v", tt.name, got, tt.want)
		}
	}
	if _, err := SpecOf(&stormthrift.Grouping{}); err == nil {
		t.Error("empty union accepted")
	}
	if _, err := SpecOf(nil); err == nil {
		t.Error("nil accepted")
	}
	if _, err := Build(Spec{Kind: KindShuffle}, Env{}); err == nil {
		t.Error("shuffle without rand accepted")
	}
	if KindLocalOrShuffle.String() != "local_or_shuffle" || Kind(0).String() != "Kind(0)" {
		t.Error("Kind.String")
	}
}

func TestChooseAllocatesNothing(t *testing.T) {
	targets := []int32{1, 2, 3, 4, 5, 6, 7, 8}
	fields, _ := NewFields([]string{"word", "count", "ts"}, []string{"word", "ts"}, targets)
	custom, _ := NewCustom(&modCustom{}, StreamID{}, targets)
	groupers := map[string]Grouper{
		"shuffle":          NewShuffle(targets, newRand(1)),
		"fields":           fields,
		"all":              NewAll(targets),
		"global":           NewGlobal(targets),
		"none":             NewNone(targets, newRand(2)),
		"direct":           NewDirect(targets),
		"local_or_shuffle": NewLocalOrShuffle(targets, []int32{2, 3}, newRand(3)),
		"custom":           custom,
	}
	values := []any{"some-word", int64(42), 1.25}
	dst := make([]int32, 0, 16)
	for name, g := range groupers {
		allocs := testing.AllocsPerRun(200, func() {
			dst = g.Choose(dst[:0], 1, values)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocs per Choose", name, allocs)
		}
	}
}
