package main

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/galeproject/gale/compat/urlenc"
)

func TestParseGlobal(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		confOpts []string
		confFile string
		rest     []string
		wantErr  bool
	}{
		{"plain", []string{"list"}, nil, "", []string{"list"}, false},
		{"c before command", []string{"-c", "nimbus.seeds=[\"a\"]", "list"}, []string{"nimbus.seeds=[\"a\"]"}, "", []string{"list"}, false},
		{"c after command", []string{"kill", "t", "-c", "a=1", "-w", "3"}, []string{"a=1"}, "", []string{"kill", "t", "-w", "3"}, false},
		{"repeated c keeps order", []string{"-c", "b=2", "jar", "x.jar", "-c", "a=1", "Main"}, []string{"b=2", "a=1"}, "", []string{"jar", "x.jar", "Main"}, false},
		{"config", []string{"--config", "/etc/s.yaml", "list"}, nil, "/etc/s.yaml", []string{"list"}, false},
		{"later config wins", []string{"--config", "a.yaml", "list", "--config", "b.yaml"}, nil, "b.yaml", []string{"list"}, false},
		{"c value may look like a flag", []string{"-c", "-c", "list"}, []string{"-c"}, "", []string{"list"}, false},
		{"c value with spaces and commas", []string{"-c", "k=a b,c", "list"}, []string{"k=a b,c"}, "", []string{"list"}, false},
		{"dangling c", []string{"list", "-c"}, nil, "", nil, true},
		{"dangling config", []string{"--config"}, nil, "", nil, true},
		{"empty", nil, nil, "", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := parseGlobal(tt.args)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if !reflect.DeepEqual(g.confOpts, tt.confOpts) || g.confFile != tt.confFile || !reflect.DeepEqual(g.rest, tt.rest) {
				t.Errorf("got %+v; want confOpts=%q confFile=%q rest=%q", g, tt.confOpts, tt.confFile, tt.rest)
			}
		})
	}
}

// Expected values are what Python 2.7's urllib.quote_plus prints (storm.py
// at v1.0.0 is a Python 2 script); Python 3 differs only in keeping "~".
func TestQuotePlusMatchesPython2(t *testing.T) {
	tests := []struct{ in, want string }{
		{"topology.workers=2", "topology.workers%3D2"},
		{`nimbus.seeds=["127.0.0.1"]`, "nimbus.seeds%3D%5B%22127.0.0.1%22%5D"},
		{"a b+c", "a+b%2Bc"},
		{"x=~/y", "x%3D%7E%2Fy"},
		{"\xc3\xa9=1", "%C3%A9%3D1"},
		{"k=v,w", "k%3Dv%2Cw"},
		{`k={"a":1}`, "k%3D%7B%22a%22%3A1%7D"},
		{"%", "%25"},
		{"AZaz09_.-", "AZaz09_.-"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := urlenc.QuotePlus(tt.in); got != tt.want {
			t.Errorf("urlenc.QuotePlus(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStormOptions(t *testing.T) {
	got := stormOptions([]string{`nimbus.seeds=["127.0.0.1"]`, "nimbus.thrift.port=6628", "a=x,y"})
	want := "nimbus.seeds%3D%5B%22127.0.0.1%22%5D,nimbus.thrift.port%3D6628,a%3Dx%2Cy"
	if got != want {
		t.Errorf("stormOptions = %q, want %q", got, want)
	}
	if got := stormOptions(nil); got != "" {
		t.Errorf("stormOptions(nil) = %q, want empty", got)
	}
}

// FuzzQuotePlus checks that Storm's decoder (split on ",", URL-decode each
// piece, as Utils.readCommandLineOpts with java.net.URLDecoder) gets every
// -c value back unchanged.
func FuzzQuotePlus(f *testing.F) {
	for _, s := range []string{"a=1", `x=["a","b"]`, "k=a b,c", "~%+", "\xff\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := urlenc.QuotePlus(s)
		if strings.ContainsAny(enc, ",=[]{} ") {
			t.Fatalf("urlenc.QuotePlus(%q) = %q leaves a separator", s, enc)
		}
		dec, err := url.QueryUnescape(enc)
		if err != nil || dec != s {
			t.Fatalf("round trip %q -> %q -> %q, %v", s, enc, dec, err)
		}
	})
}

func i32(v int32) *int32 { return &v }

func TestParseRebalance(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    rebalanceArgs
		wantErr string
	}{
		{"name only", []string{"topo"}, rebalanceArgs{name: "topo"}, ""},
		{"all options", []string{"topo", "-w", "10", "-n", "3", "-e", "spout=4", "-e", "bolt=2"},
			rebalanceArgs{name: "topo", wait: i32(10), numWorkers: i32(3), executors: map[string]int32{"spout": 4, "bolt": 2}}, ""},
		{"options first", []string{"-w", "0", "topo"}, rebalanceArgs{name: "topo", wait: i32(0)}, ""},
		{"long options", []string{"topo", "--wait", "5", "--num-workers=2", "--executor", "c=1"},
			rebalanceArgs{name: "topo", wait: i32(5), numWorkers: i32(2), executors: map[string]int32{"c": 1}}, ""},
		{"component with =", []string{"topo", "-e", "a=b=7"}, rebalanceArgs{name: "topo", executors: map[string]int32{"a=b": 7}}, ""},
		{"later -e wins", []string{"topo", "-e", "c=1", "-e", "c=5"}, rebalanceArgs{name: "topo", executors: map[string]int32{"c": 5}}, ""},
		{"zero executors passes to nimbus", []string{"topo", "-e", "c=0"}, rebalanceArgs{name: "topo", executors: map[string]int32{"c": 0}}, ""},
		{"negative wait as Integer.parseInt", []string{"topo", "-w", "-1"}, rebalanceArgs{name: "topo", wait: i32(-1)}, ""},
		{"plus sign", []string{"topo", "-n", "+2"}, rebalanceArgs{name: "topo", numWorkers: i32(2)}, ""},
		{"no name", []string{"-w", "1"}, rebalanceArgs{}, "missing topology name"},
		{"bad number", []string{"topo", "-w", "ten"}, rebalanceArgs{}, `For input string: "ten"`},
		{"int overflow", []string{"topo", "-n", "2147483648"}, rebalanceArgs{}, "For input string"},
		{"executor without =", []string{"topo", "-e", "spout"}, rebalanceArgs{}, "want COMPONENT=NUMBER"},
		{"executor bad count", []string{"topo", "-e", "spout=x"}, rebalanceArgs{}, "For input string"},
		{"unknown option", []string{"topo", "-x", "1"}, rebalanceArgs{}, "'-x' is not a valid argument"},
		{"missing value", []string{"topo", "-e"}, rebalanceArgs{}, "-e needs a value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRebalance(tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %s, want %s", fmtRebalance(got), fmtRebalance(tt.want))
			}
		})
	}
}

func fmtRebalance(r rebalanceArgs) string {
	p := func(v *int32) any {
		if v == nil {
			return nil
		}
		return *v
	}
	return fmt.Sprintf("%s wait=%v n=%v e=%v", r.name, p(r.wait), p(r.numWorkers), r.executors)
}

func TestParseKill(t *testing.T) {
	tests := []struct {
		args    []string
		want    killArgs
		wantErr bool
	}{
		{[]string{"t"}, killArgs{name: "t"}, false},
		{[]string{"t", "-w", "0"}, killArgs{name: "t", wait: i32(0)}, false},
		{[]string{"-w", "30", "t"}, killArgs{name: "t", wait: i32(30)}, false},
		{[]string{"t", "--wait=2"}, killArgs{name: "t", wait: i32(2)}, false},
		{[]string{}, killArgs{}, true},
		{[]string{"t", "-w"}, killArgs{}, true},
		{[]string{"t", "-n", "1"}, killArgs{}, true},
	}
	for _, tt := range tests {
		got, err := parseKill(tt.args)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseKill(%q) err = %v, wantErr %v", tt.args, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseKill(%q) = %+v, want %+v", tt.args, got, tt.want)
		}
	}
}

func FuzzParseRebalance(f *testing.F) {
	f.Add("topo -w 10 -n 3 -e spout=4 -e a=b=2")
	f.Add("-e = --num-workers=-1 x")
	f.Fuzz(func(t *testing.T, line string) {
		r, err := parseRebalance(strings.Fields(line))
		if err == nil && r.name == "" {
			t.Fatalf("accepted %q without a name", line)
		}
	})
}

func TestShellSplitMatchesShlex(t *testing.T) {
	// Expected values are Python 3's shlex.split output.
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"-Xmx1g  -Dfoo=bar", []string{"-Xmx1g", "-Dfoo=bar"}},
		{`"a b" c`, []string{"a b", "c"}},
		{`'x y'z`, []string{"x yz"}},
		{`a\ b`, []string{"a b"}},
		{`"q\"x\\y\z"`, []string{`q"x\y\z`}},
		{`''`, []string{""}},
		{`-Da=""`, []string{"-Da="}},
		{"\t-a\n-b ", []string{"-a", "-b"}},
	}
	for _, tt := range tests {
		got, err := shellSplit(tt.in)
		if err != nil {
			t.Errorf("shellSplit(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("shellSplit(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{`"open`, `'open`, `trailing\`} {
		if _, err := shellSplit(bad); err == nil {
			t.Errorf("shellSplit(%q) accepted", bad)
		}
	}
}

func FuzzShellSplit(f *testing.F) {
	for _, s := range []string{`-Xmx1g "-Da=b c" 'd'`, `\`, `"\"`, `''""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := shellSplit(s)
		if err != nil {
			return
		}
		// Words without quoting characters survive a re-join and re-split.
		for _, w := range words {
			if w == "" || strings.ContainsAny(w, " \t\n\r'\"\\") {
				return
			}
		}
		again, err := shellSplit(strings.Join(words, " "))
		if err != nil || !reflect.DeepEqual(again, words) {
			t.Fatalf("%q: %q then %q, %v", s, words, again, err)
		}
	})
}
