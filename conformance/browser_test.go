package conformance

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestBrowseSeesErrors proves the browser step would catch a broken page:
// an uncaught exception, console.error, a failed XHR and a missing image
// on a page served from this test.
func TestBrowseSeesErrors(t *testing.T) {
	chromium := findChromium()
	if chromium == "" {
		if os.Getenv("GALE_REQUIRE_BROWSER") == "1" {
			t.Fatal("Chromium is not installed and GALE_REQUIRE_BROWSER=1")
		}
		t.Skip("Chromium is not installed (apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/good.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><title>good</title></head><body><p id="p">waiting</p>
<script>setTimeout(function(){ document.getElementById('p').textContent = 'rendered'; window.done = true; }, 200);</script></body></html>`))
	})
	mux.HandleFunc("/bad.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><body><img src="/missing.png">
<script>console.error("bad thing", 42);
var x = new XMLHttpRequest(); x.open("GET", "/api/fails"); x.onloadend = function(){ window.done = true; }; x.send();
undefinedFunction();</script></body></html>`))
	})
	mux.HandleFunc("/api/fails", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusInternalServerError) })
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	work := t.TempDir()
	ctx := context.Background()

	shot := filepath.Join(work, "good.png")
	good, err := browse(ctx, chromium, work, srv.URL+"/good.html", "window.done === true", shot, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if good.Title != "good" || !strings.Contains(good.Text, "rendered") || len(good.JSErrors)+len(good.ConsoleErrors)+len(good.HTTPErrors) != 0 {
		t.Errorf("good page: %+v", good)
	}
	if b, err := os.ReadFile(shot); err != nil || !strings.HasPrefix(string(b), "\x89PNG") {
		t.Errorf("screenshot: %v", err)
	}

	bad, err := browse(ctx, chromium, work, srv.URL+"/bad.html", "window.done === true", "", 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad.JSErrors) != 1 || !strings.Contains(bad.JSErrors[0], "undefinedFunction") {
		t.Errorf("js errors %q", bad.JSErrors)
	}
	if len(bad.ConsoleErrors) != 1 || bad.ConsoleErrors[0] != "bad thing 42" {
		t.Errorf("console errors %q", bad.ConsoleErrors)
	}
	if !slices.ContainsFunc(bad.HTTPErrors, func(s string) bool { return strings.HasPrefix(s, "500 ") && strings.HasSuffix(s, "/api/fails") }) ||
		!slices.ContainsFunc(bad.HTTPErrors, func(s string) bool { return strings.HasPrefix(s, "404 ") && strings.HasSuffix(s, "/missing.png") }) {
		t.Errorf("http errors %q", bad.HTTPErrors)
	}

	_, err = browse(ctx, chromium, work, srv.URL+"/good.html", "window.never === true", "", 2*time.Second)
	if err == nil || !strings.Contains(err.Error(), "wait for") {
		t.Errorf("a condition that never holds: err = %v", err)
	}
}
