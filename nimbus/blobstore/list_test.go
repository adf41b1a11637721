package blobstore

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestListPaging(t *testing.T) {
	// One store grows through the cases (keys are cheap but not free).
	s, _ := fastStore(t, Options{})
	want := map[string]bool{}
	tests := []struct {
		keys  int
		pages []int // sizes of the non-empty pages
	}{
		{0, nil},
		{1, []int{1}},
		{100, []int{100}},
		{101, []int{100, 1}},
		{250, []int{100, 100, 50}},
	}
	for _, tc := range tests {
		for i := len(want); i < tc.keys; i++ {
			k := fmt.Sprintf("key-%04d", i)
			want[k] = true
			if err := s.Put(context.Background(), k, nil, []byte("x")); err != nil {
				t.Fatal(err)
			}
		}
		res, err := s.List("")
		if err != nil {
			t.Fatal(err)
		}
		session := res.Session
		if session == "" {
			t.Fatal("no session id")
		}
		var pages []int
		seen := map[string]bool{}
		for len(res.Keys) > 0 {
			pages = append(pages, len(res.Keys))
			for _, k := range res.Keys {
				if seen[k] || !want[k] {
					t.Errorf("%d keys: unexpected or repeated key %q", tc.keys, k)
				}
				seen[k] = true
			}
			if res, err = s.List(session); err != nil {
				t.Fatal(err)
			}
			if res.Session != session {
				t.Errorf("session changed to %q", res.Session)
			}
		}
		if res.Keys == nil {
			t.Error("final page has nil keys (thrift required field)")
		}
		if fmt.Sprint(pages) != fmt.Sprint(tc.pages) {
			t.Errorf("%d keys: pages %v, want %v", tc.keys, pages, tc.pages)
		}
		if len(seen) != tc.keys {
			t.Errorf("listed %d keys, want %d", len(seen), tc.keys)
		}
		if _, err := s.List(session); !errors.Is(err, ErrNoSession) {
			t.Errorf("List after the end: %v", err)
		}
		if s.Sessions() != 0 {
			t.Errorf("%d sessions left", s.Sessions())
		}
	}
}

func TestListBlankSessionStartsOver(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	s.Put(context.Background(), "a", nil, nil)
	for _, blank := range []string{"", " ", "\t"} {
		res, err := s.List(blank)
		if err != nil || len(res.Keys) != 1 || res.Keys[0] != "a" {
			t.Errorf("List(%q) = %v, %v", blank, res, err)
		}
	}
	if _, err := s.List("no-such-session"); !errors.Is(err, ErrNoSession) {
		t.Errorf("List(unknown) = %v", err)
	}
}
