package stormjava

// log4jXML is found before storm-core's log4j2.xml (which logs to standard
// output) and sends WARN and above to standard error, keeping standard
// output for the programs' results.
const log4jXML = `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <Appenders>
    <Console name="Stderr" target="SYSTEM_ERR">
      <PatternLayout pattern="%-4r [%t] %-5p %c{1.} - %msg%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="warn">
      <AppenderRef ref="Stderr"/>
    </Root>
  </Loggers>
</configuration>
`
