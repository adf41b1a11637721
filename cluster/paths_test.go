package cluster_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/galeproject/gale/cluster"
)

func TestPaths(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{cluster.AssignmentPath("t-1-1"), "/assignments/t-1-1"},
		{cluster.WorkerbeatPath("t", "sup", 6700), "/workerbeats/t/sup-6700"},
		{cluster.BackpressurePath("t", "sup", 6700), "/backpressure/t/sup-6700"},
		{cluster.ErrorPath("t", "__acker"), "/errors/t/__acker"},
		{cluster.LastErrorPath("t", "a b"), "/errors/t/a%20b-last-error"},
		{cluster.ProfilerPath("t", "h", 6700, "JMAP_DUMP"), "/profilerconfigs/t/h_6700_JMAP_DUMP"},
		{cluster.BlobstoreMaxSeqPath("k"), "/blobstoremaxkeysequencenumber/k"},
		{cluster.NimbusPath("h:6627"), "/nimbuses/h:6627"},
		{cluster.URLEncode("a-b_c.d~e+f/g h:ü"), "a-b_c.d~e+f%2Fg%20h%3A%C3%BC"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	for _, bad := range []string{"nodash", "node-x", "node-"} {
		if _, _, err := cluster.SplitNodePort(bad); err == nil {
			t.Errorf("SplitNodePort(%q) accepted", bad)
		}
	}
}

// FuzzURLEncode: the encoding is path-safe and decodes back.
func FuzzURLEncode(f *testing.F) {
	for _, s := range []string{"", "spout", "a b/c", "ü€", "%2F", "+-_.~", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := cluster.URLEncode(s)
		for i := 0; i < len(enc); i++ {
			if c := enc[i]; c == '/' || c < 0x21 || c > 0x7e {
				t.Fatalf("%q encodes to %q with byte %#x", s, enc, c)
			}
		}
		dec, err := url.PathUnescape(enc)
		if err != nil || dec != s {
			t.Fatalf("%q -> %q -> %q (%v)", s, enc, dec, err)
		}
	})
}

// FuzzSplitNodePort: a parsed name rebuilds to one that parses the same.
func FuzzSplitNodePort(f *testing.F) {
	f.Add("sup-1-6700")
	f.Add("x-")
	f.Add("-1")
	f.Add("a-+7")
	f.Fuzz(func(t *testing.T, s string) {
		node, port, err := cluster.SplitNodePort(s)
		if err != nil {
			return
		}
		n2, p2, err := cluster.SplitNodePort(node + "-" + strconv.Itoa(port))
		if err != nil || n2 != node || p2 != port {
			t.Fatalf("%q -> %q %d -> %q %d %v", s, node, port, n2, p2, err)
		}
	})
}
