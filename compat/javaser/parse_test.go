package javaser

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// sb builds streams by hand.
type sb []byte

func stream() sb { return sb{0xAC, 0xED, 0x00, 0x05} }

func (s sb) u8(v ...byte) sb { return append(s, v...) }
func (s sb) u16(v uint16) sb { return binary.BigEndian.AppendUint16(s, v) }
func (s sb) u32(v uint32) sb { return binary.BigEndian.AppendUint32(s, v) }
func (s sb) u64(v uint64) sb { return binary.BigEndian.AppendUint64(s, v) }
func (s sb) utf(v string) sb { return append(s.u16(uint16(len(v))), v...) }

// classDesc starts a TC_CLASSDESC with no fields; the caller adds the
// annotation end and superclass.
func (s sb) classDesc(name string, flags byte) sb {
	return s.u8(TCClassDesc).utf(name).u64(1).u8(flags).u16(0)
}

func TestParseMalformed(t *testing.T) {
	deep := stream()
	for range 1100 {
		deep = deep.u8(TCArray).classDesc("[Ljava.lang.Object;", SCSerializable).u8(TCEndBlockData, TCNull).u32(1)
	}
	tests := []struct {
		name  string
		in    []byte
		limit bool // want ErrLimit rather than ErrMalformed
	}{
		{"empty", nil, false},
		{"bad magic", []byte{0xCA, 0xFE, 0, 5}, false},
		{"bad version", []byte{0xAC, 0xED, 0, 4}, false},
		{"unknown tag", stream().u8(0x42), false},
		{"truncated string", stream().u8(TCString).u16(10).u8('a'), false},
		{"huge long string", stream().u8(TCLongString).u64(1 << 62), false},
		{"unknown handle", stream().u8(TCReference).u32(BaseWireHandle + 3), false},
		{"handle below base", stream().u8(TCReference).u32(5), false},
		{"reference across reset", stream().u8(TCString).utf("a").u8(TCReset).u8(TCReference).u32(BaseWireHandle), false},
		{"reset inside annotation", stream().u8(TCObject).classDesc("A", SCSerializable|SCWriteMethod).u8(TCEndBlockData, TCNull).u8(TCReset), false},
		{"own superclass", stream().classDesc("A", SCSerializable).u8(TCEndBlockData, TCReference).u32(BaseWireHandle), false},
		{"object without class", stream().u8(TCObject, TCNull), false},
		{"reference to string as class", stream().u8(TCString).utf("x").u8(TCObject, TCReference).u32(BaseWireHandle), false},
		{"serializable and externalizable", stream().u8(TCObject).classDesc("A", SCSerializable|SCExternalizable).u8(TCEndBlockData, TCNull), false},
		{"externalizable protocol 1", stream().u8(TCObject).classDesc("A", SCExternalizable).u8(TCEndBlockData, TCNull), false},
		{"negative array length", stream().u8(TCArray).classDesc("[I", SCSerializable).u8(TCEndBlockData, TCNull).u32(0xFFFFFFFF), false},
		{"array longer than input", stream().u8(TCArray).classDesc("[J", SCSerializable).u8(TCEndBlockData, TCNull).u32(1 << 20), false},
		{"array of unknown type", stream().u8(TCArray).classDesc("[Q", SCSerializable).u8(TCEndBlockData, TCNull).u32(0), false},
		{"array with non-array class", stream().u8(TCArray).classDesc("A", SCSerializable).u8(TCEndBlockData, TCNull).u32(0), false},
		{"too many fields", stream().u8(TCClassDesc).utf("A").u64(1).u8(SCSerializable).u16(60000), false},
		{"bad field type", stream().u8(TCClassDesc).utf("A").u64(1).u8(SCSerializable).u16(1).u8('Q').utf("f"), false},
		{"object field without type", stream().u8(TCClassDesc).utf("A").u64(1).u8(SCSerializable).u16(1).u8('L').utf("f").u8(TCNull), false},
		{"enum with fields", stream().u8(TCClassDesc).utf("E").u64(0).u8(SCSerializable | SCEnum).u16(1), false},
		{"enum without name", stream().u8(TCEnum).classDesc("E", SCSerializable|SCEnum).u8(TCEndBlockData, TCNull).u8(TCNull), false},
		{"block data as field", stream().u8(TCObject).u8(TCClassDesc).utf("A").u64(1).u8(SCSerializable).u16(1).u8('L').utf("f").u8(TCString).utf("Ljava/lang/Object;").u8(TCEndBlockData, TCNull).u8(TCBlockData, 0), false},
		{"negative long block", stream().u8(TCBlockDataLong).u32(0x80000000), false},
		{"bad utf8", stream().u8(TCString).u16(2).u8(0xF0, 0x80), false},
		{"truncated utf8", stream().u8(TCString).u16(1).u8(0xC3), false},
		{"unterminated annotation", stream().u8(TCObject).classDesc("A", SCSerializable|SCWriteMethod).u8(TCEndBlockData, TCNull), false},
		{"deep nesting", deep, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("parsed %#v, want an error", s)
			}
			want := ErrMalformed
			if tc.limit {
				want = ErrLimit
			}
			if !errors.Is(err, want) {
				t.Errorf("error %v does not wrap %v", err, want)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	b, err := os.ReadFile("testdata/shellbolt_split.ser")
	if err != nil {
		t.Fatal(err)
	}
	for _, lim := range []Limits{{MaxBytes: 100}, {MaxDepth: 3}, {MaxElements: 10}, {MaxWork: 200}} {
		if _, err := ParseWithLimits(b, lim); !errors.Is(err, ErrLimit) {
			t.Errorf("limits %+v: err %v, want ErrLimit", lim, err)
		}
	}
	if _, err := ParseWithLimits(b, Limits{}); err != nil {
		t.Errorf("default limits: %v", err)
	}
}

func TestParseHandBuilt(t *testing.T) {
	// A class whose writeObject wrote only block data although it declares
	// a primitive field: the values are absent, the annotation is read.
	in := stream().u8(TCObject).
		u8(TCClassDesc).utf("T").u64(7).u8(SCSerializable|SCWriteMethod).u16(1).u8('I').utf("n").u8(TCEndBlockData, TCNull).
		u8(TCBlockData, 3, 0xAB, 0xCD, 0xEF).u8(TCEndBlockData)
	o, err := ParseObject(in)
	if err != nil {
		t.Fatal(err)
	}
	cd := o.ClassData("T")
	if !cd.NoFieldValues || len(cd.Annotations) != 1 {
		t.Fatalf("class data %+v", cd)
	}
	if _, ok := cd.Get("n"); ok {
		t.Error("Get found a value that was never written")
	}

	// The same class with its field value (0x77 0x02 0x00 0x00 reads as an
	// int) followed by an empty annotation.
	in = stream().u8(TCObject).
		u8(TCClassDesc).utf("T").u64(7).u8(SCSerializable|SCWriteMethod).u16(1).u8('I').utf("n").u8(TCEndBlockData, TCNull).
		u8(TCBlockData, 2, 0, 0).u8(TCEndBlockData)
	if o, err = ParseObject(in); err != nil {
		t.Fatal(err)
	}
	if n, _ := o.Field("T", "n"); n != int32(0x77020000) {
		t.Errorf("n = %#v", n)
	}

	// Top-level block data and a null.
	s, err := Parse(stream().u8(TCBlockData, 1, 9).u8(TCNull))
	if err != nil || len(s.Contents) != 2 || s.Contents[1] != nil {
		t.Errorf("contents %#v, %v", s, err)
	}
	if _, err := ParseObject(stream().u8(TCNull)); err == nil {
		t.Error("ParseObject accepted a null")
	}
}

// TestTruncations cuts every small golden at every length: each prefix
// must fail cleanly.
func TestTruncations(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.ser")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		step := 1
		if len(b) > 4096 {
			step = 97
		}
		for n := 0; n < len(b); n += step {
			if n == 4 || filepath.Base(f) == "multi.ser" {
				continue // a bare header is an empty stream; multi.ser has several contents
			}
			if _, err := Parse(b[:n]); err == nil {
				t.Errorf("%s cut at %d parsed", f, n)
			}
		}
	}
}

// TestToGoSharedFanOut: lists made of two references to the previous list,
// 40 deep, are a tiny stream but 2^40 values when expanded; ToGo must give
// up quickly.
func TestToGoSharedFanOut(t *testing.T) {
	in := stream()
	// Object[] class descriptor is handle 0; each array takes one handle.
	in = in.u8(TCArray).classDesc("[Ljava.lang.Object;", SCSerializable).u8(TCEndBlockData, TCNull).u32(0)
	for i := 1; i <= 40; i++ {
		prev := uint32(BaseWireHandle + i) // handle of the previous array
		in = in.u8(TCArray, TCReference).u32(BaseWireHandle).u32(2).u8(TCReference).u32(prev).u8(TCReference).u32(prev)
	}
	s, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	last := s.Contents[len(s.Contents)-1]
	done := make(chan error, 1)
	go func() { _, err := ToGo(last); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrLimit) {
			t.Errorf("ToGo = %v, want ErrLimit", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ToGo ran away")
	}
}
