package conformance

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// chromiumNames are the commands Debian's chromium package provides.
var chromiumNames = []string{"chromium", "chromium-browser"}

// findChromium returns the path of Chromium, or "" when it is missing.
func findChromium() string {
	for _, n := range chromiumNames {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// pageReport is what a browser step saw.
type pageReport struct {
	URL           string   `json:"url"`
	Title         string   `json:"title"`
	Text          string   `json:"text"`
	JSErrors      []string `json:"js_errors"`      // uncaught exceptions (Runtime.exceptionThrown)
	ConsoleErrors []string `json:"console_errors"` // console.error / console.assert
	LogErrors     []string `json:"log_errors"`     // the browser's own error log (Log.entryAdded)
	HTTPErrors    []string `json:"http_errors"`    // responses >= 400 and failed loads
	Requests      []string `json:"requests"`       // "status url" of every response
	Screenshot    string   `json:"screenshot,omitempty"`
}

// pageEvents collects a page's events from the DevTools reader goroutine.
type pageEvents struct {
	mu      sync.Mutex
	session string
	loaded  bool
	urls    map[string]string // requestId -> url
	r       pageReport
}

func (p *pageEvents) handle(m cdpMsg) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.session == "" || m.SessionID != p.session {
		return
	}
	switch m.Method {
	case "Page.loadEventFired":
		p.loaded = true
	case "Runtime.exceptionThrown":
		var ev struct {
			ExceptionDetails struct {
				Text      string `json:"text"`
				URL       string `json:"url"`
				Line      int    `json:"lineNumber"`
				Exception *struct {
					Description string `json:"description"`
				} `json:"exception"`
			} `json:"exceptionDetails"`
		}
		if json.Unmarshal(m.Params, &ev) == nil {
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg = d.Exception.Description
			}
			p.r.JSErrors = append(p.r.JSErrors, fmt.Sprintf("%s (%s:%d)", clip(msg, 500), d.URL, d.Line+1))
		}
	case "Runtime.consoleAPICalled":
		var ev struct {
			Type string `json:"type"`
			Args []struct {
				Value       any    `json:"value"`
				Description string `json:"description"`
			} `json:"args"`
		}
		if json.Unmarshal(m.Params, &ev) == nil && (ev.Type == "error" || ev.Type == "assert") {
			var parts []string
			for _, a := range ev.Args {
				if a.Value != nil {
					parts = append(parts, Canon(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			p.r.ConsoleErrors = append(p.r.ConsoleErrors, clip(strings.Join(parts, " "), 500))
		}
	case "Log.entryAdded":
		var ev struct {
			Entry struct {
				Level  string `json:"level"`
				Source string `json:"source"`
				Text   string `json:"text"`
				URL    string `json:"url"`
			} `json:"entry"`
		}
		if json.Unmarshal(m.Params, &ev) == nil && ev.Entry.Level == "error" {
			p.r.LogErrors = append(p.r.LogErrors, clip(fmt.Sprintf("%s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL), 500))
		}
	case "Network.requestWillBeSent":
		var ev struct {
			RequestID string `json:"requestId"`
			Request   struct {
				URL string `json:"url"`
			} `json:"request"`
		}
		if json.Unmarshal(m.Params, &ev) == nil {
			p.urls[ev.RequestID] = ev.Request.URL
		}
	case "Network.responseReceived":
		var ev struct {
			Response struct {
				URL    string `json:"url"`
				Status int    `json:"status"`
			} `json:"response"`
		}
		if json.Unmarshal(m.Params, &ev) == nil {
			line := fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.URL)
			p.r.Requests = append(p.r.Requests, line)
			if ev.Response.Status >= 400 {
				p.r.HTTPErrors = append(p.r.HTTPErrors, line)
			}
		}
	case "Network.loadingFailed":
		var ev struct {
			RequestID string `json:"requestId"`
			ErrorText string `json:"errorText"`
			Canceled  bool   `json:"canceled"`
		}
		if json.Unmarshal(m.Params, &ev) == nil && !ev.Canceled {
			p.r.HTTPErrors = append(p.r.HTTPErrors, fmt.Sprintf("failed %s: %s", p.urls[ev.RequestID], ev.ErrorText))
		}
	}
}

// browse opens url in a fresh headless Chromium, waits until the load
// event has fired and until (a JavaScript expression; "" means none)
// is true, then records the page's title, text, errors and, when shot is
// not empty, a full-page PNG screenshot at that path.
func browse(ctx context.Context, chromium, work, url, until, shot string, timeout time.Duration) (pageReport, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout+20*time.Second)
	defer cancel()
	profile, err := os.MkdirTemp(work, "chromium-profile-")
	if err != nil {
		return pageReport{}, err
	}
	defer os.RemoveAll(profile)
	// Chromium leaves its singleton socket directory (and, with
	// --disable-dev-shm-usage, shared memory files) in $TMPDIR: give it
	// its own, short enough for a unix socket path, and remove it after.
	tmp, err := os.MkdirTemp("", "gale-chromium-")
	if err != nil {
		return pageReport{}, err
	}
	defer os.RemoveAll(tmp)
	argv := []string{chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-default-apps", "--no-first-run", "--no-default-browser-check",
		"--mute-audio", "--hide-scrollbars", "--password-store=basic",
		"--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--user-data-dir=" + profile, "--window-size=1280,1024", "about:blank"}
	p, err := startProc("chromium", argv, []string{"TMPDIR=" + tmp}, work, filepath.Join(work, "chromium.log"))
	if err != nil {
		return pageReport{}, err
	}
	defer p.stop(5 * time.Second)

	var wsURL string
	err = waitFor(ctx, 30*time.Second, 100*time.Millisecond, p, func(context.Context) error {
		b, err := os.ReadFile(filepath.Join(profile, "DevToolsActivePort"))
		if err != nil {
			return err
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) < 2 {
			return errors.New("DevToolsActivePort incomplete")
		}
		wsURL = "ws://127.0.0.1:" + strings.TrimSpace(lines[0]) + strings.TrimSpace(lines[1])
		return nil
	})
	if err != nil {
		return pageReport{}, fmt.Errorf("chromium devtools endpoint: %w", err)
	}
	ws, err := dialWebSocket(wsURL, 10*time.Second)
	if err != nil {
		return pageReport{}, err
	}
	ev := &pageEvents{urls: map[string]string{}}
	c := newCDP(ws, ev.handle)
	defer c.close()

	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := c.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return pageReport{}, err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := c.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached); err != nil {
		return pageReport{}, err
	}
	s := attached.SessionID
	ev.mu.Lock()
	ev.session = s
	ev.mu.Unlock()
	for _, m := range []string{"Runtime.enable", "Log.enable", "Network.enable", "Page.enable"} {
		if err := c.call(ctx, s, m, nil, nil); err != nil {
			return pageReport{}, err
		}
	}
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := c.call(ctx, s, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return pageReport{}, err
	}
	if nav.ErrorText != "" {
		return pageReport{}, fmt.Errorf("navigate %s: %s", url, nav.ErrorText)
	}
	cond := "document.readyState === 'complete'"
	if until != "" {
		cond += " && !!(" + until + ")"
	}
	var lastVal any
	waitErr := waitFor(ctx, timeout, 200*time.Millisecond, nil, func(ctx context.Context) error {
		ev.mu.Lock()
		loaded := ev.loaded
		ev.mu.Unlock()
		if !loaded {
			return errors.New("load event not fired")
		}
		v, err := c.evaluate(ctx, s, cond)
		if err != nil {
			return err
		}
		lastVal = v
		if v != true {
			return fmt.Errorf("%s is %v", cond, v)
		}
		return nil
	})
	// Let the last callbacks run before reading the page.
	time.Sleep(300 * time.Millisecond)
	title, _ := c.evaluate(ctx, s, "document.title")
	text, _ := c.evaluate(ctx, s, "document.body ? document.body.innerText : ''")

	var r pageReport
	if shot != "" {
		if err := screenshot(ctx, c, s, shot); err != nil {
			return pageReport{}, err
		}
	}
	_ = c.call(ctx, "", "Browser.close", nil, nil)
	ev.mu.Lock()
	r = ev.r
	ev.mu.Unlock()
	r.URL, r.Title, r.Text = url, Canon(title), clip(Canon(text), 20000)
	if shot != "" {
		r.Screenshot = filepath.Base(shot)
	}
	for _, l := range []*[]string{&r.JSErrors, &r.ConsoleErrors, &r.LogErrors, &r.HTTPErrors, &r.Requests} {
		if *l == nil {
			*l = []string{}
		}
	}
	if waitErr != nil {
		return r, fmt.Errorf("page %s: wait for %q: %w (last value %v)", url, cond, waitErr, lastVal)
	}
	return r, nil
}

// screenshot saves a PNG of the whole page (up to 6000 px tall).
func screenshot(ctx context.Context, c *cdpClient, s, path string) error {
	var m struct {
		CSSContentSize struct {
			Height float64 `json:"height"`
		} `json:"cssContentSize"`
	}
	if err := c.call(ctx, s, "Page.getLayoutMetrics", nil, &m); err != nil {
		return err
	}
	h := int(m.CSSContentSize.Height)
	h = max(min(h, 6000), 600)
	if err := c.call(ctx, s, "Emulation.setDeviceMetricsOverride",
		map[string]any{"width": 1280, "height": h, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		return err
	}
	var shot struct {
		Data string `json:"data"`
	}
	if err := c.call(ctx, s, "Page.captureScreenshot", map[string]any{"format": "png"}, &shot); err != nil {
		return err
	}
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}
