package topology

// Component ids, stream ids and tasks of the system topology (Storm's
// Constants.java, acker.clj, common.clj).
const (
	AckerComponentID          = "__acker"
	AckerInitStreamID         = "__ack_init"
	AckerAckStreamID          = "__ack_ack"
	AckerFailStreamID         = "__ack_fail"
	AckerResetTimeoutStreamID = "__ack_reset_timeout"

	EventLoggerComponentID = "__eventlogger"
	EventLoggerStreamID    = "__eventlog"

	SystemComponentID          = "__system"
	SystemStreamID             = "__system"
	SystemTickStreamID         = "__tick"
	MetricsTickStreamID        = "__metrics_tick"
	CredentialsChangedStreamID = "__credentials"

	// MetricsComponentIDPrefix + consumer class name (numbered "#2", "#3"…
	// when a class is registered twice) is a metrics consumer bolt id.
	MetricsComponentIDPrefix = "__metrics"
	MetricsStreamID          = "__metrics"

	DefaultStreamID = "default"

	// SystemTaskID is the task of the per-worker __system executor [-1 -1];
	// it is never part of an assignment.
	SystemTaskID int32 = -1
)

// Java class names recorded as JavaObject component objects of the system
// components (Storm serializes instances of these classes; see System).
const (
	AckerClass           = "org.apache.storm.daemon.acker"
	EventLoggerBoltClass = "org.apache.storm.metric.EventLoggerBolt"
	SystemBoltClass      = "org.apache.storm.metric.SystemBolt"
	MetricsConsumerClass = "org.apache.storm.metric.MetricsConsumerBolt"
)

// IsSystemID reports whether id is reserved for Storm (Utils.isSystemId).
func IsSystemID(id string) bool { return len(id) >= 2 && id[:2] == "__" }
