package nimbus

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/nimbus/blobstore"
	"github.com/galeproject/gale/stormthrift"
	"github.com/galeproject/gale/topology"
)

func notAlive(msg string) error { return &stormthrift.NotAliveException{Msg: msg} }

func alreadyAlive(msg string) error { return &stormthrift.AlreadyAliveException{Msg: msg} }

func invalidTopology(msg string) error { return &stormthrift.InvalidTopologyException{Msg: msg} }

func authorization(msg string) error { return &stormthrift.AuthorizationException{Msg: msg} }

func keyNotFound(msg string) error { return &stormthrift.KeyNotFoundException{Msg: msg} }

func keyExists(msg string) error { return &stormthrift.KeyAlreadyExistsException{Msg: msg} }

// internalError is an undeclared failure; the generated processor turns
// any non-declared error into TApplicationException INTERNAL_ERROR, this
// just keeps the message free of Go wrapping noise.
func internalError(format string, args ...any) error {
	return thrift.NewTApplicationException(thrift.INTERNAL_ERROR, fmt.Sprintf(format, args...))
}

// asInvalid maps topology validation errors to InvalidTopologyException.
func asInvalid(err error) error {
	var ie *topology.InvalidError
	if errors.As(err, &ie) {
		return invalidTopology(ie.Msg)
	}
	var ite *stormthrift.InvalidTopologyException
	if errors.As(err, &ite) {
		return ite
	}
	return invalidTopology(err.Error())
}

// blobErr maps blob store errors to Storm's declared blob exceptions.
// Session errors are undeclared in Storm (RuntimeException) and stay
// INTERNAL_ERROR application exceptions.
func blobErr(key string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, blobstore.ErrKeyNotFound):
		return keyNotFound(key)
	case errors.Is(err, blobstore.ErrKeyExists):
		return keyExists(key)
	default:
		// ErrInvalidKey, ErrNoSession and I/O errors: Storm throws
		// undeclared exceptions for these (IllegalArgumentException,
		// RuntimeException).
		return internalError("%v", err)
	}
}

// requireLeader refuses a mutation on a follower. Storm throws a
// RuntimeException("not a leader, current leader is ...") that makes its
// server drop the connection; Gale answers with an INTERNAL_ERROR
// TApplicationException carrying the same text, which the Java client also
// raises as a TException.
func (n *Nimbus) requireLeader(ctx context.Context) error {
	if n.isLeader() {
		return nil
	}
	leader := "unknown"
	if l, err := n.latch.Leader(ctx); err == nil && l != "" {
		leader = l
	}
	return internalError("not a leader, current leader is %s", leader)
}

func (n *Nimbus) isLeader() bool {
	return n.latch.IsLeader()
}

func isKeyNotFound(err error) bool { return errors.Is(err, blobstore.ErrKeyNotFound) }
