package compat

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/galeproject/gale/stormthrift"
)

// zkPayloadTypes are the structs Gale decodes from ZooKeeper node data.
func zkPayloadTypes() []func() thrift.TStruct {
	return []func() thrift.TStruct{
		func() thrift.TStruct { return &stormthrift.StormBase{} },
		func() thrift.TStruct { return &stormthrift.Assignment{} },
		func() thrift.TStruct { return &stormthrift.SupervisorInfo{} },
		func() thrift.TStruct { return &stormthrift.ClusterWorkerHeartbeat{} },
		func() thrift.TStruct { return &stormthrift.ErrorInfo{} },
		func() thrift.TStruct { return &stormthrift.NimbusSummary{} },
		func() thrift.TStruct { return &stormthrift.Credentials{} },
		func() thrift.TStruct { return &stormthrift.LogConfig{} },
		func() thrift.TStruct { return &stormthrift.ProfileRequest{} },
	}
}

// decodeAll decodes b into every payload type with decode; a value that
// decodes must encode and decode again.
func decodeAll(t *testing.T, b []byte, decode func([]byte, thrift.TStruct) error, encode func(thrift.TStruct) ([]byte, error)) {
	for _, mk := range zkPayloadTypes() {
		v := mk()
		if err := decode(b, v); err != nil {
			continue
		}
		again, err := encode(v)
		if err != nil {
			// Go's writers do not validate required fields, but unions
			// with no arm set refuse to encode; that is not a decoder bug.
			continue
		}
		if err := decode(again, mk()); err != nil {
			t.Fatalf("%T: re-decoding own encoding failed: %v", v, err)
		}
	}
}

func FuzzDeserialize(f *testing.F) {
	for _, tc := range fixtures() {
		b, err := Serialize(tc.value)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add(DirNodeData())
	f.Add(gz(f, []byte{0x0d, 0, 4, 0x0b, 0x08, 0x7f, 0xff, 0xff, 0xff}))
	f.Add(gz(f, []byte{0x0f, 0, 3, 0x0c, 0x7f, 0xff, 0xff, 0xff}))
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeAll(t, b, Deserialize, Serialize)
	})
}

func FuzzUnmarshalThrift(f *testing.F) {
	for _, tc := range fixtures() {
		b, err := MarshalThrift(tc.value)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0})
	f.Add([]byte{0x0d, 0, 4, 0x0b, 0x08, 0x7f, 0xff, 0xff, 0xff})
	f.Add([]byte{0x0c, 0, 7, 0x0c, 0, 1, 0x0c, 0, 1, 0x0c, 0, 1, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeAll(t, b, UnmarshalThrift, MarshalThrift)
	})
}

// FuzzLocalState feeds arbitrary bytes as the newest LocalState version file.
func FuzzLocalState(f *testing.F) {
	bits, _ := MarshalThrift(&stormthrift.LSWorkerHeartbeat{TimeSecs: 1, TopologyID: "t", Port: 6700,
		Executors: []*stormthrift.ExecutorInfo{{TaskStart: 1, TaskEnd: 1}}})
	good, _ := MarshalThrift(&stormthrift.LocalStateData{SerializedParts: map[string]*stormthrift.ThriftSerializedObject{
		LSWorkerHeartbeat: {Name: "org.apache.storm.generated.LSWorkerHeartbeat", Bits: bits},
	}})
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte{0x0d, 0, 1, 0x0b, 0x0c, 0x7f, 0xff, 0xff, 0xff})
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		parts, perr := ParseLocalStateData(data, "fuzz")
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "1"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "1.version"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		ls, err := OpenLocalState(dir)
		if err != nil {
			t.Fatal(err)
		}
		var hb stormthrift.LSWorkerHeartbeat
		_, gerr := ls.Get(LSWorkerHeartbeat, &hb)
		if perr != nil {
			if gerr == nil {
				t.Fatalf("Get succeeded on data ParseLocalStateData rejects: %v", perr)
			}
			return
		}
		// A parsable state can be rewritten with all its parts intact.
		if err := ls.Put("extra", &stormthrift.LSSupervisorId{SupervisorID: "s"}, true); err != nil {
			t.Fatal(err)
		}
		after, err := ls.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range parts {
			if k == "extra" {
				continue
			}
			if !after[k].Equals(v) {
				t.Fatalf("part %q changed: %v → %v", k, v, after[k])
			}
		}
	})
}
