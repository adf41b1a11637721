package conf

// JVM system properties bin/storm.py and the supervisor set on Storm
// processes (not configuration keys; -D<name>=<value> on the java command
// line). Gale daemons accept the same names where they matter.
const (
	PropStormHome          = "storm.home"      // installation directory
	PropStormLogDir        = "storm.log.dir"   // log directory (default <storm.home>/logs)
	PropStormConfFile      = "storm.conf.file" // --config file, "" if none
	PropStormOptions       = "storm.options"   // encoded -c options, see EncodeStormOptions
	PropStormJar           = "storm.jar"       // topology jar of `storm jar`
	PropDaemonName         = "daemon.name"     // nimbus, supervisor, ui, ...
	PropLogfileName        = "logfile.name"    // worker.log, nimbus.log, ...
	PropWorkerID           = "worker.id"       // a worker's id (workers only)
	PropWorkerPort         = "worker.port"     // a worker's port (workers only)
	PropStormID            = "storm.id"        // a worker's topology id (workers only)
	PropLog4jConfig        = "log4j.configurationFile"
	PropWorkersArtifacts   = "workers.artifacts"   // <storm.log.dir>/workers-artifacts (workers only)
	PropLoggingSensitivity = "logging.sensitivity" // topology.logging.sensitivity (workers only)
	PropJavaIOTmpdir       = "java.io.tmpdir"      // workers/<id>/tmp (workers only)
	PropJavaLibraryPath    = "java.library.path"   // also the java.library.path conf key
)
