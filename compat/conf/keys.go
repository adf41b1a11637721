// Code generated from Storm 1.0.0 Config.java and conf/defaults.yaml key names; DO NOT EDIT.

package conf

// Configuration keys. Names follow the Java constants of Storm 1.0.0's
// org.apache.storm.Config (STORM_ZOOKEEPER_SERVERS → StormZookeeperServers);
// keys of conf/defaults.yaml without a Java constant are named after the key.
// The comment gives the conf/defaults.yaml value when there is one.

// backpressure.* keys.
const (
	BackpressureDisruptorHighWatermark = "backpressure.disruptor.high.watermark" // default 0.9
	BackpressureDisruptorLowWatermark  = "backpressure.disruptor.low.watermark"  // default 0.4
)

// blobstore.* keys.
const (
	BlobstoreCleanupEnable = "blobstore.cleanup.enable"
	BlobstoreDir           = "blobstore.dir"
	BlobstoreHdfsKeytab    = "blobstore.hdfs.keytab"
	BlobstoreHdfsPrincipal = "blobstore.hdfs.principal"
	BlobstoreSuperuser     = "blobstore.superuser"
)

// client.* keys.
const (
	ClientBlobstore = "client.blobstore.class" // default "org.apache.storm.blobstore.NimbusBlobStore"
)

// dev.* keys.
const (
	DevZookeeperPath = "dev.zookeeper.path" // default "/tmp/dev-storm-zookeeper"
)

// drpc.* keys.
const (
	DRPCAuthorizer                       = "drpc.authorizer"
	DRPCAuthorizerACL                    = "drpc.authorizer.acl"
	DRPCAuthorizerACLFilename            = "drpc.authorizer.acl.filename" // default "drpc-auth-acl.yaml"
	DRPCAuthorizerACLStrict              = "drpc.authorizer.acl.strict"   // default false
	DRPCChildopts                        = "drpc.childopts"               // default "-Xmx768m"
	DRPCHTTPCredsPlugin                  = "drpc.http.creds.plugin"       // default "org.apache.storm.security.auth.DefaultHttpCredentialsPlu...
	DRPCHTTPFilter                       = "drpc.http.filter"
	DRPCHTTPFilterParams                 = "drpc.http.filter.params"
	DRPCHTTPPort                         = "drpc.http.port" // default 3774
	DRPCHTTPSKeyPassword                 = "drpc.https.key.password"
	DRPCHTTPSKeystorePassword            = "drpc.https.keystore.password" // default ""
	DRPCHTTPSKeystorePath                = "drpc.https.keystore.path"
	DRPCHTTPSKeystoreType                = "drpc.https.keystore.type" // default "JKS"
	DRPCHTTPSNeedClientAuth              = "drpc.https.need.client.auth"
	DRPCHTTPSPort                        = "drpc.https.port" // default -1
	DRPCHTTPSTruststorePassword          = "drpc.https.truststore.password"
	DRPCHTTPSTruststorePath              = "drpc.https.truststore.path"
	DRPCHTTPSTruststoreType              = "drpc.https.truststore.type"
	DRPCHTTPSWantClientAuth              = "drpc.https.want.client.auth"
	DRPCInvocationsPort                  = "drpc.invocations.port"    // default 3773
	DRPCInvocationsThreads               = "drpc.invocations.threads" // default 64
	DRPCInvocationsThriftTransportPlugin = "drpc.invocations.thrift.transport"
	DRPCMaxBufferSize                    = "drpc.max_buffer_size"      // default 1048576
	DRPCPort                             = "drpc.port"                 // default 3772
	DRPCQueueSize                        = "drpc.queue.size"           // default 128
	DRPCRequestTimeoutSecs               = "drpc.request.timeout.secs" // default 600
	DRPCServers                          = "drpc.servers"
	DRPCThriftTransportPlugin            = "drpc.thrift.transport"
	DRPCWorkerThreads                    = "drpc.worker.threads" // default 64
)

// isolation.* keys.
const (
	IsolationSchedulerMachines = "isolation.scheduler.machines"
)

// java.* keys.
const (
	JavaLibraryPath = "java.library.path" // default "/usr/local/lib:/opt/local/lib:/usr/lib"
)

// logs.* keys.
const (
	LogsGroups = "logs.groups"
	LogsUsers  = "logs.users" // default nil
)

// logviewer.* keys.
const (
	LogviewerAppenderName            = "logviewer.appender.name"    // default "A1"
	LogviewerChildopts               = "logviewer.childopts"        // default "-Xmx128m"
	LogviewerCleanupAgeMins          = "logviewer.cleanup.age.mins" // default 10080
	LogviewerCleanupIntervalSecs     = "logviewer.cleanup.interval.secs"
	LogviewerHTTPSKeyPassword        = "logviewer.https.key.password"
	LogviewerHTTPSKeystorePassword   = "logviewer.https.keystore.password"
	LogviewerHTTPSKeystorePath       = "logviewer.https.keystore.path"
	LogviewerHTTPSKeystoreType       = "logviewer.https.keystore.type"
	LogviewerHTTPSNeedClientAuth     = "logviewer.https.need.client.auth"
	LogviewerHTTPSPort               = "logviewer.https.port"
	LogviewerHTTPSTruststorePassword = "logviewer.https.truststore.password"
	LogviewerHTTPSTruststorePath     = "logviewer.https.truststore.path"
	LogviewerHTTPSTruststoreType     = "logviewer.https.truststore.type"
	LogviewerHTTPSWantClientAuth     = "logviewer.https.want.client.auth"
	LogviewerMaxPerWorkerLogsSizeMb  = "logviewer.max.per.worker.logs.size.mb" // default 2048
	LogviewerMaxSumWorkerLogsSizeMb  = "logviewer.max.sum.worker.logs.size.mb" // default 4096
	LogviewerPort                    = "logviewer.port"                        // default 8000
)

// multitenant.* keys.
const (
	MultitenantSchedulerUserPools = "multitenant.scheduler.user.pools"
)

// nimbus.* keys.
const (
	NimbusAdmins                       = "nimbus.admins"
	NimbusAuthorizer                   = "nimbus.authorizer"
	NimbusAutoCredPlugins              = "nimbus.autocredential.plugins.classes"
	NimbusBlobstore                    = "nimbus.blobstore.class"           // default "org.apache.storm.blobstore.LocalFsBlobStore"
	NimbusBlobstoreExpirationSecs      = "nimbus.blobstore.expiration.secs" // default 600
	NimbusChildopts                    = "nimbus.childopts"                 // default "-Xmx1024m"
	NimbusCleanupInboxFreqSecs         = "nimbus.cleanup.inbox.freq.secs"   // default 600
	NimbusCodeSyncFreqSecs             = "nimbus.code.sync.freq.secs"       // default 120
	NimbusCredentialRenewers           = "nimbus.credential.renewers.classes"
	NimbusCredentialRenewFreqSecs      = "nimbus.credential.renewers.freq.secs" // default 600
	NimbusDaemonUser                   = "nimbus.daemon.user"
	NimbusExecutorsPerTopology         = "nimbus.executors.perTopology"
	NimbusFileCopyExpirationSecs       = "nimbus.file.copy.expiration.secs" // default 600
	NimbusGroups                       = "nimbus.groups"
	NimbusHost                         = "nimbus.host"
	NimbusImpersonationACL             = "nimbus.impersonation.acl"
	NimbusImpersonationAuthorizer      = "nimbus.impersonation.authorizer"  // default "org.apache.storm.security.auth.authorizer.ImpersonationA...
	NimbusInboxJarExpirationSecs       = "nimbus.inbox.jar.expiration.secs" // default 3600
	NimbusMonitorFreqSecs              = "nimbus.monitor.freq.secs"         // default 10
	NimbusQueueSize                    = "nimbus.queue.size"                // default 100000
	NimbusSeeds                        = "nimbus.seeds"                     // default ["localhost"]
	NimbusSlotsPerTopology             = "nimbus.slots.perTopology"
	NimbusSupervisorTimeoutSecs        = "nimbus.supervisor.timeout.secs" // default 60
	NimbusSupervisorUsers              = "nimbus.supervisor.users"
	NimbusDoNotReassign                = "NIMBUS-DO-NOT-REASSIGN"        // config.clj: a test switch that stops assignment passes
	NimbusTaskLaunchSecs               = "nimbus.task.launch.secs"       // default 120
	NimbusTaskTimeoutSecs              = "nimbus.task.timeout.secs"      // default 30
	NimbusThriftMaxBufferSize          = "nimbus.thrift.max_buffer_size" // default 1048576
	NimbusThriftPort                   = "nimbus.thrift.port"            // default 6627
	NimbusThriftThreads                = "nimbus.thrift.threads"         // default 64
	NimbusThriftTransportPlugin        = "nimbus.thrift.transport"
	NimbusTopologyActionNotifierPlugin = "nimbus.topology.action.notifier.plugin.class"
	NimbusTopologyValidator            = "nimbus.topology.validator" // default "org.apache.storm.nimbus.DefaultTopologyValidator"
	NimbusUsers                        = "nimbus.users"
)

// pacemaker.* keys.
const (
	PacemakerAuthMethod    = "pacemaker.auth.method"    // default "NONE"
	PacemakerBaseThreads   = "pacemaker.base.threads"   // default 10
	PacemakerChildopts     = "pacemaker.childopts"      // default "-Xmx1024m"
	PacemakerHost          = "pacemaker.host"           // default "localhost"
	PacemakerKerberosUsers = "pacemaker.kerberos.users" // default []
	PacemakerMaxThreads    = "pacemaker.max.threads"    // default 50
	PacemakerPort          = "pacemaker.port"           // default 6699
	PacemakerThreadTimeout = "pacemaker.thread.timeout" // default 10
)

// resource.* keys.
const (
	ResourceAwareSchedulerEvictionStrategy = "resource.aware.scheduler.eviction.strategy" // default "org.apache.storm.scheduler.resource.strategies.eviction....
	ResourceAwareSchedulerPriorityStrategy = "resource.aware.scheduler.priority.strategy" // default "org.apache.storm.scheduler.resource.strategies.priority....
	ResourceAwareSchedulerUserPools        = "resource.aware.scheduler.user.pools"
)

// scheduler.* keys.
const (
	SchedulerDisplayResource = "scheduler.display.resource" // default false
)

// storm.* keys.
const (
	StormAuthSimpleACLAdmins                     = "storm.auth.simple-acl.admins"                  // default []
	StormAuthSimpleACLUsers                      = "storm.auth.simple-acl.users"                   // default []
	StormAuthSimpleACLUsersCommands              = "storm.auth.simple-acl.users.commands"          // default []
	StormAuthSimpleWhiteListUsers                = "storm.auth.simple-white-list.users"            // default []
	StormBlobstoreInputstreamBufferSizeBytes     = "storm.blobstore.inputstream.buffer.size.bytes" // default 65536
	StormBlobstoreReplicationFactor              = "storm.blobstore.replication.factor"            // default 3
	StormClusterMode                             = "storm.cluster.mode"                            // default "distributed"
	StormClusterStateStore                       = "storm.cluster.state.store"                     // default "org.apache.storm.cluster_state.zookeeper_state_factory"
	StormCodedistributorClass                    = "storm.codedistributor.class"                   // default "org.apache.storm.codedistributor.LocalFileSystemCodeDist...
	StormDaemonMetricsReporterCsvLogDir          = "storm.daemon.metrics.reporter.csv.log.dir"
	StormDaemonMetricsReporterPluginDomain       = "storm.daemon.metrics.reporter.plugin.domain"
	StormDaemonMetricsReporterPluginDurationUnit = "storm.daemon.metrics.reporter.plugin.duration.unit"
	StormDaemonMetricsReporterPluginLocale       = "storm.daemon.metrics.reporter.plugin.locale"
	StormDaemonMetricsReporterPluginRateUnit     = "storm.daemon.metrics.reporter.plugin.rate.unit"
	StormDaemonMetricsReporterPlugins            = "storm.daemon.metrics.reporter.plugins" // default ["org.apache.storm.daemon.metrics.reporters.JmxPreparable...
	StormDoAsUser                                = "storm.doAsUser"
	StormExhibitorPoll                           = "storm.exhibitor.poll.millis"
	StormExhibitorUripath                        = "storm.exhibitor.poll.uripath" // default "/exhibitor/v1/cluster/list"
	StormExhibitorPort                           = "storm.exhibitor.port"         // default 8080
	StormExhibitorRetryInterval                  = "storm.exhibitor.retry.interval"
	StormExhibitorRetryIntervalCeiling           = "storm.exhibitor.retry.intervalceiling.millis"
	StormExhibitorRetryTimes                     = "storm.exhibitor.retry.times"
	StormExhibitorServers                        = "storm.exhibitor.servers"
	StormGroupMappingServiceProviderPlugin       = "storm.group.mapping.service"                     // default "org.apache.storm.security.auth.ShellBasedGroupsMapping"
	StormGroupMappingServiceCacheDurationSecs    = "storm.group.mapping.service.cache.duration.secs" // default 120
	StormGroupMappingServiceParams               = "storm.group.mapping.service.params"              // default nil
	StormHealthCheckDir                          = "storm.health.check.dir"                          // default "healthchecks"
	StormHealthCheckTimeoutMs                    = "storm.health.check.timeout.ms"                   // default 5000
	StormID                                      = "storm.id"
	StormLocalDir                                = "storm.local.dir" // default "storm-local"
	StormLocalHostname                           = "storm.local.hostname"
	StormLocalModeZmq                            = "storm.local.mode.zmq"                        // default false
	StormLog4j2ConfDir                           = "storm.log4j2.conf.dir"                       // default "log4j2"
	StormMessagingNettyAuthentication            = "storm.messaging.netty.authentication"        // default false
	StormMessagingNettyBufferSize                = "storm.messaging.netty.buffer_size"           // default 5242880
	StormMessagingNettyClientWorkerThreads       = "storm.messaging.netty.client_worker_threads" // default 1
	StormNettyFlushCheckIntervalMs               = "storm.messaging.netty.flush.check.interval.ms"
	StormMessagingNettyMaxRetries                = "storm.messaging.netty.max_retries"           // default 300
	StormMessagingNettyMaxSleepMs                = "storm.messaging.netty.max_wait_ms"           // default 1000
	StormMessagingNettyMinSleepMs                = "storm.messaging.netty.min_wait_ms"           // default 100
	StormMessagingNettyServerWorkerThreads       = "storm.messaging.netty.server_worker_threads" // default 1
	StormMessagingNettySocketBacklog             = "storm.messaging.netty.socket.backlog"        // default 500
	StormNettyMessageBatchSize                   = "storm.messaging.netty.transfer.batch.size"   // default 262144
	StormMessagingTransport                      = "storm.messaging.transport"                   // default "org.apache.storm.messaging.netty.Context"
	StormMetaSerializationDelegate               = "storm.meta.serialization.delegate"           // default "org.apache.storm.serialization.GzipThriftSerializationDe...
	StormNetworkTopographyPlugin                 = "storm.network.topography.plugin"             // default "org.apache.storm.networktopography.DefaultRackDNSToSwitc...
	StormNimbusRetryInterval                     = "storm.nimbus.retry.interval.millis"          // default 2000
	StormNimbusRetryIntervalCeiling              = "storm.nimbus.retry.intervalceiling.millis"   // default 60000
	StormNimbusRetryTimes                        = "storm.nimbus.retry.times"                    // default 5
	StormPrincipalToLocalPlugin                  = "storm.principal.tolocal"                     // default "org.apache.storm.security.auth.DefaultPrincipalToLocal"
	StormScheduler                               = "storm.scheduler"
	StormThriftTransportPlugin                   = "storm.thrift.transport" // default "org.apache.storm.security.auth.SimpleTransportPlugin"
	StormTopologySubmissionNotifierPlugin        = "storm.topology.submission.notifier.plugin.class"
	StormWorkersArtifactsDir                     = "storm.workers.artifacts.dir"   // default "workers-artifacts"
	StormZookeeperAuthPassword                   = "storm.zookeeper.auth.password" // default nil
	StormZookeeperAuthPayload                    = "storm.zookeeper.auth.payload"
	StormZookeeperAuthScheme                     = "storm.zookeeper.auth.scheme"
	StormZookeeperAuthUser                       = "storm.zookeeper.auth.user"                    // default nil
	StormZookeeperConnectionTimeout              = "storm.zookeeper.connection.timeout"           // default 15000
	StormZookeeperPort                           = "storm.zookeeper.port"                         // default 2181
	StormZookeeperRetryInterval                  = "storm.zookeeper.retry.interval"               // default 1000
	StormZookeeperRetryIntervalCeiling           = "storm.zookeeper.retry.intervalceiling.millis" // default 30000
	StormZookeeperRetryTimes                     = "storm.zookeeper.retry.times"                  // default 5
	StormZookeeperRoot                           = "storm.zookeeper.root"                         // default "/storm"
	StormZookeeperServers                        = "storm.zookeeper.servers"                      // default ["localhost"]
	StormZookeeperSessionTimeout                 = "storm.zookeeper.session.timeout"              // default 20000
	StormZookeeperSuperACL                       = "storm.zookeeper.superACL"
	StormZookeeperTopologyAuthPayload            = "storm.zookeeper.topology.auth.payload"
	StormZookeeperTopologyAuthScheme             = "storm.zookeeper.topology.auth.scheme"
)

// supervisor.* keys.
const (
	SupervisorBlobstore                       = "supervisor.blobstore.class"                 // default "org.apache.storm.blobstore.NimbusBlobStore"
	SupervisorBlobstoreDownloadMaxRetries     = "supervisor.blobstore.download.max_retries"  // default 3
	SupervisorBlobstoreDownloadThreadCount    = "supervisor.blobstore.download.thread.count" // default 5
	SupervisorChildopts                       = "supervisor.childopts"                       // default "-Xmx256m"
	SupervisorCPUCapacity                     = "supervisor.cpu.capacity"                    // default 400.0
	SupervisorEnable                          = "supervisor.enable"                          // default true
	SupervisorHeartbeatFrequencySecs          = "supervisor.heartbeat.frequency.secs"        // default 5
	SupervisorLocalizerCacheTargetSizeMb      = "supervisor.localizer.cache.target.size.mb"  // default 10240
	SupervisorLocalizerCacheCleanupIntervalMs = "supervisor.localizer.cleanup.interval.ms"   // default 600000
	SupervisorMemoryCapacityMb                = "supervisor.memory.capacity.mb"              // default 3072.0
	SupervisorMonitorFrequencySecs            = "supervisor.monitor.frequency.secs"          // default 3
	SupervisorRunWorkerAsUser                 = "supervisor.run.worker.as.user"              // default false
	SupervisorSchedulerMeta                   = "supervisor.scheduler.meta"
	SupervisorSlotsPorts                      = "supervisor.slots.ports"          // default [6700, 6701, 6702, 6703]
	SupervisorSupervisors                     = "supervisor.supervisors"          // default []
	SupervisorSupervisorsCommands             = "supervisor.supervisors.commands" // default []
	SupervisorWorkerLauncher                  = "supervisor.worker.launcher"
	SupervisorWorkerShutdownSleepSecs         = "supervisor.worker.shutdown.sleep.secs" // default 1
	SupervisorWorkerStartTimeoutSecs          = "supervisor.worker.start.timeout.secs"  // default 120
	SupervisorWorkerTimeoutSecs               = "supervisor.worker.timeout.secs"        // default 30
)

// task.* keys.
const (
	TaskCredentialsPollSecs    = "task.credentials.poll.secs"    // default 30
	TaskHeartbeatFrequencySecs = "task.heartbeat.frequency.secs" // default 3
	TaskRefreshPollSecs        = "task.refresh.poll.secs"        // default 10
)

// topology.* keys.
const (
	TopologyAckerExecutors                     = "topology.acker.executors" // default nil
	TopologyAutoCredentials                    = "topology.auto-credentials"
	TopologyAutoTaskHooks                      = "topology.auto.task.hooks"
	TopologyBackpressureEnable                 = "topology.backpressure.enable" // default true
	TopologyBlobstoreMap                       = "topology.blobstore.map"
	TopologyBoltsMessageIDFieldName            = "topology.bolts.message.id.field.name"
	TopologyBoltsOutgoingOverflowBufferEnable  = "topology.bolts.outgoing.overflow.buffer.enable" // default false
	TopologyBoltsTupleTimestampFieldName       = "topology.bolts.tuple.timestamp.field.name"
	TopologyBoltsTupleTimestampMaxLagMs        = "topology.bolts.tuple.timestamp.max.lag.ms"
	TopologyBoltsWatermarkEventIntervalMs      = "topology.bolts.watermark.event.interval.ms"
	TopologyBoltsWindowLengthCount             = "topology.bolts.window.length.count"
	TopologyBoltsWindowLengthDurationMs        = "topology.bolts.window.length.duration.ms"
	TopologyBoltsSlidingIntervalCount          = "topology.bolts.window.sliding.interval.count"
	TopologyBoltsSlidingIntervalDurationMs     = "topology.bolts.window.sliding.interval.duration.ms"
	TopologyBuiltinMetricsBucketSizeSecs       = "topology.builtin.metrics.bucket.size.secs"      // default 60
	TopologyClasspath                          = "topology.classpath"                             // default nil
	TopologyComponentCPUPcorePercent           = "topology.component.cpu.pcore.percent"           // default 10.0
	TopologyComponentResourcesOffheapMemoryMb  = "topology.component.resources.offheap.memory.mb" // default 0.0
	TopologyComponentResourcesOnheapMemoryMb   = "topology.component.resources.onheap.memory.mb"  // default 128.0
	TopologyDebug                              = "topology.debug"                                 // default false
	TopologyDisableLoadaware                   = "topology.disable.loadaware"                     // default false
	TopologyDisableLoadawareMessaging          = "topology.disable.loadaware.messaging"
	TopologyDisruptorBatchSize                 = "topology.disruptor.batch.size"           // default 100
	TopologyDisruptorBatchTimeoutMillis        = "topology.disruptor.batch.timeout.millis" // default 1
	TopologyDisruptorWaitStrategy              = "topology.disruptor.wait.strategy"
	TopologyDisruptorWaitTimeoutMillis         = "topology.disruptor.wait.timeout.millis"   // default 1000
	TopologyEnableMessageTimeouts              = "topology.enable.message.timeouts"         // default true
	TopologyEnvironment                        = "topology.environment"                     // default nil
	TopologyErrorThrottleIntervalSecs          = "topology.error.throttle.interval.secs"    // default 10
	TopologyEventloggerExecutors               = "topology.eventlogger.executors"           // default 0
	TopologyExecutorReceiveBufferSize          = "topology.executor.receive.buffer.size"    // default 1024
	TopologyExecutorSendBufferSize             = "topology.executor.send.buffer.size"       // default 1024
	TopologyFallBackOnJavaSerialization        = "topology.fall.back.on.java.serialization" // default true
	TopologyGroups                             = "topology.groups"
	TopologyIsolatedMachines                   = "topology.isolate.machines"
	TopologyKryoDecorators                     = "topology.kryo.decorators"
	TopologyKryoFactory                        = "topology.kryo.factory" // default "org.apache.storm.serialization.DefaultKryoFactory"
	TopologyKryoRegister                       = "topology.kryo.register"
	TopologyLoggingSensitivity                 = "topology.logging.sensitivity"
	TopologyMaxErrorReportPerInterval          = "topology.max.error.report.per.interval" // default 5
	TopologyMaxReplicationWaitTimeSec          = "topology.max.replication.wait.time.sec" // default 60
	TopologyMaxSpoutPending                    = "topology.max.spout.pending"             // default nil
	TopologyMaxTaskParallelism                 = "topology.max.task.parallelism"          // default nil
	TopologyMessageTimeoutSecs                 = "topology.message.timeout.secs"          // default 30
	TopologyMetricsConsumerRegister            = "topology.metrics.consumer.register"
	TopologyMinReplicationCount                = "topology.min.replication.count" // default 1
	TopologyMultilangSerializer                = "topology.multilang.serializer"  // default "org.apache.storm.multilang.JsonSerializer"
	TopologyName                               = "topology.name"
	TopologyPriority                           = "topology.priority"                          // default 29
	TopologySchedulerStrategy                  = "topology.scheduler.strategy"                // default "org.apache.storm.scheduler.resource.strategies.schedulin...
	TopologyShellboltMaxPending                = "topology.shellbolt.max.pending"             // default 100
	TopologySkipMissingKryoRegistrations       = "topology.skip.missing.kryo.registrations"   // default false
	TopologySleepSpoutWaitStrategyTimeMs       = "topology.sleep.spout.wait.strategy.time.ms" // default 1
	TopologySpoutMaxBatchSize                  = "topology.spout.max.batch.size"
	TopologySpoutWaitStrategy                  = "topology.spout.wait.strategy" // default "org.apache.storm.spout.SleepSpoutWaitStrategy"
	TopologySpreadComponents                   = "topology.spread.components"
	TopologyStateCheckpointInterval            = "topology.state.checkpoint.interval.ms" // default 1000
	TopologyStateProvider                      = "topology.state.provider"
	TopologyStateProviderConfig                = "topology.state.provider.config"
	TopologyStateSynchronizationTimeoutSecs    = "topology.state.synchronization.timeout.secs" // default 60
	TopologyStatsSampleRate                    = "topology.stats.sample.rate"                  // default 0.05
	TopologySubmitterPrincipal                 = "topology.submitter.principal"
	TopologySubmitterUser                      = "topology.submitter.user"
	TopologySubprocessTimeoutSecs              = "topology.subprocess.timeout.secs"
	TopologyTasks                              = "topology.tasks"                        // default nil
	TopologyTestingAlwaysTrySerialize          = "topology.testing.always.try.serialize" // default false
	TopologyTickTupleFreqSecs                  = "topology.tick.tuple.freq.secs"         // default nil
	TopologyTransactionalID                    = "topology.transactional.id"
	TopologyTransferBufferSize                 = "topology.transfer.buffer.size"               // default 1024
	TopologyTridentBatchEmitIntervalMillis     = "topology.trident.batch.emit.interval.millis" // default 500
	TopologyTridentWindowingInmemoryCacheLimit = "topology.trident.windowing.cache.tuple.limit"
	TopologyTupleSerializer                    = "topology.tuple.serializer" // default "org.apache.storm.serialization.types.ListDelegateSeriali...
	TopologyTupleSerializerBlowfishKey         = "topology.tuple.serializer.blowfish.key"
	TopologyUsers                              = "topology.users"
	TopologyWorkerChildopts                    = "topology.worker.childopts" // default nil
	TopologyWorkerGcChildopts                  = "topology.worker.gc.childopts"
	TopologyWorkerLogwriterChildopts           = "topology.worker.logwriter.childopts" // default "-Xmx64m"
	TopologyWorkerMaxHeapSizeMb                = "topology.worker.max.heap.size.mb"    // default 768.0
	TopologyWorkerMetrics                      = "topology.worker.metrics"
	TopologyWorkerReceiverThreadCount          = "topology.worker.receiver.thread.count"   // default 1
	TopologyWorkerSharedThreadPoolSize         = "topology.worker.shared.thread.pool.size" // default 4
	TopologyWorkers                            = "topology.workers"                        // default 1
)

// transactional.* keys.
const (
	TransactionalZookeeperPort    = "transactional.zookeeper.port"    // default nil
	TransactionalZookeeperRoot    = "transactional.zookeeper.root"    // default "/transactional"
	TransactionalZookeeperServers = "transactional.zookeeper.servers" // default nil
)

// ui.* keys.
const (
	UIActionsEnabled          = "ui.actions.enabled" // default true
	UICentralLoggingURL       = "ui.central.logging.url"
	UIChildopts               = "ui.childopts"           // default "-Xmx768m"
	UIFilter                  = "ui.filter"              // default nil
	UIFilterParams            = "ui.filter.params"       // default nil
	UIHeaderBufferBytes       = "ui.header.buffer.bytes" // default 4096
	UIHost                    = "ui.host"                // default "0.0.0.0"
	UIHTTPCredsPlugin         = "ui.http.creds.plugin"   // default "org.apache.storm.security.auth.DefaultHttpCredentialsPlu...
	UIHTTPSKeyPassword        = "ui.https.key.password"
	UIHTTPSKeystorePassword   = "ui.https.keystore.password"
	UIHTTPSKeystorePath       = "ui.https.keystore.path"
	UIHTTPSKeystoreType       = "ui.https.keystore.type"
	UIHTTPSNeedClientAuth     = "ui.https.need.client.auth"
	UIHTTPSPort               = "ui.https.port"
	UIHTTPSTruststorePassword = "ui.https.truststore.password"
	UIHTTPSTruststorePath     = "ui.https.truststore.path"
	UIHTTPSTruststoreType     = "ui.https.truststore.type"
	UIHTTPSWantClientAuth     = "ui.https.want.client.auth"
	UIPort                    = "ui.port" // default 8080
	UIProjectBugtrackerURL    = "ui.project.bugtracker.url"
	UIUsers                   = "ui.users" // default nil
)

// worker.* keys.
const (
	WorkerChildopts              = "worker.childopts"                 // default "-Xmx%HEAP-MEM%m -XX:+PrintGCDetails -Xloggc:artifacts/gc...
	WorkerGcChildopts            = "worker.gc.childopts"              // default ""
	WorkerHeapMemoryMb           = "worker.heap.memory.mb"            // default 768
	WorkerHeartbeatFrequencySecs = "worker.heartbeat.frequency.secs"  // default 1
	WorkerLogLevelResetPollSecs  = "worker.log.level.reset.poll.secs" // default 30
	WorkerMetrics                = "worker.metrics"
	WorkerProfilerChildopts      = "worker.profiler.childopts" // default "-XX:+UnlockCommercialFeatures -XX:+FlightRecorder"
	WorkerProfilerCommand        = "worker.profiler.command"   // default "flight.bash"
	WorkerProfilerEnabled        = "worker.profiler.enabled"   // default false
)

// zmq.* keys.
const (
	ZmqHwm          = "zmq.hwm"           // default 0
	ZmqLingerMillis = "zmq.linger.millis" // default 5000
	ZmqThreads      = "zmq.threads"       // default 1
)
