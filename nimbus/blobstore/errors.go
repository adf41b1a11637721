package blobstore

import "errors"

// Errors returned (wrapped, with details) by Store and Inbox. Nimbus maps them
// to Storm's Thrift exceptions: ErrKeyNotFound → KeyNotFoundException,
// ErrKeyExists → KeyAlreadyExistsException, ErrInvalidKey and ErrInvalidACL →
// AuthorizationException (as LocalFsBlobStore does), ErrNoSession and
// ErrTooManySessions → a plain runtime error.
var (
	ErrKeyNotFound     = errors.New("blob key not found")
	ErrKeyExists       = errors.New("blob key already exists")
	ErrInvalidKey      = errors.New("invalid blob key")
	ErrInvalidACL      = errors.New("invalid blob ACL")
	ErrNoSession       = errors.New("no such session (or it timed out)")
	ErrTooManySessions = errors.New("too many open sessions")
)
