package blobstore

import (
	"strings"

	"github.com/galeproject/gale/stormthrift"
)

// listPage is how many keys one listBlobs call returns.
const listPage = 100

// List pages through the keys (listBlobs). A blank session starts a new
// listing of a snapshot of the keys; each call returns at most 100 keys and
// the session id to pass next; a result with no keys means the listing is
// over and the session is gone.
func (s *Store) List(id string) (*stormthrift.ListBlobsResult_, error) {
	if strings.TrimSpace(id) == "" {
		keys, err := s.disk.keys()
		if err != nil {
			return nil, err
		}
		ss := &session{id: newID(), kind: kindList}
		page, rest := split(keys)
		if len(page) == 0 {
			return &stormthrift.ListBlobsResult_{Keys: []string{}, Session: ss.id}, nil
		}
		ss.keys = rest
		if err := s.addSession(ss); err != nil {
			return nil, err
		}
		return &stormthrift.ListBlobsResult_{Keys: page, Session: ss.id}, nil
	}
	ss, err := s.useSession(id, kindList)
	if err != nil {
		return nil, err
	}
	defer ss.mu.Unlock()
	page, rest := split(ss.keys)
	ss.keys = rest
	if len(page) == 0 {
		s.drop(ss)
		s.closeLocked(ss)
		page = []string{}
	}
	return &stormthrift.ListBlobsResult_{Keys: page, Session: id}, nil
}

func split(keys []string) (page, rest []string) {
	n := min(len(keys), listPage)
	return keys[:n:n], keys[n:]
}
