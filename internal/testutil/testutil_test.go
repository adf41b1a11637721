package testutil

import (
	"errors"
	"log/slog"
	"testing"
	"time"
)

func TestCheckFor(t *testing.T) {
	n := 0
	CheckFor(t, 5*time.Second, func() error {
		if n++; n < 3 {
			return errors.New("not yet")
		}
		return nil
	})
	if n != 3 {
		t.Errorf("fn called %d times, want 3", n)
	}
}

// TestLoggerQuietAfterTest logs from a goroutine after the subtest ended;
// t.Log would panic there.
func TestLoggerQuietAfterTest(t *testing.T) {
	var l *slog.Logger
	t.Run("sub", func(t *testing.T) {
		l = Logger(t, slog.LevelInfo)
		l.Info("during the test")
	})
	done := make(chan struct{})
	go func() { defer close(done); l.Info("after the test") }()
	<-done
}
