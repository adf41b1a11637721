package cluster

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/galeproject/gale/compat/urlenc"
)

// Top-level subtrees, as in cluster.clj.
const (
	AssignmentsRoot     = "/assignments"
	StormsRoot          = "/storms"
	SupervisorsRoot     = "/supervisors"
	WorkerbeatsRoot     = "/workerbeats"
	BackpressureRoot    = "/backpressure"
	ErrorsRoot          = "/errors"
	BlobstoreRoot       = "/blobstore"
	BlobstoreMaxSeqRoot = "/blobstoremaxkeysequencenumber"
	NimbusesRoot        = "/nimbuses"
	CredentialsRoot     = "/credentials"
	LogconfigsRoot      = "/logconfigs"
	ProfilerconfigsRoot = "/profilerconfigs"
	LeaderLockRoot      = "/leader-lock"
)

// StartupSubtrees returns the subtrees every daemon's cluster state makes
// at start (mk-storm-cluster-state).
func StartupSubtrees() []string {
	return []string{
		AssignmentsRoot, StormsRoot, SupervisorsRoot, WorkerbeatsRoot, ErrorsRoot,
		BlobstoreRoot, NimbusesRoot, LogconfigsRoot, BackpressureRoot,
	}
}

// AssignmentPath is /assignments/<id>.
func AssignmentPath(id string) string { return AssignmentsRoot + "/" + id }

// StormPath is /storms/<id>.
func StormPath(id string) string { return StormsRoot + "/" + id }

// SupervisorPath is /supervisors/<id>.
func SupervisorPath(id string) string { return SupervisorsRoot + "/" + id }

// WorkerbeatStormRoot is /workerbeats/<storm-id>.
func WorkerbeatStormRoot(stormID string) string { return WorkerbeatsRoot + "/" + stormID }

// WorkerbeatPath is /workerbeats/<storm-id>/<node>-<port>.
func WorkerbeatPath(stormID, node string, port int) string {
	return WorkerbeatStormRoot(stormID) + "/" + nodePort(node, port)
}

// BackpressureStormRoot is /backpressure/<storm-id>.
func BackpressureStormRoot(stormID string) string { return BackpressureRoot + "/" + stormID }

// BackpressurePath is /backpressure/<storm-id>/<node>-<port>.
func BackpressurePath(stormID, node string, port int) string {
	return BackpressureStormRoot(stormID) + "/" + nodePort(node, port)
}

// ErrorStormRoot is /errors/<storm-id>.
func ErrorStormRoot(stormID string) string { return ErrorsRoot + "/" + stormID }

// ErrorPath is /errors/<storm-id>/<url-encoded component id>.
func ErrorPath(stormID, componentID string) string {
	return ErrorStormRoot(stormID) + "/" + URLEncode(componentID)
}

// LastErrorPath is /errors/<storm-id>/<url-encoded component id>-last-error.
func LastErrorPath(stormID, componentID string) string {
	return ErrorPath(stormID, componentID) + "-last-error"
}

// NimbusPath is /nimbuses/<host:port>.
func NimbusPath(hostPort string) string { return NimbusesRoot + "/" + hostPort }

// BlobstorePath is /blobstore/<key>.
func BlobstorePath(key string) string { return BlobstoreRoot + "/" + key }

// BlobstoreMaxSeqPath is /blobstoremaxkeysequencenumber/<key>.
func BlobstoreMaxSeqPath(key string) string { return BlobstoreMaxSeqRoot + "/" + key }

// CredentialsPath is /credentials/<storm-id>.
func CredentialsPath(stormID string) string { return CredentialsRoot + "/" + stormID }

// LogConfigPath is /logconfigs/<storm-id>.
func LogConfigPath(stormID string) string { return LogconfigsRoot + "/" + stormID }

// ProfilerStormRoot is /profilerconfigs/<storm-id>.
func ProfilerStormRoot(stormID string) string { return ProfilerconfigsRoot + "/" + stormID }

// ProfilerPath is /profilerconfigs/<storm-id>/<host>_<port>_<action>.
func ProfilerPath(stormID, host string, port int64, action string) string {
	return ProfilerStormRoot(stormID) + "/" + host + "_" + strconv.FormatInt(port, 10) + "_" + action
}

func nodePort(node string, port int) string { return node + "-" + strconv.Itoa(port) }

// SplitNodePort parses a "<node>-<port>" child name (the node may itself
// contain dashes; the port is after the last one).
func SplitNodePort(name string) (node string, port int, err error) {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return "", 0, fmt.Errorf("cluster: %q is not <node>-<port>", name)
	}
	port, err = strconv.Atoi(name[i+1:])
	if err != nil {
		return "", 0, fmt.Errorf("cluster: %q is not <node>-<port>: %w", name, err)
	}
	return name[:i], port, nil
}

// URLEncode is Storm's url-encode (ring.util.codec/url-encode): every byte
// of the UTF-8 form outside [A-Za-z0-9_~.+-] becomes %XX (upper-case hex).
func URLEncode(s string) string { return urlenc.Ring(s) }
