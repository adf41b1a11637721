package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ValidatePath checks ZooKeeper's path rules: absolute, no empty, "." or
// ".." segments, no trailing slash (except the root), no NUL. A sequential
// create may end in "/" (the name is then only the sequence number), so
// sequential is passed along.
func ValidatePath(path string, sequential bool) error {
	if path == "" || path[0] != '/' {
		return fmt.Errorf("%w: %q is not absolute", ErrInvalidPath, path)
	}
	if path == "/" {
		return nil
	}
	p := path
	if sequential && strings.HasSuffix(p, "/") {
		p = p[:len(p)-1]
		if p == "" {
			return nil
		}
	}
	for seg := range strings.SplitSeq(p[1:], "/") {
		switch seg {
		case "":
			return fmt.Errorf("%w: %q has an empty segment", ErrInvalidPath, path)
		case ".", "..":
			return fmt.Errorf("%w: %q has a relative segment", ErrInvalidPath, path)
		}
		if strings.IndexByte(seg, 0) >= 0 {
			return fmt.Errorf("%w: %q contains NUL", ErrInvalidPath, path)
		}
	}
	return nil
}

// Parent returns the parent of an absolute path ("/" for top-level nodes
// and for "/").
func Parent(path string) string {
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return "/"
	}
	return path[:i]
}

// Join appends child to dir.
func Join(dir, child string) string {
	if dir == "/" {
		return "/" + child
	}
	return dir + "/" + child
}

// Mkdirs creates path and each missing ancestor as persistent nodes holding
// data, like Storm's zookeeper/mkdirs (which uses the byte 0x07). Nodes that
// exist, or appear concurrently, are left as they are.
func Mkdirs(ctx context.Context, s Store, path string, data []byte) error {
	if path == "/" {
		return nil
	}
	if ok, _, err := s.Exists(ctx, path); err != nil {
		return err
	} else if ok {
		return nil
	}
	if err := Mkdirs(ctx, s, Parent(path), data); err != nil {
		return err
	}
	if _, err := s.Create(ctx, path, data, Persistent); err != nil && !errors.Is(err, ErrNodeExists) {
		return err
	}
	return nil
}

// DeleteAll deletes path and everything below it, like Curator's
// deletingChildrenIfNeeded. A missing node is not an error. Children that
// appear concurrently are deleted too (the delete is retried).
func DeleteAll(ctx context.Context, s Store, path string) error {
	for attempt := 0; ; attempt++ {
		kids, err := s.Children(ctx, path)
		if errors.Is(err, ErrNoNode) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, k := range kids {
			if err := DeleteAll(ctx, s, Join(path, k)); err != nil {
				return err
			}
		}
		err = s.Delete(ctx, path, -1)
		switch {
		case err == nil, errors.Is(err, ErrNoNode):
			return nil
		case errors.Is(err, ErrNotEmpty) && attempt < 10:
			continue
		default:
			return err
		}
	}
}
