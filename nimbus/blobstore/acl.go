package blobstore

import (
	"fmt"

	"github.com/galeproject/gale/stormthrift"
)

// Access bits of AccessControl.access (BlobStoreAclHandler).
const (
	accessRead  = 0x01
	accessWrite = 0x02
	accessAdmin = 0x04
	accessAll   = accessRead | accessWrite | accessAdmin
)

// normalizeMeta returns a copy of meta with the ACL normalized the way
// LocalFsBlobStore does for a request without an authenticated user (Gale
// runs Storm's default, unauthenticated setup): world entries granting
// nothing are dropped, and unless some entry already grants OTHER
// read+write+admin, WORLD_EVERYTHING (OTHER, access 7) is appended. So the
// empty ACL of topology blobs becomes [AccessControl{OTHER, 7}]. A user name
// appearing twice is refused with ErrInvalidACL (validateSettableACLs).
func normalizeMeta(key string, meta *stormthrift.SettableBlobMeta) (*stormthrift.SettableBlobMeta, error) {
	out := &stormthrift.SettableBlobMeta{Acl: []*stormthrift.AccessControl{}}
	var src []*stormthrift.AccessControl
	if meta != nil {
		src = meta.Acl
		if meta.ReplicationFactor != nil {
			rf := *meta.ReplicationFactor
			out.ReplicationFactor = &rf
		}
	}
	world := false
	seen := map[string]bool{}
	var dups []string
	for _, ac := range src {
		if ac == nil {
			continue
		}
		if ac.Type == stormthrift.AccessControlType_OTHER && ac.Access == accessAll {
			world = true
		}
		if ac.Type == stormthrift.AccessControlType_OTHER && ac.Access == 0 {
			continue
		}
		c := &stormthrift.AccessControl{Type: ac.Type, Access: ac.Access}
		if ac.Name != nil {
			name := *ac.Name
			c.Name = &name
			if name != "" {
				if seen[name] {
					dups = append(dups, name)
				}
				seen[name] = true
			}
		}
		out.Acl = append(out.Acl, c)
	}
	if len(dups) > 0 {
		return nil, fmt.Errorf("%w: user %v can't appear more than once in the ACLs for key [%s]", ErrInvalidACL, dups, key)
	}
	if !world {
		out.Acl = append(out.Acl, &stormthrift.AccessControl{Type: stormthrift.AccessControlType_OTHER, Access: accessAll})
	}
	return out, nil
}
