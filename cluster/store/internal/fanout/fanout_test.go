package fanout

import (
	"testing"

	"github.com/galeproject/gale/cluster/store"
)

func TestFanout(t *testing.T) {
	var f Fanout
	a, b := f.Subscribe(), f.Subscribe()
	f.Publish(store.SessionDisconnected)
	for range Size + 3 { // overflow: the oldest are dropped
		f.Publish(store.SessionConnected)
	}
	f.Publish(store.SessionExpired)
	for _, ch := range []<-chan store.SessionEvent{a, b} {
		var got []store.SessionEvent
		for range Size {
			got = append(got, <-ch)
		}
		if got[0] != store.SessionConnected || got[Size-1] != store.SessionExpired {
			t.Fatalf("kept %v", got)
		}
	}
	f.Close()
	f.Close()
	f.Publish(store.SessionConnected)
	if _, ok := <-a; ok {
		t.Fatal("open after Close")
	}
	if _, ok := <-f.Subscribe(); ok {
		t.Fatal("subscription after Close is open")
	}
}
