package compat

import (
	"reflect"
	"strings"

	"github.com/apache/thrift/lib/go/thrift"
)

// JavaPackage is the Java package of Storm's generated thrift classes.
const JavaPackage = "org.apache.storm.generated"

// JavaClassName returns the fully qualified Java class Storm generates for the
// thrift struct s, e.g. "org.apache.storm.generated.LSWorkerHeartbeat". The
// name comes from the Go type, which the thrift generator names after the IDL
// struct; a trailing underscore the Go generator adds to avoid clashes
// (ListBlobsResult_) is dropped.
func JavaClassName(s thrift.TStruct) string {
	t := reflect.TypeOf(s)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return ""
	}
	return JavaPackage + "." + strings.TrimRight(t.Name(), "_")
}
