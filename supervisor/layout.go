package supervisor

import (
	"path/filepath"
	"strconv"
	"strings"
)

// layout names every path the supervisor reads or writes, Storm's
// config.clj layout under storm.local.dir (reference §5.5):
//
//	supervisor/isupervisor/                 LocalState: supervisor-id
//	supervisor/localstate/                  LocalState: local-assignments, approved-workers
//	supervisor/tmp/<uuid>/                  code downloads in progress
//	supervisor/stormdist/<urlenc id>/       stormjar.jar stormcode.ser stormconf.ser resources/
//	workers/<wid>/{heartbeats,pids,tmp}/    one worker; heartbeats is the worker's LocalState
//	workers/<wid>/{resources,artifacts}     symlinks to the code's resources and the log dir
//	workers-users/<wid>                     the topology's submitter
//	<artifacts>/<id>/<port>/worker.log      worker output; worker.yaml for the logviewer
type layout struct {
	local     string // absolute storm.local.dir
	logDir    string // absolute daemon log dir
	artifacts string // absolute workers-artifacts root
}

// Files of one topology's code directory.
const (
	stormJarFile  = "stormjar.jar"
	stormCodeFile = "stormcode.ser"
	stormConfFile = "stormconf.ser"
	resourcesDir  = "resources"
)

// codeFiles are the files a code directory must hold before a worker of the
// topology may start, with the blob key suffix each is downloaded from.
var codeFiles = [...]struct{ file, keySuffix string }{
	{stormJarFile, "-stormjar.jar"},
	{stormCodeFile, "-stormcode.ser"},
	{stormConfFile, "-stormconf.ser"},
}

func (l layout) supervisorDir() string  { return filepath.Join(l.local, "supervisor") }
func (l layout) isupervisorDir() string { return filepath.Join(l.supervisorDir(), "isupervisor") }
func (l layout) localStateDir() string  { return filepath.Join(l.supervisorDir(), "localstate") }
func (l layout) tmpDir() string         { return filepath.Join(l.supervisorDir(), "tmp") }
func (l layout) stormdistRoot() string  { return filepath.Join(l.supervisorDir(), "stormdist") }

// codeDir is stormdist/<url-encoded topology id>.
func (l layout) codeDir(topologyID string) string {
	return filepath.Join(l.stormdistRoot(), javaURLEncode(topologyID))
}

func (l layout) workersRoot() string            { return filepath.Join(l.local, "workers") }
func (l layout) workerDir(wid string) string    { return filepath.Join(l.workersRoot(), wid) }
func (l layout) heartbeatDir(wid string) string { return filepath.Join(l.workerDir(wid), "heartbeats") }
func (l layout) pidsDir(wid string) string      { return filepath.Join(l.workerDir(wid), "pids") }
func (l layout) workerTmpDir(wid string) string { return filepath.Join(l.workerDir(wid), "tmp") }
func (l layout) workerUserFile(wid string) string {
	return filepath.Join(l.local, "workers-users", wid)
}

// artifactsDir is <artifacts>/<topology id>/<port>, where a worker logs.
func (l layout) artifactsDir(topologyID string, port int) string {
	return filepath.Join(l.artifacts, topologyID, strconv.Itoa(port))
}

// javaURLEncode is java.net.URLEncoder.encode(s, "UTF-8"), which Storm uses
// to name stormdist directories: letters, digits and ".-*_" stay, a space
// becomes "+", every other byte is %XX (upper-case hex).
func javaURLEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// javaURLDecode reverses javaURLEncode (URLDecoder.decode); ok is false for
// a malformed escape.
func javaURLDecode(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b.WriteByte(' ')
		case '%':
			if i+2 >= len(s) {
				return "", false
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", false
			}
			b.WriteByte(byte(v))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}
