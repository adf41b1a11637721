package zktest

import (
	"io"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/galeproject/gale/cluster/store"
)

// Proxy forwards TCP connections to a ZooKeeper server and can cut them:
// while cut, current connections are closed and new ones are dropped at
// once, so the server hears nothing from the client and, after the session
// timeout, expires its session.
type Proxy struct {
	l      net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns []net.Conn
	wg    sync.WaitGroup
}

// NewProxy starts a proxy to target on a free 127.0.0.1 port; it is closed
// at t's end.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("zktest: proxy: %v", err)
	}
	p := &Proxy{l: l, target: target}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.Close)
	return p
}

// Addr is the address clients dial.
func (p *Proxy) Addr() string { return p.l.Addr().String() }

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.mu.Unlock()
		up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			up.Close()
			continue
		}
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *Proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
	p.mu.Lock()
	p.conns = slices.DeleteFunc(p.conns, func(c net.Conn) bool { return c == dst || c == src })
	p.mu.Unlock()
}

// Cut closes every connection and refuses new ones until Restore.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for _, c := range p.conns {
		c.Close()
	}
}

// Restore lets connections through again.
func (p *Proxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
}

// Close stops the proxy and its connections.
func (p *Proxy) Close() {
	p.l.Close()
	p.Cut()
	p.wg.Wait()
}

// ExpireSession makes the server expire s's session — s must reach the
// server through p and have been dialed with sessionTimeout — by cutting
// the connection for longer than the timeout. It returns once s reports
// SessionExpired and then SessionConnected (its new session).
func (p *Proxy) ExpireSession(t testing.TB, s store.Store, sessionTimeout time.Duration) {
	t.Helper()
	events := s.SessionEvents()
	hold := sessionTimeout + sessionTimeout/2 + 300*time.Millisecond
	for range 4 {
		p.Cut()
		time.Sleep(hold)
		p.Restore()
		expired := false
		deadline := time.After(2*hold + 10*time.Second)
	wait:
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatalf("zktest: store closed while expiring its session")
				}
				switch ev {
				case store.SessionExpired:
					expired = true
				case store.SessionConnected:
					if expired {
						return
					}
					break wait // the session survived the cut; hold longer
				}
			case <-deadline:
				t.Fatalf("zktest: session did not reconnect after the cut")
			}
		}
		hold *= 2
	}
	t.Fatalf("zktest: could not make the session expire")
}
