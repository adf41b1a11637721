package conformance

import (
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	v := Vars{"id": "t-1-2", "nimbus.0.port": "6627"}
	got, err := v.Expand("/topology/${id}:${nimbus.0.port}/$notavar/${id}")
	if err != nil || got != "/topology/t-1-2:6627/$notavar/t-1-2" {
		t.Errorf("Expand = %q, %v", got, err)
	}
	if _, err := v.Expand("${nope} ${id} ${also.nope}"); err == nil || !strings.Contains(err.Error(), "nope, also.nope") {
		t.Errorf("unknown variables: err = %v", err)
	}
	s, err := v.expandStep(Step{Args: []string{"${id}"}, Checks: []Check{{Path: "/t/id=${id}", Equals: "${id}", OneOf: []any{"${id}", int64(1)}}}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Args[0] != "t-1-2" || s.Checks[0].Path != "/t/id=t-1-2" || s.Checks[0].Equals != "t-1-2" || s.Checks[0].OneOf[0] != "t-1-2" {
		t.Errorf("expandStep = %+v", s)
	}
}
