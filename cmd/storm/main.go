package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := &app{
		stdout:         os.Stdout,
		stderr:         os.Stderr,
		getenv:         os.Getenv,
		replaceProcess: true,
	}
	code := a.run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
