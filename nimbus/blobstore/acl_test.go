package blobstore

import (
	"errors"
	"fmt"
	"testing"

	"github.com/galeproject/gale/stormthrift"
)

func ac(typ stormthrift.AccessControlType, name string, access int32) *stormthrift.AccessControl {
	c := &stormthrift.AccessControl{Type: typ, Access: access}
	if name != "" {
		c.Name = &name
	}
	return c
}

func aclString(acl []*stormthrift.AccessControl) string {
	s := ""
	for _, c := range acl {
		s += fmt.Sprintf("[%v %q %d]", c.Type, c.GetName(), c.Access)
	}
	return s
}

func TestNormalizeMeta(t *testing.T) {
	const (
		other = stormthrift.AccessControlType_OTHER
		user  = stormthrift.AccessControlType_USER
	)
	tests := []struct {
		name string
		in   *stormthrift.SettableBlobMeta
		want []*stormthrift.AccessControl
		err  error
	}{
		{"nil meta", nil, []*stormthrift.AccessControl{ac(other, "", 7)}, nil},
		{"empty acl (topology blobs)", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}}, []*stormthrift.AccessControl{ac(other, "", 7)}, nil},
		{"world everything kept as is", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{ac(other, "", 7)}}, []*stormthrift.AccessControl{ac(other, "", 7)}, nil},
		{"world nothing dropped", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{ac(other, "", 0)}}, []*stormthrift.AccessControl{ac(other, "", 7)}, nil},
		{"user entry kept, world appended", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{ac(user, "bob", 1), ac(other, "", 1)}},
			[]*stormthrift.AccessControl{ac(user, "bob", 1), ac(other, "", 1), ac(other, "", 7)}, nil},
		{"duplicate user", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{ac(user, "bob", 1), ac(user, "bob", 2)}}, nil, ErrInvalidACL},
		{"nil entry skipped", &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{nil}}, []*stormthrift.AccessControl{ac(other, "", 7)}, nil},
	}
	for _, tc := range tests {
		got, err := normalizeMeta("k", tc.in)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: err %v, want %v", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if aclString(got.Acl) != aclString(tc.want) {
			t.Errorf("%s: acl %s, want %s", tc.name, aclString(got.Acl), aclString(tc.want))
		}
	}
	// The input is not modified.
	in := &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}}
	normalizeMeta("k", in)
	if len(in.Acl) != 0 {
		t.Error("normalizeMeta modified its input")
	}
}
