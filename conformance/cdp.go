package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// cdpMsg is a Chrome DevTools protocol message: a reply (ID set) or an
// event (Method set).
type cdpMsg struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// cdpClient sends commands and routes replies; events go to onEvent,
// called on the reader goroutine (which run starts and owns).
type cdpClient struct {
	ws      *wsConn
	onEvent func(cdpMsg)

	mu      sync.Mutex
	nextID  int
	pending map[int]chan cdpMsg // guarded by mu
	err     error               // guarded by mu; set when the reader stops
	done    chan struct{}
}

func newCDP(ws *wsConn, onEvent func(cdpMsg)) *cdpClient {
	c := &cdpClient{ws: ws, onEvent: onEvent, pending: map[int]chan cdpMsg{}, done: make(chan struct{})}
	go c.read()
	return c
}

func (c *cdpClient) read() {
	defer close(c.done)
	for {
		b, err := c.ws.ReadMessage()
		if err != nil {
			c.mu.Lock()
			c.err = err
			for id, ch := range c.pending {
				close(ch)
				delete(c.pending, id)
			}
			c.mu.Unlock()
			return
		}
		var m cdpMsg
		if err := json.Unmarshal(b, &m); err != nil {
			continue
		}
		if m.ID != 0 {
			c.mu.Lock()
			ch := c.pending[m.ID]
			delete(c.pending, m.ID)
			c.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		if m.Method != "" && c.onEvent != nil {
			c.onEvent(m)
		}
	}
}

// call sends method with params (on a target session when sessionID is
// set) and waits for the reply; result (if not nil) receives its result.
func (c *cdpClient) call(ctx context.Context, sessionID, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	ch := make(chan cdpMsg, 1)
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return fmt.Errorf("%s: devtools connection: %w", method, err)
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	msg, err := json.Marshal(cdpMsg{ID: id, Method: method, SessionID: sessionID, Params: p})
	if err != nil {
		return err
	}
	if err := c.ws.WriteText(msg); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return fmt.Errorf("%s: devtools connection closed", method)
		}
		if m.Error != nil {
			return fmt.Errorf("%s: devtools error %d: %s", method, m.Error.Code, m.Error.Message)
		}
		if result != nil && len(m.Result) > 0 {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// close ends the connection and waits for the reader.
func (c *cdpClient) close() {
	c.ws.Close()
	<-c.done
}

var errEvalType = errors.New("javascript result has another type")

// evaluate runs a JavaScript expression in the page and returns its value.
func (c *cdpClient) evaluate(ctx context.Context, session, expr string) (any, error) {
	var res struct {
		Result struct {
			Type  string `json:"type"`
			Value any    `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := c.call(ctx, session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &res)
	if err != nil {
		return nil, err
	}
	if res.ExceptionDetails != nil {
		return nil, fmt.Errorf("evaluate %q: %s", expr, res.ExceptionDetails.Text)
	}
	return res.Result.Value, nil
}
