package supervisor

import (
	"path/filepath"
	"strconv"

	"github.com/galeproject/gale/compat/urlenc"
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
	return filepath.Join(l.stormdistRoot(), urlenc.JavaEncode(topologyID))
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
