# Convenience targets; the scripts are the source of truth.
.PHONY: build install test demo

build:
	go build ./...

install: # the storm command into $(go env GOPATH)/bin
	go install ./cmd/storm

test:
	scripts/test.sh

demo:
	scripts/demo.sh
