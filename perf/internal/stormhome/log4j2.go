package stormhome

// clusterXML is the daemons' log4j2 configuration (written for Gale; Storm ships its own with a
// syslog appender we do not want): one file per daemon, <storm.log.dir>/<logfile.name>,
// buffered, INFO and above.
const clusterXML = `<?xml version="1.0" encoding="UTF-8"?>
<configuration monitorInterval="60">
  <properties>
    <property name="pattern">%d{yyyy-MM-dd HH:mm:ss.SSS} %c{1.} %t [%p] %msg%n</property>
  </properties>
  <appenders>
    <RollingFile name="A1" immediateFlush="false"
                 fileName="${sys:storm.log.dir}/${sys:logfile.name}"
                 filePattern="${sys:storm.log.dir}/${sys:logfile.name}.%i.gz">
      <PatternLayout><pattern>${pattern}</pattern></PatternLayout>
      <Policies><SizeBasedTriggeringPolicy size="100 MB"/></Policies>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
  </appenders>
  <loggers>
    <root level="info"><appender-ref ref="A1"/></root>
  </loggers>
</configuration>
`

// workerXML is the workers' (and LogWriter's) configuration: worker.log in the worker's
// artifacts directory, and the worker's stdout/stderr as piped through LogWriter's STDOUT and
// STDERR loggers into worker.log.out / worker.log.err, as Storm lays them out for the logviewer.
const workerXML = `<?xml version="1.0" encoding="UTF-8"?>
<configuration monitorInterval="60">
  <properties>
    <property name="dir">${sys:workers.artifacts}/${sys:storm.id}/${sys:worker.port}</property>
    <property name="pattern">%d{yyyy-MM-dd HH:mm:ss.SSS} %c{1.} %t [%p] %msg%n</property>
  </properties>
  <appenders>
    <RollingFile name="A1" immediateFlush="false"
                 fileName="${dir}/${sys:logfile.name}" filePattern="${dir}/${sys:logfile.name}.%i.gz">
      <PatternLayout><pattern>${pattern}</pattern></PatternLayout>
      <Policies><SizeBasedTriggeringPolicy size="100 MB"/></Policies>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
    <RollingFile name="STDOUT" fileName="${dir}/${sys:logfile.name}.out" filePattern="${dir}/${sys:logfile.name}.out.%i.gz">
      <PatternLayout><pattern>%msg%n</pattern></PatternLayout>
      <Policies><SizeBasedTriggeringPolicy size="100 MB"/></Policies>
      <DefaultRolloverStrategy max="2"/>
    </RollingFile>
    <RollingFile name="STDERR" fileName="${dir}/${sys:logfile.name}.err" filePattern="${dir}/${sys:logfile.name}.err.%i.gz">
      <PatternLayout><pattern>%msg%n</pattern></PatternLayout>
      <Policies><SizeBasedTriggeringPolicy size="100 MB"/></Policies>
      <DefaultRolloverStrategy max="2"/>
    </RollingFile>
  </appenders>
  <loggers>
    <root level="info"><appender-ref ref="A1"/></root>
    <Logger name="STDOUT" level="INFO" additivity="false"><appender-ref ref="STDOUT"/></Logger>
    <Logger name="STDERR" level="INFO" additivity="false"><appender-ref ref="STDERR"/></Logger>
  </loggers>
</configuration>
`
