package blobstore

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Expected values computed with java.lang.String.hashCode and
// Math.abs((long) h) % 1024 on OpenJDK 17 (FileBlobStoreImpl.getKeyDir).
var javaHashes = []struct {
	entry  string
	hash   int32
	bucket int
}{
	{"data_topo-1-1-stormjar.jar", 1581585621, 213},
	{"meta_topo-1-1-stormjar.jar", 2141861104, 240},
	{"data_topo-1-1-stormcode.ser", 1658108274, 370},
	{"meta_topo-1-1-stormcode.ser", 1846779063, 183},
	{"data_topo-1-1-stormconf.ser", 1945323305, 809},
	{"meta_topo-1-1-stormconf.ser", 2133994094, 622},
	{"data_wordcount-1-1462821600-stormjar.jar", -1361626315, 203},
	{"meta_wordcount-1-1462821600-stormjar.jar", -488075248, 1008},
	{"data_key1", -363646681, 729},
	{"meta_key1", -1069560916, 84},
	{"data_a", -1338918644, 756},
	{"meta_a", -1077562201, 857},
	{"data_my key\twith:tab.x", 278971732, 340},
	{"meta_my key\twith:tab.x", -38262033, 273},
	{"data_exclamation-topology-2-1700000000-stormconf.ser", -518429060, 388},
	{"meta_exclamation-topology-2-1700000000-stormconf.ser", -1948038441, 297},
	// hashCode == Integer.MIN_VALUE: the (long) cast keeps abs positive.
	{"polygenelubricants", -2147483648, 0},
	// Non-ASCII: UTF-16 code units, a surrogate pair for the emoji.
	{"é€😀", 16752006, 16752006 % 1024},
	{"", 0, 0},
}

func TestJavaStringHashCode(t *testing.T) {
	for _, tc := range javaHashes {
		if got := javaStringHashCode(tc.entry); got != tc.hash {
			t.Errorf("hashCode(%q) = %d, want %d", tc.entry, got, tc.hash)
		}
		if got := bucketOf(tc.entry); got != tc.bucket {
			t.Errorf("bucket(%q) = %d, want %d", tc.entry, got, tc.bucket)
		}
	}
}

func TestValidateKey(t *testing.T) {
	tests := []struct {
		key string
		ok  bool
	}{
		{"topo-1-1-stormjar.jar", true},
		{"a", true},
		{"...", true},
		{"with space\tand:colon_under-dash.dot", true},
		{"UPPER123", true},
		{"", false},
		{".", false},
		{"..", false},
		{"../etc/passwd", false},
		{"a/b", false},
		{`a\b`, false},
		{"/abs", false},
		{"key\n", false},
		{"key\x00", false},
		{"clé", false},
		{"a*b", false},
		{"~", false},
	}
	for _, tc := range tests {
		err := ValidateKey(tc.key)
		if tc.ok && err != nil {
			t.Errorf("ValidateKey(%q) = %v, want ok", tc.key, err)
		}
		if !tc.ok && !errors.Is(err, ErrInvalidKey) {
			t.Errorf("ValidateKey(%q) = %v, want ErrInvalidKey", tc.key, err)
		}
	}
}

// keyPattern is BlobStore.KEY_PATTERN; Go's \w is ASCII like Java's.
var keyPattern = regexp.MustCompile(`^[\w \t\.:_-]+$`)

func FuzzValidateKey(f *testing.F) {
	for _, s := range []string{"topo-1-1-stormjar.jar", ".", "..", "../x", "a/b", "", "a\nb", "é", "x\x00", " \t"} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, key string) {
		err := ValidateKey(key)
		want := key != "." && key != ".." && keyPattern.MatchString(key)
		if (err == nil) != want {
			t.Fatalf("ValidateKey(%q) = %v, Storm's rule says valid=%v", key, err, want)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("error %v does not wrap ErrInvalidKey", err)
			}
			return
		}
		// A valid key's entries stay two levels below the base directory.
		for _, p := range []string{disk{dir: dir}.dataPath(key), disk{dir: dir}.metaPath(key)} {
			rel, err := filepath.Rel(dir, p)
			if err != nil || strings.HasPrefix(rel, "..") || strings.Count(rel, string(filepath.Separator)) != 2 {
				t.Fatalf("key %q maps outside the store: %s", key, p)
			}
		}
	})
}
