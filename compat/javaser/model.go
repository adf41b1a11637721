package javaser

import "fmt"

// A value read from a stream is one of:
//
//   - nil (TC_NULL)
//   - string (TC_STRING, TC_LONGSTRING; java.lang.String)
//   - *Object, *Array, *Enum, *Class, *ClassDesc
//   - a primitive field value or array element: bool (Z), int8 (B),
//     uint16 (C), int16 (S), int32 (I), int64 (J), float32 (F), float64 (D)
//   - BlockData, only at the top level of a stream and in annotations.
//
// Values that the stream shares through back references are shared Go
// pointers, so the object graph may contain cycles.

// BlockData is one TC_BLOCKDATA or TC_BLOCKDATALONG segment: primitive data
// written by a writeObject or writeExternal method (or at the top level).
type BlockData []byte

// Stream is a parsed serialization stream: its top-level contents in order.
// A stream written by one ObjectOutputStream.writeObject call (as Storm's
// Utils.javaSerialize does) has exactly one content.
type Stream struct {
	Contents []any
}

// ClassDesc is a class descriptor (TC_CLASSDESC) or proxy class descriptor
// (TC_PROXYCLASSDESC).
type ClassDesc struct {
	// Name is the binary class name, e.g. "java.util.HashMap",
	// "[Ljava.lang.String;" or "org.example.Outer$Inner". Empty for proxies.
	Name string
	SUID int64
	// Flags are the SC_* flags.
	Flags byte
	// Fields are the serializable fields in stream order (primitives first,
	// then objects, each group sorted by name).
	Fields []FieldDesc
	// Annotations is the class annotation (usually empty).
	Annotations []any
	// Super is the nearest serializable superclass, or nil.
	Super *ClassDesc
	// Proxy is set for a dynamic proxy class; Interfaces names its
	// interfaces.
	Proxy      bool
	Interfaces []string
}

// FieldDesc describes one serializable field of a class.
type FieldDesc struct {
	// Type is the type code: one of B C D F I J S Z (primitives), L (object)
	// or [ (array).
	Type byte
	Name string
	// ClassName is the JVM type signature of an object or array field, e.g.
	// "Ljava/lang/String;" or "[Ljava/lang/String;"; empty for primitives.
	ClassName string
}

// IsPrimitive reports whether the field holds a primitive value.
func (f FieldDesc) IsPrimitive() bool { return f.Type != 'L' && f.Type != '[' }

// Hierarchy returns d's class chain from the top-most serializable
// superclass down to d itself: the order in which an object's class data
// appears in the stream.
func (d *ClassDesc) Hierarchy() []*ClassDesc {
	var chain []*ClassDesc
	for c := d; c != nil; c = c.Super {
		chain = append(chain, c)
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// Is reports whether d is the class named name or a subclass of it.
func (d *ClassDesc) Is(name string) bool {
	for c := d; c != nil; c = c.Super {
		if c.Name == name {
			return true
		}
	}
	return false
}

// String returns the class name (or a proxy's interfaces).
func (d *ClassDesc) String() string {
	if d == nil {
		return "<nil class>"
	}
	if d.Proxy {
		return fmt.Sprintf("proxy%v", d.Interfaces)
	}
	return d.Name
}

// Object is a serialized object (TC_OBJECT).
type Object struct {
	Class *ClassDesc
	// Data holds one entry per class in Class.Hierarchy() order. For an
	// externalizable class there is a single entry, the concrete class,
	// holding only Annotations.
	Data []*ClassData
}

// ClassData is the part of an object's state written for one class of its
// hierarchy.
type ClassData struct {
	Class *ClassDesc
	// Values holds the field values in Class.Fields order.
	Values []any
	// NoFieldValues is set when the class has a writeObject method that did
	// not write default field values (it never called defaultWriteObject or
	// writeFields): Values is then nil and everything is in Annotations.
	NoFieldValues bool
	// Annotations are the BlockData segments and values that the class's
	// writeObject (or writeExternal) wrote after the fields, up to
	// TC_ENDBLOCKDATA. Only classes with SC_WRITE_METHOD or
	// SC_EXTERNALIZABLE have them.
	Annotations []any
}

// Get returns the value of the field named name.
func (cd *ClassData) Get(name string) (any, bool) {
	if cd == nil || cd.NoFieldValues {
		return nil, false
	}
	for i, f := range cd.Class.Fields {
		if f.Name == name && i < len(cd.Values) {
			return cd.Values[i], true
		}
	}
	return nil, false
}

// ClassName returns the concrete class name of o.
func (o *Object) ClassName() string { return o.Class.Name }

// Is reports whether o's class is name or a subclass of it.
func (o *Object) Is(name string) bool { return o.Class.Is(name) }

// ClassData returns the data written for the class named class, or nil if
// class is not in o's hierarchy.
func (o *Object) ClassData(class string) *ClassData {
	for _, cd := range o.Data {
		if cd.Class.Name == class {
			return cd
		}
	}
	return nil
}

// Field returns the value of field name declared by class (a class of o's
// hierarchy).
func (o *Object) Field(class, name string) (any, bool) {
	return o.ClassData(class).Get(name)
}

// Array is a serialized array (TC_ARRAY).
type Array struct {
	Class *ClassDesc
	// ElemType is the element type code: B C D F I J S Z for primitive
	// arrays, L or [ for arrays of objects.
	ElemType byte
	// Bytes holds the elements of a byte[].
	Bytes []byte
	// Prims holds the elements of another primitive array as a typed
	// slice: []bool, []uint16, []int16, []int32, []int64, []float32 or
	// []float64.
	Prims any
	// Elems holds the elements of an array of objects.
	Elems []any
}

// Len returns the number of elements.
func (a *Array) Len() int {
	switch p := a.Prims.(type) {
	case []bool:
		return len(p)
	case []uint16:
		return len(p)
	case []int16:
		return len(p)
	case []int32:
		return len(p)
	case []int64:
		return len(p)
	case []float32:
		return len(p)
	case []float64:
		return len(p)
	}
	if a.ElemType == 'B' {
		return len(a.Bytes)
	}
	return len(a.Elems)
}

// Enum is a serialized enum constant (TC_ENUM).
type Enum struct {
	Class    *ClassDesc
	Constant string
}

// Class is a serialized java.lang.Class object (TC_CLASS).
type Class struct {
	Desc *ClassDesc
}
