package storm

import (
	"fmt"
	"slices"
)

// App holds the component factories of one Go topology executable, by registry name. The same
// App is used to build the topology (TopologyBuilder) and, in worker mode, to create the
// components the topology names. Register everything before building or running; an App is not
// safe for concurrent registration.
type App struct {
	spouts    map[string]func() Spout
	bolts     map[string]func() Bolt
	groupings map[string]func() CustomStreamGrouping
}

// NewApp returns an empty App.
func NewApp() *App {
	return &App{
		spouts:    map[string]func() Spout{},
		bolts:     map[string]func() Bolt{},
		groupings: map[string]func() CustomStreamGrouping{},
	}
}

func (a *App) checkNew(name string) {
	if name == "" {
		panic("storm: empty registry name")
	}
	_, s := a.spouts[name]
	_, b := a.bolts[name]
	_, g := a.groupings[name]
	if s || b || g {
		panic(fmt.Sprintf("storm: %q registered twice", name))
	}
}

// RegisterSpout registers a spout factory. Registering a name twice panics.
func (a *App) RegisterSpout(name string, f func() Spout) {
	a.checkNew(name)
	a.spouts[name] = f
}

// RegisterBolt registers a bolt factory. Registering a name twice panics.
func (a *App) RegisterBolt(name string, f func() Bolt) {
	a.checkNew(name)
	a.bolts[name] = f
}

// RegisterBasicBolt registers a BasicBolt factory, run through NewBasicBoltExecutor.
func (a *App) RegisterBasicBolt(name string, f func() BasicBolt) {
	a.RegisterBolt(name, func() Bolt { return NewBasicBoltExecutor(f()) })
}

// RegisterGrouping registers a custom stream grouping factory.
func (a *App) RegisterGrouping(name string, f func() CustomStreamGrouping) {
	a.checkNew(name)
	a.groupings[name] = f
}

// NotRegisteredError is returned for a name the App does not know.
type NotRegisteredError struct {
	Kind, Name string
}

func (e *NotRegisteredError) Error() string {
	return fmt.Sprintf("no %s registered as %q", e.Kind, e.Name)
}

// NewSpout creates the spout registered as name.
func (a *App) NewSpout(name string) (Spout, error) {
	f, ok := a.spouts[name]
	if !ok {
		return nil, &NotRegisteredError{"spout", name}
	}
	return f(), nil
}

// NewBolt creates the bolt registered as name.
func (a *App) NewBolt(name string) (Bolt, error) {
	f, ok := a.bolts[name]
	if !ok {
		return nil, &NotRegisteredError{"bolt", name}
	}
	return f(), nil
}

// NewGrouping creates the custom grouping registered as name.
func (a *App) NewGrouping(name string) (CustomStreamGrouping, error) {
	f, ok := a.groupings[name]
	if !ok {
		return nil, &NotRegisteredError{"grouping", name}
	}
	return f(), nil
}

// Names returns every registered name, sorted.
func (a *App) Names() []string {
	var names []string
	for n := range a.spouts {
		names = append(names, n)
	}
	for n := range a.bolts {
		names = append(names, n)
	}
	for n := range a.groupings {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
