package stormjava

// pomXML resolves storm-core and its runtime dependencies. The dependency
// plugin version is pinned so the cache key (this text) fixes the result.
const pomXML = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.gale.test</groupId>
  <artifactId>stormjava</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.storm</groupId>
      <artifactId>storm-core</artifactId>
      <version>` + StormVersion + `</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>2.8</version>
        <configuration>
          <includeScope>runtime</includeScope>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
`

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
