package main

import (
	"context"
	"errors"
)

// supervisor is not wired yet: the worker runtime it launches does not exist.
func (a *app) supervisor(ctx context.Context, g globalArgs, args []string) error {
	return errors.New("not yet available: Gale's supervisor needs the worker runtime, which is not built yet")
}
