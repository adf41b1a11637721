package routine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestWait(t *testing.T) {
	var g Group
	release := make(chan struct{})
	g.Go("stuck", func() { <-release })
	g.Go("quick", func() {})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := g.Wait(ctx)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stuck") {
		t.Fatalf("Wait = %v", err)
	}
	close(release)
	if err := g.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}
