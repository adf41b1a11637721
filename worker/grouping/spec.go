package grouping

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/galeproject/gale/stormthrift"
)

// Kind is the kind of a grouping as declared in a topology.
type Kind uint8

// Grouping kinds (the arms of Storm's Grouping union; Global is a fields grouping with no fields).
const (
	KindShuffle Kind = iota + 1
	KindFields
	KindGlobal
	KindAll
	KindNone
	KindDirect
	KindLocalOrShuffle
	KindCustomObject
	KindCustomSerialized
)

func (k Kind) String() string {
	switch k {
	case KindShuffle:
		return "shuffle"
	case KindFields:
		return "fields"
	case KindGlobal:
		return "global"
	case KindAll:
		return "all"
	case KindNone:
		return "none"
	case KindDirect:
		return "direct"
	case KindLocalOrShuffle:
		return "local_or_shuffle"
	case KindCustomObject:
		return "custom_object"
	case KindCustomSerialized:
		return "custom_serialized"
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Spec is a declared grouping in Gale's own terms.
type Spec struct {
	Kind   Kind
	Fields []string // KindFields
	// Custom is the registry name of a KindCustomObject grouping (JavaObject.full_class_name).
	Custom string
	// Serialized is the Java-serialized CustomStreamGrouping of KindCustomSerialized.
	Serialized []byte
}

// SpecOf converts a Thrift grouping.
func SpecOf(g *stormthrift.Grouping) (Spec, error) {
	switch {
	case g == nil:
		return Spec{}, errors.New("nil grouping")
	case g.IsSetFields():
		if len(g.Fields) == 0 {
			return Spec{Kind: KindGlobal}, nil
		}
		return Spec{Kind: KindFields, Fields: g.Fields}, nil
	case g.IsSetShuffle():
		return Spec{Kind: KindShuffle}, nil
	case g.IsSetAll():
		return Spec{Kind: KindAll}, nil
	case g.IsSetNone():
		return Spec{Kind: KindNone}, nil
	case g.IsSetDirect():
		return Spec{Kind: KindDirect}, nil
	case g.IsSetLocalOrShuffle():
		return Spec{Kind: KindLocalOrShuffle}, nil
	case g.IsSetCustomObject():
		return Spec{Kind: KindCustomObject, Custom: g.CustomObject.GetFullClassName()}, nil
	case g.IsSetCustomSerialized():
		return Spec{Kind: KindCustomSerialized, Serialized: g.CustomSerialized}, nil
	}
	return Spec{}, errors.New("grouping has no arm set")
}

// Env is what building a grouping needs to know about where it is used.
type Env struct {
	Stream     StreamID // the subscribed stream
	OutFields  []string // the stream's declared output fields
	Targets    []int32  // tasks of the subscribing component
	LocalTasks []int32  // tasks of this worker (local_or_shuffle)
	Rand       *rand.Rand
	// Custom resolves KindCustomObject names (the App registry); nil means none are known.
	Custom func(name string) (Custom, error)
}

// Build makes the Grouper for s in env.
func Build(s Spec, env Env) (Grouper, error) {
	needRand := s.Kind == KindShuffle || s.Kind == KindNone || s.Kind == KindLocalOrShuffle
	if needRand && env.Rand == nil {
		return nil, fmt.Errorf("%s grouping needs a random source", s.Kind)
	}
	switch s.Kind {
	case KindShuffle:
		return NewShuffle(env.Targets, env.Rand), nil
	case KindFields:
		if len(s.Fields) == 0 {
			return NewGlobal(env.Targets), nil
		}
		return NewFields(env.OutFields, s.Fields, env.Targets)
	case KindGlobal:
		return NewGlobal(env.Targets), nil
	case KindAll:
		return NewAll(env.Targets), nil
	case KindNone:
		return NewNone(env.Targets, env.Rand), nil
	case KindDirect:
		return NewDirect(env.Targets), nil
	case KindLocalOrShuffle:
		return NewLocalOrShuffle(env.Targets, env.LocalTasks, env.Rand), nil
	case KindCustomObject:
		if env.Custom == nil {
			return nil, fmt.Errorf("custom grouping %q: no registry", s.Custom)
		}
		c, err := env.Custom(s.Custom)
		if err != nil {
			return nil, fmt.Errorf("custom grouping %q: %w", s.Custom, err)
		}
		return NewCustom(c, env.Stream, env.Targets)
	case KindCustomSerialized:
		return nil, errors.New("Java-serialized custom groupings need a JVM host; not supported by Go workers")
	}
	return nil, fmt.Errorf("unknown grouping kind %v", s.Kind)
}
