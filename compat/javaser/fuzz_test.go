package javaser

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the parser and, when they parse, every
// helper over every object reachable from the stream. Nothing may panic or
// run away.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.ser")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) < 8192 {
			f.Add(b)
		}
	}
	f.Add([]byte(stream().u8(TCObject).
		u8(TCClassDesc).utf("T").u64(7).u8(SCSerializable|SCWriteMethod).u16(1).u8('I').utf("n").u8(TCEndBlockData, TCNull).
		u8(TCBlockData, 2, 0xAB, 0xCD).u8(TCEndBlockData)))
	f.Add([]byte(stream().classDesc("A", SCSerializable).u8(TCEndBlockData, TCReference).u32(BaseWireHandle)))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseWithLimits(b, Limits{MaxElements: 1 << 16})
		if err != nil {
			return
		}
		seen := map[any]bool{}
		var walk func(v any, depth int)
		walk = func(v any, depth int) {
			if depth > 200 {
				return
			}
			switch x := v.(type) {
			case *Object:
				if seen[x] {
					return
				}
				seen[x] = true
				_, _ = MapEntries(x)
				_, _ = ListElements(x)
				_, _ = ToGo(x)
				_, _ = Unbox(x)
				_, _ = Strings(x)
				_ = x.Class.Hierarchy()
				for _, cd := range x.Data {
					for _, fv := range cd.Values {
						walk(fv, depth+1)
					}
					r := NewAnnotationReader(cd.Annotations)
					_, _ = r.Int()
					_, _ = r.UTF()
					_, _ = r.Object()
					for _, a := range cd.Annotations {
						walk(a, depth+1)
					}
				}
			case *Array:
				if seen[x] {
					return
				}
				seen[x] = true
				_ = x.Len()
				_, _ = ToGo(x)
				for _, e := range x.Elems {
					walk(e, depth+1)
				}
			}
		}
		for _, c := range s.Contents {
			walk(c, 0)
		}
	})
}
