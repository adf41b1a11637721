package fanout

import (
	"sync"

	"github.com/galeproject/gale/cluster/store"
)

// Size is each subscriber's buffer; when it is full the oldest event is
// dropped to make room.
const Size = 16

// Fanout is a set of subscriber channels. The zero value is ready to use.
type Fanout struct {
	mu     sync.Mutex
	subs   []chan store.SessionEvent
	closed bool
}

// Subscribe returns a new channel that receives every later event; it is
// closed by Close (immediately if Close has already happened).
func (f *Fanout) Subscribe() <-chan store.SessionEvent {
	ch := make(chan store.SessionEvent, Size)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		close(ch)
		return ch
	}
	f.subs = append(f.subs, ch)
	return ch
}

// Publish delivers ev to every subscriber, dropping a subscriber's oldest
// buffered event if its buffer is full.
func (f *Fanout) Publish(ev store.SessionEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ch := range f.subs {
		for {
			select {
			case ch <- ev:
			default:
				select {
				case <-ch:
				default:
				}
				continue
			}
			break
		}
	}
}

// Close closes every subscriber channel; later Publish calls do nothing.
func (f *Fanout) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	f.closed = true
	for _, ch := range f.subs {
		close(ch)
	}
	f.subs = nil
}
