package blobstore

import (
	"fmt"
	"path/filepath"
	"strconv"
	"unicode/utf16"
)

// Storm 1.0.0 FileBlobStoreImpl constants.
const (
	numBuckets   = 1024
	dataPrefix   = "data_"
	metaPrefix   = "meta_"
	dataFileName = "data"
	tmpExt       = ".tmp"
)

// ValidateKey reports whether key is a legal blob key, with Storm's rule
// (BlobStore.validateKey): non-empty, only ASCII letters, digits, '_', ' ',
// '\t', '.', ':' and '-', and not "." or "..". Keys therefore never contain a
// path separator. The error wraps ErrInvalidKey.
func ValidateKey(key string) error {
	if key == "" || key == "." || key == ".." {
		return fmt.Errorf("%w: %q does not appear to be a valid blob key", ErrInvalidKey, key)
	}
	for i := 0; i < len(key); i++ {
		if !keyByte(key[i]) {
			return fmt.Errorf("%w: %q does not appear to be a valid blob key", ErrInvalidKey, key)
		}
	}
	return nil
}

// keyByte is the character class [\w \t\.:_-] (Java's \w is ASCII-only).
func keyByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '_', ' ', '\t', '.', ':', '-':
		return true
	}
	return false
}

// javaStringHashCode is java.lang.String.hashCode: s[0]*31^(n-1) + ... + s[n-1]
// over UTF-16 code units with int32 wrap-around.
func javaStringHashCode(s string) int32 {
	var h int32
	for _, u := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(u)
	}
	return h
}

// bucketOf is FileBlobStoreImpl.getKeyDir's bucket: |(long) hashCode| % 1024.
func bucketOf(entry string) int {
	h := int64(javaStringHashCode(entry))
	if h < 0 {
		h = -h
	}
	return int(h % numBuckets)
}

// entryDir is <dir>/<bucket>/<entry> for an entry name ("data_K"/"meta_K").
func entryDir(dir, entry string) string {
	return filepath.Join(dir, strconv.Itoa(bucketOf(entry)), entry)
}
